/* nertag - normalize.c.  SPDX-License-Identifier: MIT */
/*
 * The normal form in which gazetteer entries and input text are compared.
 *
 * Text is cut into clusters: a character with the combining marks that
 * follow it, or a run of white space.  A cluster is turned into UTF-8 in
 * canonical decomposition (NFD, with each run of non-starters put in
 * canonical order), optionally case-folded (full folding) and stripped of
 * marks, with white-space runs, apostrophes and dashes mapped to one
 * representative each.  Comparing decomposed forms makes NFC and NFD
 * spellings equal without ever composing.
 *
 * Both caps here keep the matcher's window bounded: a white-space run longer
 * than NT_NORM_SPACE_CAP bytes and a character with more than
 * NT_NORM_MARK_CAP marks (Unicode's stream-safe limit) are barriers, never
 * part of a match.  Everything that is not valid UTF-8, and NUL, is a
 * barrier too, so that such bytes pass through the matcher untouched.
 *
 * This is the only file that includes <utf8proc.h>.  It does no I/O and
 * keeps no state between calls.
 */
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#if defined(__SSE2__) && !defined(NT_NO_SIMD)
#include <emmintrin.h>
#endif

#include "normalize.h"
#include "util.h"

/* Code points one cluster may decompose into before it counts as a barrier. */
#define CP_MAX	(NT_NORM_CLUSTER_MAX / 4)

#define W	NT_CLASS_WORD
#define S	NT_CLASS_SPACE
#define O	NT_CLASS_OTHER
const unsigned char nt_norm_ascii_class[128] = {
	O, O, O, O, O, O, O, O, O, S, S, S, S, S, O, O,	/* 0x00 */
	O, O, O, O, O, O, O, O, O, O, O, O, O, O, O, O,	/* 0x10 */
	S, O, O, O, O, O, O, O, O, O, O, O, O, O, O, O,	/* ' ' */
	W, W, W, W, W, W, W, W, W, W, O, O, O, O, O, O,	/* '0' */
	O, W, W, W, W, W, W, W, W, W, W, W, W, W, W, W,	/* '@' */
	W, W, W, W, W, W, W, W, W, W, W, O, O, O, O, W,	/* 'P', '_' */
	O, W, W, W, W, W, W, W, W, W, W, W, W, W, W, W,	/* '`' */
	W, W, W, W, W, W, W, W, W, W, W, O, O, O, O, O	/* 'p' */
};
#undef W
#undef S
#undef O

#define F(c)	(c), (c) + 1, (c) + 2, (c) + 3, (c) + 4, (c) + 5, (c) + 6, (c) + 7
const unsigned char nt_norm_ascii_fold[128] = {
	F(0x00), F(0x08), F(0x10), F(0x18), F(0x20), F(0x28), F(0x30), F(0x38),
	0x40, F(0x61), F(0x69), F(0x71), 0x79, 0x7a, 0x5b, 0x5c, 0x5d, 0x5e,
	0x5f, F(0x60), F(0x68), F(0x70), F(0x78)
};
#undef F

#if defined(__SSE2__) && !defined(NT_NO_SIMD)
/*
 * Whether the bytes of v lie in [lo, lo + n): adding 0x80 - lo moves that
 * range, and only it, to the lowest n signed values.
 */
#define IN_RANGE(v, lo, n)	_mm_cmplt_epi8(_mm_add_epi8((v), \
	_mm_set1_epi8((char)(0x80 - (lo)))), _mm_set1_epi8((char)(-128 + (n))))

/* 16 bytes: bits of the word bytes, of bytes >= 0x80 or NUL, of a-z. */
static inline void
scan16(const unsigned char *s, unsigned *word, unsigned *slow,
    unsigned *lower)
{
	const __m128i v = _mm_loadu_si128((const void *)s);
	__m128i digit = IN_RANGE(v, '0', 10);
	__m128i alpha = IN_RANGE(_mm_or_si128(v, _mm_set1_epi8(0x20)), 'a', 26);
	__m128i under = _mm_cmpeq_epi8(v, _mm_set1_epi8('_'));
	__m128i nul = _mm_cmpeq_epi8(v, _mm_setzero_si128());

	*word = (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(digit,
	    alpha), under));
	*slow = (unsigned)_mm_movemask_epi8(_mm_or_si128(v, nul));
	*lower = (unsigned)_mm_movemask_epi8(IN_RANGE(v, 'a', 26));
}

