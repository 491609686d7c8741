/* nertag - tests/ref/ref.c.  SPDX-License-Identifier: MIT */
/*
 * The reference matcher: nertag's documented rules, written as plainly as
 * possible and checked against the real matcher by the fuzzer.
 *
 *  1. Decode the text into characters; an invalid byte or NUL is a barrier
 *     character (and so is a line feed under REF_LINES).
 *  2. A run of white space longer than 128 bytes is made of barriers; so is
 *     a character followed by more than 30 combining marks, with its marks.
 *  3. A match is a range of whole characters [s, e) with no barrier in it,
 *     not starting or ending with white space, not preceded and not
 *     followed by a word character, whose normal form equals a name's.  The normal form of a string: white-space runs to
 *     one space (trimmed at the ends), apostrophes to ', dashes to -, then
 *     utf8proc_map() with decomposition, and case folding or mark removal
 *     as asked, then apostrophes and dashes again (U+0149 folds to U+02BC
 *     'n').
 *  4. Leftmost-longest: the first start with a match takes its longest;
 *     the search goes on after it.
 *
 * Quadratic, and fine for the short texts the fuzzer makes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "ref.h"

struct ch {
	int32_t cp;		/* -1: a barrier */
	size_t off, len;	/* bytes in the text */
	int word;
	int space;
	size_t nlen;		/* bytes of its normal form on its own */
};

static int
is_apos(int32_t c)
{
	return c == 0x2019 || c == 0x2018 || c == 0x02BC || c == 0x201B ||
	    c == 0x2032 || c == 0xFF07;
}

static int
is_space(int32_t c)
{
	utf8proc_category_t k;

	if (c == ' ' || (c >= 9 && c <= 13) || c == 0x85)
		return 1;
	k = utf8proc_category(c);
	return k == UTF8PROC_CATEGORY_ZS || k == UTF8PROC_CATEGORY_ZL ||
	    k == UTF8PROC_CATEGORY_ZP;
}

static int
is_mark(int32_t c)
{
	utf8proc_category_t k = utf8proc_category(c);

	return k == UTF8PROC_CATEGORY_MN || k == UTF8PROC_CATEGORY_MC ||
	    k == UTF8PROC_CATEGORY_ME;
}

static int
is_word(int32_t c)
{
	if (c < 0 || is_apos(c))
		return 0;
	switch (utf8proc_category(c)) {
	case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL:
	case UTF8PROC_CATEGORY_LT: case UTF8PROC_CATEGORY_LM:
	case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_MN:
	case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
	case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL:
	case UTF8PROC_CATEGORY_NO: case UTF8PROC_CATEGORY_PC:
		return 1;
	default:
		return 0;
	}
}

/* Decode the text; barriers per rules 1 and 2.  Returns the count. */
static size_t
decode(const unsigned char *t, size_t n, unsigned flags, struct ch *c)
{
	size_t i = 0, k = 0, j, bytes, m;
	utf8proc_int32_t cp;
	utf8proc_ssize_t r;

	while (i < n) {
		r = utf8proc_iterate(t + i, (utf8proc_ssize_t)(n - i), &cp);
		c[k].off = i;
		if (r < 1 || cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF)) {
			c[k].cp = -1;
			c[k].len = 1;
		} else {
			c[k].cp = cp;
			c[k].len = (size_t)r;
		}
		if (c[k].cp == '\n' && (flags & REF_LINES))
			c[k].cp = -1;
		c[k].word = is_word(c[k].cp);
		i += c[k].len;
		k++;
	}
	/* White-space runs over the cap. */
	for (i = 0; i < k; i = j) {
		j = i + 1;
		if (c[i].cp < 0 || !is_space(c[i].cp))
			continue;
		bytes = c[i].len;
		while (j < k && c[j].cp >= 0 && is_space(c[j].cp)) {
			bytes += c[j].len;
			j++;
		}
		if (bytes > 128)
			for (m = i; m < j; m++)
				c[m].cp = -1;
	}
	/* A character with more than 30 marks after it. */
	for (i = 0; i < k; i = j) {
		j = i + 1;
		if (c[i].cp < 0 || is_space(c[i].cp))
			continue;
		while (j < k && c[j].cp >= 0 && is_mark(c[j].cp))
			j++;
		if (j - i - 1 > 30)
			for (m = i; m < j; m++)
				c[m].cp = -1;
	}
	return k;
}

