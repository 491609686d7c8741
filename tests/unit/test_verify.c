/* nertag - unit tests for verify.c.  SPDX-License-Identifier: MIT */
#include "helpers.h"

#include "verify.h"

#define BLOCK	((size_t)1 << NT_BLOCK_SHIFT)

static void
t_sums(void **state)
{
	unsigned char a[96], b[96];
	struct nt_sum s;
	uint64_t whole;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(a); i++)
		a[i] = (unsigned char)(i * 37 + 1);
	memcpy(b, a, sizeof(b));
	whole = nt_sum_of(a, sizeof(a));
	/* In pieces of 32, the same. */
	nt_sum_init(&s);
	for (i = 0; i < sizeof(a); i += 32)
		nt_sum_add(&s, a + i, 32);
	assert_true(nt_sum_end(&s) == whole);
	/* A changed bit, two swapped words, a moved word: all seen. */
	b[50] ^= 1;
	assert_true(nt_sum_of(b, sizeof(b)) != whole);
	memcpy(b, a, sizeof(b));
	memcpy(b, a + 32, 8);
	memcpy(b + 32, a, 8);
	assert_true(nt_sum_of(b, sizeof(b)) != whole);
	memcpy(b, a, sizeof(b));
	memcpy(b + 64, a, 8);
	memcpy(b, a + 64, 8);
	assert_true(nt_sum_of(b, sizeof(b)) != whole);
	/*
	 * Damage that sums of 8-byte words modulo 2^64 let through (a
	 * helper's finding): the top bit of one word flipped and of the word
	 * 64 bytes on, in the same lane (both carries fall off the end of
	 * both sums); and +d, -2d, +d in three words of one lane (a second
	 * difference, which a sum and a sum of sums cannot see).
	 */
	memcpy(b, a, sizeof(b));
	b[7] ^= 0x80;
	b[71] ^= 0x80;
	assert_true(nt_sum_of(b, sizeof(b)) != whole);
	memcpy(b, a, sizeof(b));
	for (i = 0; i < 3; i++) {
		uint64_t w, d[3] = { 5, (uint64_t)-10, 5 };

		memcpy(&w, a + 8 + 32 * i, 8);
		w += d[i];
		memcpy(b + 8 + 32 * i, &w, 8);
	}
	assert_true(nt_sum_of(b, sizeof(b)) != whole);
	/* Zeros are not nothing: lengths differ. */
	memset(b, 0, sizeof(b));
	assert_true(nt_sum_of(b, 32) != nt_sum_of(b, 64));
}

/* 3.5 blocks of bytes with their block sums. */
static unsigned char *
blocks(size_t *n, uint64_t sums[4])
{
	unsigned char *p;
	size_t i;

	*n = 3 * BLOCK + BLOCK / 2;
	p = malloc(*n);
	assert_non_null(p);
	for (i = 0; i < *n; i++)
		p[i] = (unsigned char)(i * 7 + i / 251);
	for (i = 0; i < 4; i++)
		sums[i] = nt_sum_of(p + i * BLOCK,
		    i < 3 ? BLOCK : BLOCK / 2);
	return p;
}

static void
t_guard_lazy(void **state)
{
	uint64_t sums[4];
	struct nt_guard *g;
	unsigned char *p;
	int damaged = 0;
	size_t n;

	(void)state;
	p = blocks(&n, sums);
	assert_int_equal(nt_guard_blocks(n), 4);
	assert_int_equal(nt_guard_blocks(BLOCK), 1);
	assert_int_equal(nt_guard_blocks(0), 0);
	g = nt_guard_new(p, n, sums, &damaged);
	/* Nothing is read until asked for. */
	assert_int_equal(g->state[0] + g->state[1] + g->state[2], 0);
	assert_true(nt_guard_ok(g, p + 10, 20));
	assert_int_equal(g->state[0], 1);
	assert_int_equal(g->state[1], 0);
	/* A range across a boundary checks both blocks. */
	assert_true(nt_guard_ok(g, p + 2 * BLOCK - 4, 8));
	assert_int_equal(g->state[1], 1);
	assert_int_equal(g->state[2], 1);
	assert_int_equal(g->all, 0);
	/* The short last block, to its last byte: all are good now. */
	assert_true(nt_guard_ok(g, p + n - 1, 1));
	assert_int_equal(g->all, 1);
	/* Outside the range, or running past it: never good. */
	assert_false(nt_guard_ok(g, p + n, 1));
	assert_false(nt_guard_ok(g, p + n - 4, 8));
	assert_false(nt_guard_ok(g, p - 1, 1));
	/* Nothing at all is always fine. */
	assert_true(nt_guard_ok(g, p + n + 100, 0));
	assert_true(nt_guard_ok(NULL, p, 1));
	assert_int_equal(damaged, 0);
	assert_true(nt_guard_check_all(g));
	nt_guard_free(g);
	/* Before the range: never good either. */
	g = nt_guard_new(p + BLOCK, n - BLOCK, sums + 1, &damaged);
	assert_false(nt_guard_ok(g, p + BLOCK - 1, 1));
	assert_true(nt_guard_ok(g, p + BLOCK, 1));
	nt_guard_free(g);
	free(p);
}

static void
t_guard_damage(void **state)
{
	uint64_t sums[4];
	struct nt_guard *g;
	unsigned char *p;
	int damaged = 0;
	size_t n;

	(void)state;
	p = blocks(&n, sums);
	p[2 * BLOCK + 5] ^= 0x10;
	g = nt_guard_new(p, n, sums, &damaged);
	/* The good blocks on either side still serve. */
	assert_true(nt_guard_ok(g, p + BLOCK, BLOCK));
	assert_true(nt_guard_ok(g, p + 3 * BLOCK, 16));
	assert_int_equal(damaged, 0);
	/* Any range touching the bad one fails, and keeps failing. */
	assert_false(nt_guard_ok(g, p + 2 * BLOCK + 100, 1));
	assert_int_equal(damaged, 1);
	assert_int_equal(g->bad_block, 2);
	assert_false(nt_guard_ok(g, p + 2 * BLOCK - 1, 2));
	assert_false(nt_guard_ok(g, p + 3 * BLOCK - 1, 1));
	assert_false(nt_guard_check_all(g));
	assert_true(nt_guard_ok(g, p, 32));
	/* With a bad block, not all are ever good. */
	assert_int_equal(g->all, 0);
	assert_false(nt_guard_ok(g, p + 2 * BLOCK, 1));
	nt_guard_free(g);

	/*
	 * A range over three blocks whose ends were found good by earlier
	 * reads still has its middle block checked.
	 */
	damaged = 0;
	g = nt_guard_new(p, n, sums, &damaged);
	assert_true(nt_guard_ok(g, p + BLOCK, 1));
	assert_true(nt_guard_ok(g, p + 3 * BLOCK, 1));
	assert_false(nt_guard_ok(g, p + BLOCK, 2 * BLOCK + 1));
	assert_int_equal(damaged, 1);
	nt_guard_free(g);

	/* check_all finds it without any use. */
	damaged = 0;
	g = nt_guard_new(p, n, sums, &damaged);
	assert_false(nt_guard_check_all(g));
	assert_int_equal(damaged, 1);
	assert_int_equal(g->bad_block, 2);
	nt_guard_free(g);
	nt_guard_free(NULL);
	free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_sums),
		cmocka_unit_test(t_guard_lazy),
		cmocka_unit_test(t_guard_damage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