void
nt_norm_scan64(const unsigned char *s, uint64_t *word, uint64_t *slow,
    uint64_t *lower)
{
	unsigned w, h, l;
	uint64_t ww = 0, hh = 0, ll = 0;
	int k;

	/* In registers: stores through the pointers each round cost more. */
	for (k = 0; k < 4; k++) {
		scan16(s + 16 * k, &w, &h, &l);
		ww |= (uint64_t)w << (16 * k);
		hh |= (uint64_t)h << (16 * k);
		ll |= (uint64_t)l << (16 * k);
	}
	*word = ww;
	*slow = hh;
	*lower = ll;
}
#else
void
nt_norm_scan64(const unsigned char *s, uint64_t *word, uint64_t *slow,
    uint64_t *lower)
{
	int k;

	*word = *slow = *lower = 0;
	for (k = 0; k < 64; k++) {
		if (s[k] >= 0x80 || s[k] == 0)
			*slow |= (uint64_t)1 << k;
		else if (nt_norm_ascii_class[s[k]] == NT_CLASS_WORD)
			*word |= (uint64_t)1 << k;
		if (s[k] >= 'a' && s[k] <= 'z')
			*lower |= (uint64_t)1 << k;
	}
}
#endif

size_t
nt_norm_decode(const unsigned char *p, size_t n, int32_t *cp)
{
	unsigned c = p[0], lo = 0x80, hi = 0xBF;
	size_t len, i;
	int32_t v;

	if (c < 0x80) {
		*cp = (int32_t)c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		len = 2;
		v = (int32_t)(c & 0x1F);
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		v = (int32_t)(c & 0x0F);
		if (c == 0xE0)
			lo = 0xA0;
		else if (c == 0xED)	/* no surrogates */
			hi = 0x9F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		v = (int32_t)(c & 0x07);
		if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F;
	} else {
		*cp = -1;
		return 1;
	}
	for (i = 1; i < len; i++) {
		if (i >= n)
			return 0;
		if (p[i] < lo || p[i] > hi) {
			*cp = -1;
			return 1;
		}
		lo = 0x80;
		hi = 0xBF;
		v = (v << 6) | (p[i] & 0x3F);
	}
	*cp = v;
	return len;
}

static int
is_apostrophe(int32_t cp)
{
	return cp == 0x2019 || cp == 0x2018 || cp == 0x02BC || cp == 0x201B ||
	    cp == 0x2032 || cp == 0xFF07;
}

static int
is_mark(utf8proc_category_t cat)
{
	return cat == UTF8PROC_CATEGORY_MN || cat == UTF8PROC_CATEGORY_MC ||
	    cat == UTF8PROC_CATEGORY_ME;
}

int
nt_norm_class(int32_t cp)
{
	utf8proc_category_t cat;

	if (cp < 0)
		return NT_CLASS_OTHER;
	if (cp < 0x80)
		return nt_norm_ascii_class[cp];
	if (cp == 0x85)
		return NT_CLASS_SPACE;
	/* An apostrophe is punctuation even where Unicode calls it a letter. */
	if (is_apostrophe(cp))
		return NT_CLASS_OTHER;
	cat = utf8proc_category(cp);
	switch (cat) {
	case UTF8PROC_CATEGORY_ZS:
	case UTF8PROC_CATEGORY_ZL:
	case UTF8PROC_CATEGORY_ZP:
		return NT_CLASS_SPACE;
	case UTF8PROC_CATEGORY_LU:
	case UTF8PROC_CATEGORY_LL:
	case UTF8PROC_CATEGORY_LT:
	case UTF8PROC_CATEGORY_LM:
	case UTF8PROC_CATEGORY_LO:
	case UTF8PROC_CATEGORY_MN:
	case UTF8PROC_CATEGORY_MC:
	case UTF8PROC_CATEGORY_ME:
	case UTF8PROC_CATEGORY_ND:
	case UTF8PROC_CATEGORY_NL:
	case UTF8PROC_CATEGORY_NO:
	case UTF8PROC_CATEGORY_PC:
		return NT_CLASS_WORD;
	default:
		return NT_CLASS_OTHER;
	}
}

