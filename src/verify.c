/* nertag - verify.c.  SPDX-License-Identifier: MIT */
/*
 * Checksums of compiled index files.  The whole-file checksum of the first
 * index format read every byte at start-up, which is most of the start-up
 * time of a large index (14 ms for 55 MB); now the file carries one checksum
 * per 64 KiB block, and a guard checks a block the first time anything in
 * it is read.  A run that touches little of the index reads little of it,
 * and a damaged block is still never used.
 *
 * The checksum is in the manner of Fletcher's: per lane, a sum of 4-byte
 * words, a sum of those sums and a sum of those, in 64-bit integers.
 * Over a block the first two never wrap (2,048 words a lane: under 2^43
 * and 2^54), so any change to one or two words shows, which sums of 8-byte
 * words modulo 2^64 missed for two flipped top bits; the third sees
 * changes such as +d, -2d, +d to three words that the first two cannot.
 * Additions only, in eight independent lanes, so that the compiler
 * vectorises it.  It catches damage; it is no defence against forgery.
 */
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "verify.h"

void
nt_sum_init(struct nt_sum *s)
{
	int k;

	for (k = 0; k < NT_SUM_LANES; k++) {
		s->a[k] = (uint64_t)k + 1;
		s->b[k] = 0;
		s->c[k] = 0;
	}
}

void
nt_sum_add(struct nt_sum *s, const unsigned char *p, size_t n)
{
	uint32_t w[NT_SUM_LANES];
	uint64_t a[NT_SUM_LANES], b[NT_SUM_LANES], c[NT_SUM_LANES];
	size_t i;
	int k;

	/* Local sums: s may alias p as far as the compiler knows. */
	memcpy(a, s->a, sizeof(a));
	memcpy(b, s->b, sizeof(b));
	memcpy(c, s->c, sizeof(c));
	for (i = 0; i + 32 <= n; i += 32) {
		memcpy(w, p + i, 32);
		for (k = 0; k < NT_SUM_LANES; k++) {
			a[k] += w[k];
			b[k] += a[k];
			c[k] += b[k];
		}
	}
	memcpy(s->a, a, sizeof(a));
	memcpy(s->b, b, sizeof(b));
	memcpy(s->c, c, sizeof(c));
}

uint64_t
nt_sum_end(const struct nt_sum *s)
{
	uint64_t h = 0;
	int k;

	for (k = 0; k < NT_SUM_LANES; k++)
		h = (h ^ s->a[k] ^ (s->b[k] << 1 | s->b[k] >> 63) ^
		    (s->c[k] << 2 | s->c[k] >> 62)) * 0x9E3779B97F4A7C15u;
	return h;
}

uint64_t
nt_sum_of(const unsigned char *p, size_t n)
{
	struct nt_sum s;

	nt_sum_init(&s);
	nt_sum_add(&s, p, n);
	return nt_sum_end(&s);
}

size_t
nt_guard_blocks(size_t len)
{
	return (len + ((size_t)1 << NT_BLOCK_SHIFT) - 1) >> NT_BLOCK_SHIFT;
}

struct nt_guard *
nt_guard_new(const unsigned char *base, size_t len, const uint64_t *sums,
    int *damaged)
{
	struct nt_guard *g = xcalloc(1, sizeof(*g));

	g->base = base;
	g->len = len;
	g->sums = sums;
	g->nblocks = nt_guard_blocks(len);
	/* One byte more, so that an empty range has a state to read. */
	g->state = xcalloc(g->nblocks + 1, 1);
	g->damaged = damaged;
	return g;
}

int
nt_guard_check(struct nt_guard *g, size_t a, size_t b)
{
	size_t i, off, n;
	int good = 1;

	for (i = a; i <= b && i < g->nblocks; i++) {
		if (g->state[i] == 0) {
			off = i << NT_BLOCK_SHIFT;
			n = g->len - off;
			if (n > (size_t)1 << NT_BLOCK_SHIFT)
				n = (size_t)1 << NT_BLOCK_SHIFT;
			g->state[i] = nt_sum_of(g->base + off, n) ==
			    g->sums[i] ? 1 : 2;
			if (g->state[i] == 1 && ++g->ngood == g->nblocks)
				g->all = 1;
			if (g->state[i] == 2 && !*g->damaged) {
				*g->damaged = 1;
				g->bad_block = i;
			}
		}
		if (g->state[i] != 1)
			good = 0;
	}
	return good && b < g->nblocks;
}

int
nt_guard_check_all(struct nt_guard *g)
{
	return g->nblocks == 0 || nt_guard_check(g, 0, g->nblocks - 1);
}

void
nt_guard_free(struct nt_guard *g)
{
	if (g == NULL)
		return;
	free(g->state);
	free(g);
}
