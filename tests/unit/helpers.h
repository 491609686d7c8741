/*
 * helpers.h - shared by the cmocka unit tests: exactly sized copies of
 * inputs (so that ASan and valgrind see overreads), a matcher run that
 * collects spans and checks that text and spans give back the input, and
 * temporary files.
 */
#ifndef NERTAG_TEST_HELPERS_H
#define NERTAG_TEST_HELPERS_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lexicon.h"
#include "match.h"
#include "normalize.h"
#include "trie.h"

/* Not every test program uses every helper. */
#define HELPER	static __attribute__((unused))

/* A heap copy of exactly n bytes: reading past it is caught. */
HELPER unsigned char *
exact(const void *p, size_t n)
{
	unsigned char *b = malloc(n != 0 ? n : 1);

	assert_non_null(b);
	if (n != 0)
		memcpy(b, p, n);
	return b;
}

/*
 * What was written to the temporary file f, as a string in buf (cap
 * bytes, the last for the NUL); closes f and returns the length.
 */
HELPER size_t
drain(FILE *f, char *buf, size_t cap)
{
	size_t r;

	rewind(f);
	r = fread(buf, 1, cap - 1, f);
	buf[r] = '\0';
	fclose(f);
	return r;
}

#define MAXSPANS	64

/* What a matcher run produced. */
struct collect {
	unsigned char *all;	/* text and span bytes in order: the input */
	size_t len, cap;
	struct nt_span span[MAXSPANS];
	char text[MAXSPANS][128];
	size_t nspan;
};

HELPER void
collect_bytes(struct collect *c, const unsigned char *p, size_t n)
{
	if (c->len + n > c->cap) {
		c->cap = (c->len + n) * 2 + 64;
		c->all = realloc(c->all, c->cap);
		assert_non_null(c->all);
	}
	memcpy(c->all + c->len, p, n);
	c->len += n;
}

HELPER void
collect_text(void *ctx, const unsigned char *p, size_t n)
{
	collect_bytes(ctx, p, n);
}

HELPER void
collect_span(void *ctx, const unsigned char *p, size_t n,
    const struct nt_span *s)
{
	struct collect *c = ctx;

	assert_true(c->nspan < MAXSPANS);
	assert_int_equal(s->end - s->start, n);
	assert_int_equal(s->start, c->len);	/* offsets count all bytes */
	c->span[c->nspan] = *s;
	snprintf(c->text[c->nspan], sizeof(c->text[0]), "%.*s", (int)n,
	    (const char *)p);
	c->nspan++;
	collect_bytes(c, p, n);
}

/* A tiny deterministic generator, for property tests. */
HELPER uint32_t
rnd(uint32_t *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 16;
}

/* A prepared trie of the given names (NULL-terminated), normalised. */
HELPER struct nt_trie *
make_trie(const char *const *names, unsigned flags)
{
	struct nt_trie *t = nt_trie_new();
	unsigned char *k;
	uint32_t v = 1;
	size_t n;

	for (; *names != NULL; names++, v++) {
		k = nt_norm_string((const unsigned char *)*names,
		    strlen(*names), flags, &n);
		assert_non_null(k);
		assert_int_equal(nt_trie_add(t, k, n, v), 0);
		free(k);
	}
	nt_trie_prepare(t);
	return t;
}

/* A matcher config of one trie, with callbacks text and span on ctx. */
HELPER void
one_trie_config(struct nt_match_config *cfg, const struct nt_trie **tries,
    unsigned flags, nt_text_fn *text, nt_span_fn *span, void *ctx)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->tries = tries;
	cfg->ntries = 1;
	cfg->flags = flags;
	cfg->text = text;
	cfg->span = span;
	cfg->ctx = ctx;
}

/*
 * Match input (n bytes) against names, feeding it in pieces of at most
 * piece bytes through a window of block bytes; check that the output
 * gives back the input; return the spans in *c (free c->all).
 */