/* Apostrophes to ', dashes to -. */
static int32_t
equiv(int32_t c)
{
	if (is_apos(c))
		return '\'';
	if (c == 0x2212 || utf8proc_category(c) == UTF8PROC_CATEGORY_PD)
		return '-';
	return c;
}

/*
 * Apostrophes to ', dashes to -, in the UTF-8 string s, in place (each
 * gets shorter or stays): what case folding yields may be one.
 */
static void
equivalents(unsigned char *s)
{
	utf8proc_ssize_t k;
	size_t r = 0, w = 0, n = strlen((char *)s);
	int32_t c;

	while (r < n) {
		k = utf8proc_iterate(s + r, (utf8proc_ssize_t)(n - r), &c);
		if (k <= 0) {
			s[w++] = s[r++];	/* utf8proc_map() makes none */
			continue;
		}
		r += (size_t)k;
		w += (size_t)utf8proc_encode_char(equiv(c), s + w);
	}
	s[w] = '\0';
}

/*
 * The normal form of code points cps[0..n), malloc'ed, or NULL if it holds
 * a barrier or is empty.  A name (trim) loses white space at its ends; text
 * that starts or ends with white space after marks are stripped gives NULL.
 */
static char *
normal(const int32_t *cps, size_t n, unsigned flags, int trim)
{
	unsigned char *s = malloc(n * 4 + 1), *out = NULL;
	size_t i, len = 0;
	int space = 0, opt;

	for (i = 0; i < n; i++) {
		int32_t c = cps[i];

		if (c < 0) {
			free(s);
			return NULL;
		}
		if (is_space(c)) {
			space = len > 0;
			continue;
		}
		if (space)
			s[len++] = ' ';
		space = 0;
		len += (size_t)utf8proc_encode_char(equiv(c), s + len);
	}
	s[len] = '\0';
	if (len == 0) {
		free(s);
		return NULL;
	}
	/*
	 * Unicode's canonical caseless match, NFD(casefold(NFD(x))), and then
	 * the marks dropped: one utf8proc_map() a step.
	 */
	if (utf8proc_map(s, (utf8proc_ssize_t)len, &out,
	    UTF8PROC_DECOMPOSE) < 0)
		out = NULL;
	free(s);
	for (opt = 0; opt < 2 && out != NULL; opt++) {
		if (!(flags & (opt == 0 ? REF_CASEFOLD : REF_STRIPMARK)))
			continue;
		equivalents(out);
		s = out;
		if (utf8proc_map(s, -1, &out, (utf8proc_option_t)(
		    UTF8PROC_DECOMPOSE | UTF8PROC_NULLTERM | (opt == 0 ?
		    UTF8PROC_CASEFOLD : UTF8PROC_STRIPMARK))) < 0)
			out = NULL;
		free(s);
	}
	if (out != NULL)
		equivalents(out);
	if (out != NULL && trim) {
		/* A name: white space at its ends is dropped. */
		size_t a = 0, z = strlen((char *)out);

		while (out[a] == ' ')
			a++;
		while (z > a && out[z - 1] == ' ')
			z--;
		memmove(out, out + a, z - a);
		out[z - a] = '\0';
	} else if (out != NULL && (out[0] == ' ' ||
	    (out[0] != '\0' && out[strlen((char *)out) - 1] == ' '))) {
		/* Text: a match neither starts nor ends with white space. */
		free(out);
		out = NULL;
	}
	if (out != NULL && out[0] == '\0') {
		free(out);
		out = NULL;
	}
	return (char *)out;
}

