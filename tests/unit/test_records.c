/* nertag - unit tests for records.c.  SPDX-License-Identifier: MIT */
#include "helpers.h"
#include "output.h"
#include "records.h"

static struct nt_lexicon *lex;

static int
setup(void **state)
{
	struct nt_error e;
	char *p = temp_file("# label: LOC\nKyiv\nNorth Korea\n", 30);

	(void)state;
	lex = nt_lex_new(0);
	assert_int_equal(nt_lex_gazetteer(lex, p, NULL, &e), 0);
	assert_int_equal(nt_lex_prepare(lex, &e), 0);
	unlink(p);
	free(p);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	nt_lex_free(lex);
	return 0;
}

/* Records input in pieces of piece bytes, as format fmt. */
static const char *
records(const char *fmt, const char *input, size_t n, size_t piece)
{
	static char got[8192];
	struct nt_out_config cfg;
	struct nt_match_config mc;
	const struct nt_trie *tries[1];
	struct nt_matcher *m;
	struct nt_records *r;
	struct nt_out *o;
	unsigned char *in = exact(input, n);
	FILE *f = tmpfile();
	size_t i, k;

	memset(&cfg, 0, sizeof(cfg));
	cfg.fd = fileno(f);
	cfg.format = nt_out_format(fmt);
	cfg.records = 1;
	cfg.lex = lex;
	o = nt_out_new(&cfg);
	memset(&mc, 0, sizeof(mc));
	tries[0] = nt_lex_trie(lex, 0);
	mc.tries = tries;
	mc.ntries = 1;
	mc.text = nt_out_text;
	mc.span = nt_out_span;
	mc.ctx = o;
	m = nt_match_new(&mc);
	r = nt_rec_new(m, o);
	for (i = 0; i < n; i += k) {
		k = n - i < piece ? n - i : piece;
		nt_rec_feed(r, in + i, k);
	}
	nt_rec_finish(r);
	assert_int_equal(nt_out_flush(o), 0);
	nt_rec_free(r);
	nt_match_free(m);
	nt_out_free(o);
	drain(f, got, sizeof(got));
	free(in);
	return got;
}

/* As records(), fed in two pieces: [0, k) and [k, n). */
static const char *
records2(const char *fmt, const char *input, size_t n, size_t k)
{
	static char got[NT_RECORD_KEY_MAX * 2];
	struct nt_out_config cfg;
	struct nt_match_config mc;
	const struct nt_trie *tries[1];
	struct nt_matcher *m;
	struct nt_records *r;
	struct nt_out *o;
	unsigned char *a = exact(input, k), *b = exact(input + k, n - k);
	FILE *f = tmpfile();

	memset(&cfg, 0, sizeof(cfg));
	cfg.fd = fileno(f);
	cfg.format = nt_out_format(fmt);
	cfg.records = 1;
	cfg.lex = lex;
	o = nt_out_new(&cfg);
	memset(&mc, 0, sizeof(mc));
	tries[0] = nt_lex_trie(lex, 0);
	mc.tries = tries;
	mc.ntries = 1;
	mc.block = 5;
	mc.text = nt_out_text;
	mc.span = nt_out_span;
	mc.ctx = o;
	m = nt_match_new(&mc);
	r = nt_rec_new(m, o);
	nt_rec_feed(r, a, k);
	nt_rec_feed(r, b, n - k);
	nt_rec_finish(r);
	assert_int_equal(nt_out_flush(o), 0);
	nt_rec_free(r);
	nt_match_free(m);
	nt_out_free(o);
	drain(f, got, sizeof(got));
	free(a);
	free(b);
	return got;
}

static const char in[] = "a\tKyiv and North\\nKorea\n"
    "no tab Kyiv\n"
    "b\\tc\tx\\\\Kyiv\\t\\q Kyiv\n"
    "\tNorth\n"
    "c\tKyiv North";

static void
t_tsv(void **state)
{
	size_t piece;

	(void)state;
	for (piece = 1; piece <= sizeof(in); piece++)
		assert_string_equal(records("tsv", in, sizeof(in) - 1, piece),
		    "a\t0\t4\tLOC\tKyiv\tKyiv\n"
		    "a\t9\t20\tLOC\tNorth\\nKorea\tNorth Korea\n"
		    "\t7\t11\tLOC\tKyiv\tKyiv\n"
		    "b\\tc\t2\t6\tLOC\tKyiv\tKyiv\n"
		    "b\\tc\t10\t14\tLOC\tKyiv\tKyiv\n"
		    "c\t0\t4\tLOC\tKyiv\tKyiv\n");
}

static void
t_inline(void **state)
{
	(void)state;
	assert_string_equal(records("inline", in, sizeof(in) - 1, 5),
	    "a\t<LOC>Kyiv</LOC> and <LOC id=\"North Korea\">North\\nKorea</LOC>\n"
	    "\tno tab <LOC>Kyiv</LOC>\n"
	    "b\\tc\tx\\\\<LOC>Kyiv</LOC>\\t\\\\q <LOC>Kyiv</LOC>\n"
	    "\tNorth\n"
	    "c\t<LOC>Kyiv</LOC> North\n");
}

