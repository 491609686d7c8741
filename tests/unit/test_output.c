/* nertag - unit tests for output.c.  SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>

#include "helpers.h"
#include "output.h"

static struct nt_lexicon *lex;
static size_t rendered;		/* bytes render() got, NULs included */
static char dir[64];

static int
setup(void **state)
{
	struct nt_error e;
	char path[128];
	FILE *f;

	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/nertag-unit-out.XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/LOC.txt", dir);
	f = fopen(path, "w");
	fputs("Kyiv\nKiev\tKyiv\nA&B\tx\"<y>&\n", f);
	fclose(f);
	lex = nt_lex_new(0);
	assert_int_equal(nt_lex_gazetteer(lex, path, NULL, &e), 0);
	assert_int_equal(nt_lex_prepare(lex, &e), 0);
	unlink(path);
	rmdir(dir);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	nt_lex_free(lex);
	return 0;
}

/*
 * Run input through a matcher into an output of format fmt (with the
 * options set in base), and return what was written (static buffer).
 */
static const char *
render(const char *fmt, const struct nt_out_config *base, const char *input,
    size_t n)
{
	static char got[8192];
	struct nt_out_config cfg;
	struct nt_match_config mc;
	const struct nt_trie *tries[1];
	struct nt_matcher *m;
	struct nt_out *o;
	FILE *f = tmpfile();
	size_t r;

	assert_non_null(f);
	cfg = *base;
	cfg.fd = fileno(f);
	cfg.format = nt_out_format(fmt);
	cfg.lex = lex;
	assert_true(cfg.format >= 0);
	o = nt_out_new(&cfg);
	memset(&mc, 0, sizeof(mc));
	tries[0] = nt_lex_trie(lex, 0);
	mc.tries = tries;
	mc.ntries = 1;
	mc.text = nt_out_text;
	mc.span = nt_out_span;
	mc.ctx = o;
	m = nt_match_new(&mc);
	nt_out_file(o, "f\t1");
	nt_match_feed(m, input, n);
	nt_match_finish(m);
	assert_int_equal(nt_out_flush(o), 0);
	assert_int_equal(nt_out_error(o), 0);
	nt_match_free(m);
	nt_out_free(o);
	rewind(f);
	r = fread(got, 1, sizeof(got) - 1, f);
	got[r] = '\0';
	rendered = r;
	fclose(f);
	return got;
}

static const char in[] = "Kiev & Kyiv <b> A&B\xff\n";

static void
t_inline_and_xml(void **state)
{
	struct nt_out_config c;

	(void)state;
	memset(&c, 0, sizeof(c));
	assert_string_equal(render("inline", &c, in, sizeof(in) - 1),
	    "<LOC id=\"Kyiv\">Kiev</LOC> & <LOC>Kyiv</LOC> <b> "
	    "<LOC id=\"x&quot;&lt;y&gt;&amp;\">A&B</LOC>\xff\n");
	assert_string_equal(render("xml", &c, in, sizeof(in) - 1),
	    "<LOC id=\"Kyiv\">Kiev</LOC> &amp; <LOC>Kyiv</LOC> &lt;b&gt; "
	    "<LOC id=\"x&quot;&lt;y&gt;&amp;\">A&amp;B</LOC>\xff\n");
	c.color = 1;
	assert_string_equal(render("inline", &c, "Kyiv", 4),
	    "\033[1;31m<LOC>Kyiv</LOC>\033[m");
}

static void
t_tsv_jsonl_only(void **state)
{
	struct nt_out_config c;

	(void)state;
	memset(&c, 0, sizeof(c));
	assert_string_equal(render("tsv", &c, in, sizeof(in) - 1),
	    "0\t4\tLOC\tKiev\tKyiv\n7\t11\tLOC\tKyiv\tKyiv\n"
	    "16\t19\tLOC\tA&B\tx\"<y>&\n");
	c.show_file = 1;
	assert_string_equal(render("only", &c, "Kyiv", 4),
	    "f\\t1\tLOC\tKyiv\n");
	c.show_file = 0;
	assert_string_equal(render("jsonl", &c, "\xc3\xa9 Kyiv", 7),
	    "{\"start\":3,\"end\":7,\"label\":\"LOC\",\"text\":\"Kyiv\","
	    "\"id\":\"Kyiv\"}\n");
	c.chars = 1;
	assert_string_equal(render("tsv", &c, "\xc3\xa9\xff Kyiv", 8),
	    "3\t7\tLOC\tKyiv\tKyiv\n");
	assert_int_equal(nt_out_format("bogus"), -1);
}