/*
 * The length of the normal form of c on its own (0 for white space and
 * barriers).  Normalisation maps each character on its own (decomposition,
 * folding and mark removal are per character; canonical ordering only
 * permutes), so the normal form of a candidate is at least as long as the
 * sum of these over its characters: once that sum passes the longest name,
 * no longer candidate from the same start can match.  This only saves time.
 */
static size_t
alone(int32_t c, unsigned flags)
{
	char *s;
	size_t n;

	if (c < 0 || is_space(c))
		return 0;
	s = normal(&c, 1, flags, 1);
	n = s == NULL ? 0 : strlen(s);
	free(s);
	return n;
}

/*
 * The normal form of the NUL-terminated UTF-8 string name, trimmed, or NULL
 * if it is not valid UTF-8 or normalises to nothing.
 */
static char *
normal_name(const char *name, unsigned flags)
{
	size_t nn = 0, j, L = strlen(name);
	int32_t *ncp = malloc((L + 1) * sizeof(*ncp)), cp;
	utf8proc_ssize_t r = 1;
	char *s;

	for (j = 0; j < L; j += (size_t)r) {
		r = utf8proc_iterate((const unsigned char *)name + j,
		    (utf8proc_ssize_t)(L - j), &cp);
		if (r < 1)
			break;
		ncp[nn++] = cp;
	}
	s = j == L ? normal(ncp, nn, flags & ~(unsigned)REF_LINES, 1) : NULL;
	free(ncp);
	return s;
}

size_t
ref_match(const char *const *names, size_t nnames, const char *const *stops,
    size_t nstops, const unsigned char *text, size_t n, unsigned flags,
    struct ref_span *out, size_t max)
{
	struct ch *c = malloc((n + 1) * sizeof(*c));
	int32_t *cps = malloc((n + 1) * sizeof(*cps));
	char **norm = calloc(nnames + 1, sizeof(*norm)), *cand;
	char **stop = calloc(nstops + 1, sizeof(*stop));
	size_t k, s, e, i, count = 0, best, bestname = 0, maxlen = 0, sum;

	for (i = 0; i < nnames; i++) {
		norm[i] = normal_name(names[i], flags);
		if (norm[i] != NULL && strlen(norm[i]) > maxlen)
			maxlen = strlen(norm[i]);
	}
	for (i = 0; i < nstops; i++)
		stop[i] = normal_name(stops[i], flags);
	k = decode(text, n, flags, c);
	for (i = 0; i < k; i++) {
		c[i].space = c[i].cp >= 0 && is_space(c[i].cp);
		c[i].nlen = alone(c[i].cp, flags);
	}
	for (s = 0; s < k && count < max; s++) {
		/* Names are trimmed: none starts or ends with white space. */
		if ((s > 0 && c[s - 1].word) || c[s].cp < 0 || c[s].space)
			continue;
		best = 0;
		sum = 0;
		for (e = s + 1; e <= k; e++) {
			if (c[e - 1].cp < 0)
				break;
			sum += c[e - 1].nlen;
			if (sum > maxlen)
				break;
			if ((e < k && c[e].word) || c[e - 1].space)
				continue;
			for (i = s; i < e; i++)
				cps[i - s] = c[i].cp;
			if ((cand = normal(cps, e - s, flags, 0)) == NULL)
				continue;
			for (i = 0; i < nstops; i++)
				if (stop[i] != NULL && strcmp(stop[i], cand) == 0)
					break;
			if (i < nstops) {
				free(cand);
				continue;
			}
			for (i = 0; i < nnames; i++)
				if (norm[i] != NULL &&
				    strcmp(norm[i], cand) == 0)
					break;
			if (i < nnames) {
				best = e;
				bestname = i;
			}
			free(cand);
		}
		if (best == 0)
			continue;
		out[count].start = c[s].off;
		out[count].end = c[best - 1].off + c[best - 1].len;
		out[count].name = bestname;
		count++;
		s = best - 1;
	}
	for (i = 0; i < nnames; i++)
		free(norm[i]);
	for (i = 0; i < nstops; i++)
		free(stop[i]);
	free(norm);
	free(stop);
	free(cps);
	free(c);
	return count;
}