static void
t_jsonl_key(void **state)
{
	(void)state;
	assert_string_equal(records("jsonl", "k\\t1\tKyiv\n", 10, 3),
	    "{\"key\":\"k\\t1\",\"start\":0,\"end\":4,\"label\":\"LOC\","
	    "\"text\":\"Kyiv\",\"id\":\"Kyiv\"}\n");
}

static void
t_long_key_is_text(void **state)
{
	size_t n = NT_RECORD_KEY_MAX + 100;
	char *big = malloc(n + 1);
	const char *got;

	(void)state;
	assert_non_null(big);
	memset(big, 'x', n);
	memcpy(big + n - 6, " Kyiv\n", 6);
	big[n] = '\0';
	got = records("tsv", big, n, 4096);
	/* No tab within the key limit: a record with no key, all text. */
	assert_string_equal(got, "\t65631\t65635\tLOC\tKyiv\tKyiv\n");
	free(big);
}

static void
t_empty(void **state)
{
	(void)state;
	assert_string_equal(records("tsv", "", 0, 1), "");
	assert_string_equal(records("inline", "\n\n", 2, 1), "\t\n\t\n");
}

/* Records fed in two pieces split at every byte: the same output. */
static void
t_split_every_byte(void **state)
{
	static const char r[] = "k1\tNorth\\nKorea \\q\\\\Kyiv\\\n"
	    "k2\\\tKyiv\r\n"
	    "Kyiv no key\n"
	    "\n"
	    "last\tKyiv";
	static const char want[] =
	    "k1\t0\t11\tLOC\tNorth\\nKorea\tNorth Korea\n"
	    "k1\t15\t19\tLOC\tKyiv\tKyiv\n"
	    "k2\\\t0\t4\tLOC\tKyiv\tKyiv\n"
	    "\t0\t4\tLOC\tKyiv\tKyiv\n"
	    "last\t0\t4\tLOC\tKyiv\tKyiv\n";
	char first[1024];
	size_t k, n = sizeof(r) - 1;

	(void)state;
	snprintf(first, sizeof(first), "%s", records("tsv", r, n, n));
	assert_string_equal(first, want);
	for (k = 1; k < n; k++) {
		const char *got = records2("tsv", r, n, k);

		if (strcmp(got, want) != 0)
			fail_msg("split at %zu: \"%s\"", k, got);
	}
}

static void
t_escapes_exact(void **state)
{
	/* \t \n \r \\ undone; an unknown escape keeps its backslash. */
	static const char e1[] = "k\ta\\tb\\nc\\rd\\\\e\\qf\\\n";
	static const char e2[] = "k\t\\\\\\t\\xKyiv \\\\Kyiv\n";
	static const char e3[] = "k\tNorth\nj\tKorea\n";
	static const char e4[] = "k\tNorth\\r\\nKorea";
	static const char e5[] = "a\tb\tKyiv\n";

	(void)state;
	assert_string_equal(records("inline", e1, sizeof(e1) - 1, 3),
	    "k\ta\\tb\\nc\\rd\\\\e\\\\qf\\\\\n");
	/* Offsets count the unescaped text: "\\\\" is one byte. */
	assert_string_equal(records("tsv", e2, sizeof(e2) - 1, 4),
	    "k\t10\t14\tLOC\tKyiv\tKyiv\n");
	/* A name cannot span records, and "\\n" is a space in a name. */
	assert_string_equal(records("tsv", e3, sizeof(e3) - 1, 2), "");
	assert_string_equal(records("jsonl", e4, sizeof(e4) - 1, 5),
	    "{\"key\":\"k\",\"start\":0,\"end\":12,\"label\":\"LOC\","
	    "\"text\":\"North\\r\\nKorea\",\"id\":\"North Korea\"}\n");
	/* Only the first tab ends the key. */
	assert_string_equal(records("only", e5, sizeof(e5) - 1, 1),
	    "a\tLOC\tKyiv\n");
}

static void
t_key_limit(void **state)
{
	size_t n = NT_RECORD_KEY_MAX + 6;
	char *big = malloc(n + 1), want[64];
	const char *got;

	(void)state;
	assert_non_null(big);
	/* A key of exactly the limit is a key. */
	memset(big, 'k', NT_RECORD_KEY_MAX);
	memcpy(big + NT_RECORD_KEY_MAX, "\tKyiv\n", 6);
	got = records2("only", big, n, 1000);
	assert_int_equal(strlen(got), NT_RECORD_KEY_MAX + 10);
	assert_memory_equal(got, big, NT_RECORD_KEY_MAX);
	assert_string_equal(got + NT_RECORD_KEY_MAX, "\tLOC\tKyiv\n");
	/* One byte more (and no newline): the line is all text, tab included. */
	big[0] = 'x';
	memmove(big + 1, big, n - 1);
	big[n] = '\0';
	got = records("tsv", big, n, 777);
	snprintf(want, sizeof(want), "\t%d\t%d\tLOC\tKyiv\tKyiv\n",
	    NT_RECORD_KEY_MAX + 2, NT_RECORD_KEY_MAX + 6);
	assert_string_equal(got, want);
	free(big);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_tsv),
		cmocka_unit_test(t_inline),
		cmocka_unit_test(t_jsonl_key),
		cmocka_unit_test(t_long_key_is_text),
		cmocka_unit_test(t_empty),
		cmocka_unit_test(t_split_every_byte),
		cmocka_unit_test(t_escapes_exact),
		cmocka_unit_test(t_key_limit),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
