/*
 * common.h - shared by the libFuzzer targets: turning fuzz input into a
 * small gazetteer and a text, and collecting a matcher's spans.
 */
#ifndef NERTAG_FUZZ_COMMON_H
#define NERTAG_FUZZ_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "match.h"
#include "normalize.h"
#include "trie.h"

#define MAXNAMES	16
#define MAXTEXT		400
#define MAXSPANS	MAXTEXT	/* a span has at least one byte */
/*
 * The most bytes the match target streams: its text repeated, so that the
 * stream outgrows the matcher's window (a few hundred bytes with short
 * names and a small block) and the window has to move.
 */
#define MAXSTREAM	8192

/* A gazetteer made from fuzz input: the names the normaliser accepts. */
struct fz_gaz {
	char *name[MAXNAMES];	/* NUL-terminated copies */
	size_t n;
	struct nt_trie *trie;
};

/*
 * Split data at its first 0x01 byte: before it, names one a line; after
 * it, the text (*text, *ntext).  Returns 0, or -1 if there is no 0x01.
 */
static int
fz_split(const uint8_t *data, size_t size, unsigned flags, struct fz_gaz *g,
    const uint8_t **text, size_t *ntext)
{
	const uint8_t *sep = memchr(data, 0x01, size), *p, *nl, *end;
	unsigned char *k;
	size_t kl;

	memset(g, 0, sizeof(*g));
	if (sep == NULL)
		return -1;
	g->trie = nt_trie_new();
	for (p = data, end = sep; p < end && g->n < MAXNAMES; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		k = nt_norm_string(p, (size_t)(nl - p), flags & 3, &kl);
		if (k != NULL && kl > 0 && kl <= NT_TRIE_KEY_MAX &&
		    memchr(p, '\0', (size_t)(nl - p)) == NULL) {
			g->name[g->n] = malloc((size_t)(nl - p) + 1);
			memcpy(g->name[g->n], p, (size_t)(nl - p));
			g->name[g->n][nl - p] = '\0';
			g->n++;
			nt_trie_add(g->trie, k, kl, (uint32_t)g->n);
		}
		free(k);
		if (nl == end)
			break;
	}
	nt_trie_prepare(g->trie);
	*text = sep + 1;
	*ntext = size - (size_t)(sep + 1 - data);
	if (*ntext > MAXTEXT)
		*ntext = MAXTEXT;
	return 0;
}

static void
fz_free(struct fz_gaz *g)
{
	size_t i;

	for (i = 0; i < g->n; i++)
		free(g->name[i]);
	nt_trie_free(g->trie);
}

/* What a matcher run gave. */
struct fz_run {
	unsigned char out[MAXSTREAM];
	size_t len;
	struct nt_span span[MAXSTREAM];
	size_t nspan;
};

static void
fz_text(void *ctx, const unsigned char *p, size_t n)
{
	struct fz_run *r = ctx;

	if (r->len + n > sizeof(r->out))
		abort();
	memcpy(r->out + r->len, p, n);
	r->len += n;
}

static void
fz_span(void *ctx, const unsigned char *p, size_t n, const struct nt_span *s)
{
	struct fz_run *r = ctx;

	if (r->nspan == MAXSTREAM || s->start != r->len ||
	    s->end - s->start != n)
		abort();
	r->span[r->nspan++] = *s;
	fz_text(ctx, p, n);
}

/* A matcher configuration whose callbacks fill r. */
static void
fz_config(struct nt_match_config *cfg, const struct nt_trie *const *tries,
    size_t ntries, const struct nt_trie *veto, unsigned flags, size_t block,
    struct fz_run *r)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->tries = tries;
	cfg->ntries = ntries;
	cfg->veto = veto;
	cfg->flags = flags;
	cfg->block = block;
	cfg->text = fz_text;
	cfg->span = fz_span;
	cfg->ctx = r;
}

/*
 * Run the stream matcher with ntries tries and veto (or NULL) over text, in
 * pieces of piece bytes through a window of block bytes (0: the default).
 * The text goes through twice, with nt_match_finish() between (as for two
 * FILEs): the second pass must give what the first gave.
 */
static void
fz_match_layers(const struct nt_trie *const *tries, size_t ntries,
    const struct nt_trie *veto, unsigned flags, size_t block, size_t piece,
    const uint8_t *text, size_t n, struct fz_run *r)
{
	static struct nt_span first[MAXSTREAM];
	struct nt_match_config cfg;
	struct nt_matcher *m;
	size_t i, k, nfirst = 0;
	int pass;

	fz_config(&cfg, tries, ntries, veto, flags, block, r);
	m = nt_match_new(&cfg);
	for (pass = 0; pass < 2; pass++) {
		if (pass == 1) {
			nfirst = r->nspan;
			memcpy(first, r->span, nfirst * sizeof(first[0]));
		}
		r->len = r->nspan = 0;
		for (i = 0; i < n; i += k) {
			k = n - i < piece ? n - i : piece;
			nt_match_feed(m, text + i, k);
		}
		nt_match_finish(m);
		/* Every byte passes through, once, in order. */
		if (r->len != n || (n > 0 && memcmp(r->out, text, n) != 0))
			abort();
	}
	nt_match_free(m);
	if (nfirst != r->nspan)
		abort();
	for (i = 0; i < nfirst; i++)
		if (first[i].start != r->span[i].start ||
		    first[i].end != r->span[i].end ||
		    first[i].layer != r->span[i].layer ||
		    first[i].value != r->span[i].value)
			abort();
}

#endif
