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
	rewind(f);
	k = fread(got, 1, sizeof(got) - 1, f);
	got[k] = '\0';
	fclose(f);
	free(in);
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_tsv),
		cmocka_unit_test(t_inline),
		cmocka_unit_test(t_jsonl_key),
		cmocka_unit_test(t_long_key_is_text),
		cmocka_unit_test(t_empty),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