static void
t_escapes(void **state)
{
	static const char g[] = "Kyiv";
	struct nt_out_config c;
	struct nt_out *o;
	FILE *f = tmpfile();
	char got[256];
	size_t r;

	(void)state;
	(void)g;
	memset(&c, 0, sizeof(c));
	c.fd = fileno(f);
	c.format = nt_out_format("jsonl");
	c.lex = lex;
	c.records = 1;
	o = nt_out_new(&c);
	/* A record key with TSV escapes is unescaped in JSON. */
	nt_out_record(o, "k\\tey\\\\\"", 8);
	{
		struct nt_span s = { 0, 4, 0, 1 };

		nt_out_span(o, (const unsigned char *)"K\x01\xff\"", 4, &s);
	}
	nt_out_record_end(o);
	assert_int_equal(nt_out_flush(o), 0);
	nt_out_free(o);
	rewind(f);
	r = fread(got, 1, sizeof(got) - 1, f);
	got[r] = '\0';
	fclose(f);
	assert_string_equal(got, "{\"key\":\"k\\tey\\\\\\\"\",\"start\":0,"
	    "\"end\":4,\"label\":\"LOC\",\"text\":\"K\\u0001\xef\xbf\xbd\\\"\","
	    "\"id\":\"Kyiv\"}\n");
}

static void
t_untag_round_trip(void **state)
{
	static const char tricky[] = "a &amp; b <LOC>x</LOC> &lt; Kiev & "
	    "Kyiv > <\xff\x00&gt;&am";
	struct nt_out_config c;
	struct nt_out *o;
	const char *xml;
	char copy[8192];
	FILE *f;
	size_t n, r, i, piece;

	(void)state;
	memset(&c, 0, sizeof(c));
	xml = render("xml", &c, tricky, sizeof(tricky) - 1);
	n = rendered;
	assert_true(n < sizeof(copy));
	memcpy(copy, xml, n);
	/* Untag in pieces of every size gives the input back. */
	for (piece = 1; piece <= n; piece++) {
		f = tmpfile();
		c.fd = fileno(f);
		c.format = nt_out_format("inline");
		o = nt_out_new(&c);
		for (i = 0; i < n; i += piece)
			nt_out_untag(o, (const unsigned char *)copy + i,
			    n - i < piece ? n - i : piece);
		nt_out_untag_end(o);
		assert_int_equal(nt_out_flush(o), 0);
		nt_out_free(o);
		rewind(f);
		r = fread(copy + n + 1, 1, sizeof(copy) - n - 1, f);
		fclose(f);
		assert_int_equal(r, sizeof(tricky) - 1);
		assert_memory_equal(copy + n + 1, tricky, r);
	}
}

static void
t_write_errors(void **state)
{
	struct nt_out_config c;
	struct nt_out *o;
	int p[2], fd;
	char big[4096];
	size_t i;

	(void)state;
	memset(big, 'x', sizeof(big));
	memset(&c, 0, sizeof(c));
	c.format = nt_out_format("inline");
	c.lex = lex;
	/* A full disk. */
	fd = open("/dev/full", O_WRONLY);
	if (fd >= 0) {
		c.fd = fd;
		o = nt_out_new(&c);
		nt_out_raw(o, "abc", 3);
		assert_int_equal(nt_out_flush(o), -1);
		assert_int_equal(nt_out_error(o), ENOSPC);
		nt_out_free(o);
		close(fd);
	}
	/* A closed pipe with SIGPIPE ignored: EPIPE, and nothing more. */
	signal(SIGPIPE, SIG_IGN);
	assert_int_equal(pipe(p), 0);
	close(p[0]);
	c.fd = p[1];
	o = nt_out_new(&c);
	for (i = 0; i < 100; i++)
		nt_out_raw(o, big, sizeof(big));
	assert_int_equal(nt_out_error(o), EPIPE);
	assert_int_equal(nt_out_flush(o), -1);
	nt_out_free(o);
	close(p[1]);
	signal(SIGPIPE, SIG_DFL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_inline_and_xml),
		cmocka_unit_test(t_tsv_jsonl_only),
		cmocka_unit_test(t_escapes),
		cmocka_unit_test(t_untag_round_trip),
		cmocka_unit_test(t_write_errors),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