int
nt_norm_class_at(const unsigned char *p, size_t n, int eof, size_t *len)
{
	int32_t cp;

	*len = nt_norm_decode(p, n, &cp);
	if (*len == 0) {
		if (!eof)
			return -1;
		*len = 1;
		cp = -1;
	}
	return nt_norm_class(cp);
}

/* The equivalence classes: apostrophes and dashes are one each. */
static int32_t
equivalent(int32_t cp)
{
	if (is_apostrophe(cp))
		return '\'';
	if (cp == 0x2212 || utf8proc_category(cp) == UTF8PROC_CATEGORY_PD)
		return '-';
	return cp;
}

/*
 * Decompose one code point into cps[*ncp...] with the options opt (always
 * UTF8PROC_DECOMPOSE), applying the equivalence classes before and after.
 * Returns -1 if the cluster grows past CP_MAX.
 */
static int
decompose(int32_t cp, utf8proc_option_t opt, int32_t *cps, size_t *ncp)
{
	utf8proc_ssize_t r, i;
	int bound = 0;

	cp = equivalent(cp);
	r = utf8proc_decompose_char(cp, cps + *ncp,
	    (utf8proc_ssize_t)(CP_MAX - *ncp), opt, &bound);
	if (r < 0 || (size_t)r > CP_MAX - *ncp)
		return -1;
	/* Folding may yield one: U+0149 folds to U+02BC 'n'. */
	if (r > 1 || (r == 1 && cps[*ncp] != cp))
		for (i = 0; i < r; i++)
			cps[*ncp + (size_t)i] = equivalent(cps[*ncp + (size_t)i]);
	*ncp += (size_t)r;
	return 0;
}

/*
 * Put each run of non-starters in canonical order: a stable insertion sort
 * by combining class, as Unicode's canonical ordering algorithm asks.
 */
static void
canonical_order(int32_t *cps, size_t n)
{
	size_t i, j;
	int32_t t;
	int ci;

	for (i = 1; i < n; i++) {
		ci = utf8proc_get_property(cps[i])->combining_class;
		if (ci == 0)
			continue;
		for (j = i; j > 0; j--) {
			int cj = utf8proc_get_property(cps[j - 1])->combining_class;

			if (cj == 0 || cj <= ci)
				break;
			t = cps[j];
			cps[j] = cps[j - 1];
			cps[j - 1] = t;
		}
	}
}

/*
 * Fold and strip the n code points of a cluster in NFD, into cps again:
 * Unicode's canonical caseless match, NFD(casefold(NFD(x))), with marks
 * dropped last.  Folding one code point at a time before the marks are in
 * order would not do: U+0345 (class 240) folds to iota, a starter, which
 * would then hold the marks on either side of it in the text's order; and
 * dropped as a mark before folding, it would be lost where the iota of
 * U+1FB3 (alpha with it, precomposed) is kept.  Returns the new count, or
 * (size_t)-1 past CP_MAX.
 */
static size_t
refine(int32_t *cps, size_t n, unsigned flags)
{
	int32_t in[CP_MAX];
	size_t i, m = 0;

	if (flags & NT_NORM_CASEFOLD) {
		memcpy(in, cps, n * sizeof(*in));
		for (i = 0; i < n; i++)
			if (decompose(in[i], UTF8PROC_DECOMPOSE |
			    UTF8PROC_CASEFOLD, cps, &m) == -1)
				return (size_t)-1;
		canonical_order(cps, m);
		n = m;
	}
	if (flags & NT_NORM_STRIPMARK) {
		for (i = m = 0; i < n; i++)
			if (!is_mark(utf8proc_category(cps[i])))
				cps[m++] = cps[i];
		n = m;
	}
	return n;
}

int
nt_norm_cluster(const unsigned char *p, size_t n, int eof, unsigned flags,
    struct nt_cluster *c)
{
	int32_t cps[CP_MAX], cp;
	size_t len, pos, ncp, i, nmarks;
	int cls;

