/*
 * verify.h - checksums of compiled index files, and the guard that checks a
 * mapped file block by block on first use, so that loading a large index
 * does not read all of it.
 */
#ifndef NERTAG_VERIFY_H
#define NERTAG_VERIFY_H

#include <stddef.h>
#include <stdint.h>

/*
 * A running checksum in the manner of Fletcher's (see verify.c).  Feed it
 * pieces whose sizes are multiples of 32; a shorter tail is ignored.
 */
#define NT_SUM_LANES	8

struct nt_sum {
	uint64_t a[NT_SUM_LANES], b[NT_SUM_LANES], c[NT_SUM_LANES];
};

void	 nt_sum_init(struct nt_sum *s);
void	 nt_sum_add(struct nt_sum *s, const unsigned char *p, size_t n);
uint64_t nt_sum_end(const struct nt_sum *s);

/* The checksum of n bytes (a multiple of 32) on their own. */
uint64_t nt_sum_of(const unsigned char *p, size_t n);

/* Blocks of 2^NT_BLOCK_SHIFT bytes: 64 KiB, a few microseconds to check. */
#define NT_BLOCK_SHIFT	16

/*
 * The bytes [base, base + len) of a mapped file under guard: block i (the
 * last one may be short) must have checksum sums[i] before anything in it
 * is used.  The first check of a block reads it whole; later ones cost a
 * byte load, and once every block is found good, only the range is
 * checked.  A block found damaged stays so, and sets *damaged to 1 for
 * the caller to report.
 */
struct nt_guard {
	const unsigned char *base;
	size_t len;
	const uint64_t *sums;		/* nblocks, themselves checked already */
	unsigned char *state;		/* per block: 0 unchecked, 1 good, 2 bad */
	size_t nblocks;
	size_t ngood;			/* blocks found good so far */
	int all;			/* all of them: only the range to check */
	int *damaged;
	size_t bad_block;		/* the first damaged block, if any */
};

/* A guard over len bytes (a multiple of 32) at base; nt_guard_free() it. */
struct nt_guard *nt_guard_new(const unsigned char *base, size_t len,
	    const uint64_t *sums, int *damaged);

/* Free g; g may be NULL. */
void	nt_guard_free(struct nt_guard *g);

/* The number of blocks that len bytes make. */
size_t	nt_guard_blocks(size_t len);

/* Check blocks a..b (inclusive) that are not checked yet: 1 if all good. */
int	nt_guard_check(struct nt_guard *g, size_t a, size_t b);

/* Check every block now: 1 if all are good. */
int	nt_guard_check_all(struct nt_guard *g);

/*
 * 1 if the n bytes at p may be used: g is NULL (memory built in this
 * process), n is 0, or every block they touch is good.  Bytes outside the
 * guarded range are never good.
 */
static inline int
nt_guard_ok(struct nt_guard *g, const void *p, size_t n)
{
	uintptr_t off;
	size_t a, b;

	if (g == NULL || n == 0)
		return 1;
	/* Integers, not pointers, compared: p may lie outside the range. */
	off = (uintptr_t)p - (uintptr_t)g->base;
	if ((uintptr_t)p < (uintptr_t)g->base || off > g->len ||
	    n > g->len - off)
		return 0;
	if (g->all)
		return 1;
	a = (size_t)off >> NT_BLOCK_SHIFT;
	b = (size_t)(off + n - 1) >> NT_BLOCK_SHIFT;
	/* Good ends say nothing of the blocks between them. */
	if (b - a <= 1 && g->state[a] == 1 && g->state[b] == 1)
		return 1;
	return nt_guard_check(g, a, b);
}

#endif