HELPER void
run_matcher(const char *const *names, unsigned flags, const void *input,
    size_t n, size_t piece, size_t block, struct collect *c)
{
	struct nt_trie *t = make_trie(names, flags);
	const struct nt_trie *tries[1] = { t };
	struct nt_match_config cfg;
	struct nt_matcher *m;
	unsigned char *in = exact(input, n);
	size_t i, k;

	memset(c, 0, sizeof(*c));
	one_trie_config(&cfg, tries, flags, collect_text, collect_span, c);
	cfg.block = block;
	m = nt_match_new(&cfg);
	for (i = 0; i < n; i += k) {
		k = n - i < piece ? n - i : piece;
		nt_match_feed(m, in + i, k);
	}
	nt_match_finish(m);
	assert_int_equal(c->len, n);
	if (n > 0)
		assert_memory_equal(c->all, in, n);
	nt_match_free(m);
	nt_trie_free(t);
	free(in);
}

/* Spans as "start-end:value text;..." for compact assertions. */
HELPER const char *
spans_str(const struct collect *c)
{
	static char buf[4096];
	size_t i, o = 0;

	buf[0] = '\0';
	for (i = 0; i < c->nspan && o < sizeof(buf) - 200; i++)
		o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s%llu-%llu:%u %s",
		    i > 0 ? ";" : "", (unsigned long long)c->span[i].start,
		    (unsigned long long)c->span[i].end, c->span[i].value,
		    c->text[i]);
	return buf;
}

/* Match and compare the spans with want, fed whole and one byte a time. */
HELPER void
expect_spans(const char *const *names, unsigned flags, const char *input,
    const char *want)
{
	struct collect c;
	size_t piece[] = { (size_t)-1, 1, 3 };
	size_t i;

	for (i = 0; i < sizeof(piece) / sizeof(piece[0]); i++) {
		run_matcher(names, flags, input, strlen(input), piece[i], 0,
		    &c);
		if (strcmp(spans_str(&c), want) != 0)
			fail_msg("input \"%s\" piece %zu: got \"%s\", want "
			    "\"%s\"", input, piece[i], spans_str(&c), want);
		free(c.all);
	}
}

/* Write n bytes to a new temporary file; returns its malloc'ed path. */
HELPER char *
temp_file(const void *p, size_t n)
{
	char *path = strdup("/tmp/nertag-unit.XXXXXX");
	int fd;

	assert_non_null(path);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, p, n), (ssize_t)n);
	close(fd);
	return path;
}

/*
 * Match input (n bytes) fed as two pieces, [0, k) and [k, n), each from an
 * exactly sized buffer, for every k, through a window of block bytes; the
 * spans must be want every time (and the bytes the input, as always).
 */
HELPER void
expect_spans_split(const char *const *names, unsigned flags,
    const void *input, size_t n, size_t block, const char *want)
{
	struct nt_trie *t = make_trie(names, flags);
	const struct nt_trie *tries[1] = { t };
	struct nt_match_config cfg;
	struct nt_matcher *m;
	struct collect c;
	unsigned char *a, *b;
	size_t k;

	one_trie_config(&cfg, tries, flags, collect_text, collect_span, &c);
	cfg.block = block;
	for (k = 0; k <= n; k++) {
		memset(&c, 0, sizeof(c));
		a = exact(input, k);
		b = exact((const unsigned char *)input + k, n - k);
		m = nt_match_new(&cfg);
		nt_match_feed(m, a, k);
		nt_match_feed(m, b, n - k);
		nt_match_finish(m);
		nt_match_free(m);
		assert_int_equal(c.len, n);
		if (n > 0)
			assert_memory_equal(c.all, input, n);
		if (strcmp(spans_str(&c), want) != 0)
			fail_msg("split at %zu, block %zu: got \"%s\", want "
			    "\"%s\"", k, block, spans_str(&c), want);
		free(c.all);
		free(a);
		free(b);
	}
	nt_trie_free(t);
}

/* The same for a string literal, with blocks 1, 2, 7 and the default. */
#define EXPECT_SPLIT(names, flags, lit, want)	do {			\
	static const size_t blocks_[] = { 1, 2, 7, 0 };			\
	size_t bi_;							\
									\
	for (bi_ = 0; bi_ < 4; bi_++)					\
		expect_spans_split((names), (flags), (lit),		\
		    sizeof(lit) - 1, blocks_[bi_], (want));		\
} while (0)

#endif