	len = nt_norm_decode(p, n, &cp);
	if (len == 0) {
		if (!eof)
			return c->kind = NT_CLUSTER_MORE;
		len = 1;
		cp = -1;
	}
	if (cp <= 0 || (cp == '\n' && (flags & NT_NORM_LINES))) {
		c->srclen = len;
		c->len = 0;
		return c->kind = NT_CLUSTER_BARRIER;
	}
	cls = nt_norm_class(cp);
	if (cls == NT_CLASS_SPACE) {
		pos = len;
		for (;;) {
			if (pos > NT_NORM_SPACE_CAP) {
				c->srclen = pos;
				c->len = 0;
				return c->kind = NT_CLUSTER_BARRIER;
			}
			if (pos == n) {
				if (!eof)
					return c->kind = NT_CLUSTER_MORE;
				break;
			}
			len = nt_norm_decode(p + pos, n - pos, &cp);
			if (len == 0) {
				if (!eof)
					return c->kind = NT_CLUSTER_MORE;
				break;
			}
			if (nt_norm_class(cp) != NT_CLASS_SPACE ||
			    (cp == '\n' && (flags & NT_NORM_LINES)))
				break;
			pos += len;
		}
		c->srclen = pos;
		c->out[0] = ' ';
		c->len = 1;
		return c->kind = NT_CLUSTER_SPACE;
	}

	/* The ASCII fast path: an ASCII character followed by ASCII. */
	if (cp < 0x80 && len < n && p[len] < 0x80) {
		c->srclen = 1;
		c->out[0] = (flags & NT_NORM_CASEFOLD) ?
		    nt_norm_ascii_fold[cp] : (unsigned char)cp;
		c->len = 1;
		return c->kind = NT_CLUSTER_TEXT;
	}

	ncp = 0;
	pos = len;
	if (decompose(cp, UTF8PROC_DECOMPOSE, cps, &ncp) == -1)
		goto barrier;
	for (nmarks = 0;; nmarks++) {
		if (pos == n) {
			if (!eof)
				return c->kind = NT_CLUSTER_MORE;
			break;
		}
		if (p[pos] < 0x80)
			break;
		len = nt_norm_decode(p + pos, n - pos, &cp);
		if (len == 0) {
			if (!eof)
				return c->kind = NT_CLUSTER_MORE;
			break;
		}
		if (cp < 0 || !is_mark(utf8proc_category(cp)))
			break;
		if (nmarks == NT_NORM_MARK_CAP ||
		    decompose(cp, UTF8PROC_DECOMPOSE, cps, &ncp) == -1) {
			pos += len;
			goto barrier;
		}
		pos += len;
	}
	canonical_order(cps, ncp);
	if ((flags & (NT_NORM_CASEFOLD | NT_NORM_STRIPMARK)) &&
	    (ncp = refine(cps, ncp, flags)) == (size_t)-1)
		goto barrier;
	c->len = 0;
	for (i = 0; i < ncp; i++)
		c->len += (size_t)utf8proc_encode_char(cps[i], c->out + c->len);
	c->srclen = pos;
	return c->kind = NT_CLUSTER_TEXT;

barrier:
	c->srclen = pos;
	c->len = 0;
	return c->kind = NT_CLUSTER_BARRIER;
}

/*
 * Narrow s to what lies between the white space at its ends: white space
 * around a name does not count, not even towards the cap on a run.  A line
 * feed under NT_NORM_LINES is a barrier, not white space, and stays.
 */
static void
trim_space(const unsigned char **s, size_t *n, unsigned flags)
{
	const unsigned char *p = *s;
	size_t len = *n, k, back;
	int32_t cp;

	while (len > 0 && (k = nt_norm_decode(p, len, &cp)) != 0 && cp > 0 &&
	    nt_norm_class(cp) == NT_CLASS_SPACE &&
	    !(cp == '\n' && (flags & NT_NORM_LINES))) {
		p += k;
		len -= k;
	}
	while (len > 0) {
		for (back = 1; back < 4 && back < len &&
		    (p[len - back] & 0xC0) == 0x80; back++)
			;
		if (nt_norm_decode(p + len - back, back, &cp) != back ||
		    cp <= 0 || nt_norm_class(cp) != NT_CLASS_SPACE ||
		    (cp == '\n' && (flags & NT_NORM_LINES)))
			break;
		len -= back;
	}
	*s = p;
	*n = len;
}

/*
 * The ASCII fast path of nt_norm_string(), for the common entry with no
 * byte >= 0x80: an ASCII character never decomposes, folds as
 * nt_norm_ascii_fold says and carries no mark, so the cluster machinery
 * (a utf8proc call for the last character, a 1 KiB cluster a byte) buys
 * nothing.  Returns 1 with out (n bytes of room) filled, -1 for a barrier,
 * or 0 at the first byte >= 0x80: only the cluster path knows whether it
 * is a mark on the character before or a space extending the run before.
 */
static int
norm_ascii(const unsigned char *s, size_t n, unsigned flags,
    unsigned char *out, size_t *outlen)
{
	int fold = (flags & NT_NORM_CASEFOLD) != 0;
	int lines = (flags & NT_NORM_LINES) != 0;
	size_t i = 0, len = 0, run;
	int space = 0;
	unsigned c;

	while (i < n) {
		c = s[i];
		if (c >= 0x80)
			return 0;
		if (c == 0 || (c == '\n' && lines))
			return -1;
		if (nt_norm_ascii_class[c] == NT_CLASS_SPACE) {
			for (run = i; i < n && s[i] < 0x80 &&
			    nt_norm_ascii_class[s[i]] == NT_CLASS_SPACE &&
			    !(s[i] == '\n' && lines); i++)
				;
			if (i - run > NT_NORM_SPACE_CAP)
				return -1;
			/* Runs before the first byte and after the last go. */
			space = len > 0;
			continue;
		}
		if (space) {
			out[len++] = ' ';
			space = 0;
		}
		out[len++] = fold ? nt_norm_ascii_fold[c] : (unsigned char)c;
		i++;
	}
	*outlen = len;
	return 1;
}

unsigned char *
nt_norm_string(const unsigned char *s, size_t n, unsigned flags,
    size_t *outlen)
{
	unsigned char *out;

	trim_space(&s, &n, flags);
	out = xmalloc(n + 1);
	switch (norm_ascii(s, n, flags, out, outlen)) {
	case 1:
		return out;
	case -1:
		free(out);
		return NULL;
	}
	free(out);
	return nt_norm_string_clusters(s, n, flags, outlen);
}

unsigned char *
nt_norm_string_clusters(const unsigned char *s, size_t n, unsigned flags,
    size_t *outlen)
{
	struct nt_cluster c;
	unsigned char *out;
	size_t pos, len, cap, spaces;

	trim_space(&s, &n, flags);
	cap = n * 4 + 16;
	out = xmalloc(cap);
	len = 0;
	spaces = 0;
	for (pos = 0; pos < n; pos += c.srclen) {
		nt_norm_cluster(s + pos, n - pos, 1, flags, &c);
		if (c.kind == NT_CLUSTER_BARRIER) {
			free(out);
			return NULL;
		}
		/*
		 * Each white-space run is a space, as the matcher sees text;
		 * runs before the first byte and after the last are dropped,
		 * even where a stripped mark stands between them and it.
		 */
		if (c.kind == NT_CLUSTER_SPACE) {
			spaces += len > 0;
			continue;
		}
		if (c.len == 0)
			continue;
		xgrow(&out, &cap, len + spaces + c.len + 1, 1);
		memset(out + len, ' ', spaces);
		len += spaces;
		spaces = 0;
		memcpy(out + len, c.out, c.len);
		len += c.len;
	}
	*outlen = len;
	return out;
}

const char *
nt_norm_barrier(const unsigned char *s, size_t n, unsigned flags)
{
	struct nt_cluster c;
	size_t pos, len;
	int32_t cp;

	trim_space(&s, &n, flags);
	for (pos = 0; pos < n; pos += c.srclen) {
		if (nt_norm_cluster(s + pos, n - pos, 1, flags, &c) !=
		    NT_CLUSTER_BARRIER)
			continue;
		len = nt_norm_decode(s + pos, n - pos, &cp);
		if (len == 0 || cp < 0)
			return "invalid UTF-8";
		if (cp == 0)
			return "NUL byte";
		if (nt_norm_class(cp) == NT_CLASS_SPACE)
			return "white-space run longer than 128 bytes";
		return "more than 30 combining marks on one character";
	}
	return NULL;
}

const char *
nt_norm_utf8proc_version(void)
{
	return utf8proc_version();
}

const char *
nt_norm_unicode_version(void)
{
	return utf8proc_unicode_version();
}
