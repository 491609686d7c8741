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
 * options set in base), and put what was written into got (cap bytes, one
 * kept for a NUL); returns its length.
 */
static size_t
render_lex(const struct nt_lexicon *x, const char *fmt,
    const struct nt_out_config *base, const char *input, size_t n, char *got,
    size_t cap)
{
	struct nt_out_config cfg;
	struct nt_match_config mc;
	const struct nt_trie *tries[1];
	struct nt_matcher *m;
	struct nt_out *o;
	FILE *f = tmpfile();

	assert_non_null(f);
	cfg = *base;
	cfg.fd = fileno(f);
	cfg.format = nt_out_format(fmt);
	cfg.lex = x;
	assert_true(cfg.format >= 0);
	o = nt_out_new(&cfg);
	memset(&mc, 0, sizeof(mc));
	tries[0] = nt_lex_trie(x, 0);
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
	return drain(f, got, cap);
}

/* render_lex() with the lexicon of setup(). */
static size_t
render_into(const char *fmt, const struct nt_out_config *base,
    const char *input, size_t n, char *got, size_t cap)
{
	return render_lex(lex, fmt, base, input, n, got, cap);
}

/* render_into() a static buffer, which it returns. */
static const char *
render(const char *fmt, const struct nt_out_config *base, const char *input,
    size_t n)
{
	static char got[8192];

	rendered = render_into(fmt, base, input, n, got, sizeof(got));
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
		struct nt_span s = { 0, 4, 0, 1, 1 };

		nt_out_span(o, (const unsigned char *)"K\x01\xff\"", 4, &s);
	}
	nt_out_record_end(o);
	assert_int_equal(nt_out_flush(o), 0);
	nt_out_free(o);
	drain(f, got, sizeof(got));
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
			assert_int_equal(nt_out_untag(o,
			    (const unsigned char *)copy + i,
			    n - i < piece ? n - i : piece), 0);
		assert_int_equal(nt_out_untag_end(o), 0);
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

/* Write spans and text straight to a writer of format fmt; return output. */
static const char *
direct(const char *fmt, int records, int chars, int show_file,
    int line_buffered)
{
	static char got[8192];
	struct nt_out_config c;
	struct nt_out *o;
	struct nt_span s = { 0, 0, 0, 0, 1 };
	FILE *f = tmpfile();

	assert_non_null(f);
	memset(&c, 0, sizeof(c));
	c.fd = fileno(f);
	c.format = nt_out_format(fmt);
	c.lex = lex;
	c.records = records;
	c.chars = chars;
	c.show_file = show_file;
	c.line_buffered = line_buffered;
	o = nt_out_new(&c);
	nt_out_file(o, "a\xff\tb");
	if (records)
		nt_out_record(o, "k\\t\xffy", 5);
	/* "é\t" then Kiev (value 2, ID Kyiv) written as "Ki\tev\\". */
	nt_out_text(o, (const unsigned char *)"\xc3\xa9\t", 3);
	s.start = 3;
	s.end = 10;
	s.value = 2;
	nt_out_span(o, (const unsigned char *)"Ki\tev\\\n", 7, &s);
	nt_out_text(o, (const unsigned char *)"\r<&", 3);
	s.start = 13;
	s.end = 16;
	s.value = 3;
	nt_out_span(o, (const unsigned char *)"A&B", 3, &s);
	if (records)
		nt_out_record_end(o);
	assert_int_equal(nt_out_flush(o), 0);
	nt_out_free(o);
	drain(f, got, sizeof(got));
	return got;
}

static void
t_formats_exact(void **state)
{
	(void)state;
	assert_string_equal(direct("inline", 0, 0, 0, 0),
	    "\xc3\xa9\t<LOC id=\"Kyiv\">Ki\tev\\\n</LOC>\r<&"
	    "<LOC id=\"x&quot;&lt;y&gt;&amp;\">A&B</LOC>");
	assert_string_equal(direct("xml", 0, 0, 0, 0),
	    "\xc3\xa9\t<LOC id=\"Kyiv\">Ki\tev\\\n</LOC>\r&lt;&amp;"
	    "<LOC id=\"x&quot;&lt;y&gt;&amp;\">A&amp;B</LOC>");
	assert_string_equal(direct("tsv", 0, 0, 0, 0),
	    "3\t10\tLOC\tKi\\tev\\\\\\n\tKyiv\n"
	    "13\t16\tLOC\tA&B\tx\"<y>&\n");
	assert_string_equal(direct("tsv", 0, 1, 1, 0),
	    "a\xff\\tb\t2\t9\tLOC\tKi\\tev\\\\\\n\tKyiv\n"
	    "a\xff\\tb\t12\t15\tLOC\tA&B\tx\"<y>&\n");
	assert_string_equal(direct("only", 0, 0, 1, 0),
	    "a\xff\\tb\tLOC\tKi\\tev\\\\\\n\n"
	    "a\xff\\tb\tLOC\tA&B\n");
	assert_string_equal(direct("jsonl", 0, 0, 1, 0),
	    "{\"file\":\"a\xef\xbf\xbd\\tb\",\"start\":3,\"end\":10,"
	    "\"label\":\"LOC\",\"text\":\"Ki\\tev\\\\\\n\",\"id\":\"Kyiv\"}\n"
	    "{\"file\":\"a\xef\xbf\xbd\\tb\",\"start\":13,\"end\":16,"
	    "\"label\":\"LOC\",\"text\":\"A&B\",\"id\":\"x\\\"<y>&\"}\n");
}

/* The reference for t_tsv_fields: one character at a time. */
static size_t
tsv_ref(char *d, const char *p, size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		char c = p[i];

		if (c == '\\' || c == '\t' || c == '\n' || c == '\r') {
			d[k++] = '\\';
			c = c == '\t' ? 't' : c == '\n' ? 'n' : c == '\r' ? 'r' :
			    '\\';
		}
		d[k++] = c;
	}
	return k;
}

/*
 * Write "Kyiv" at the offsets start and end to o, and the tsv line it must
 * give at w; returns the end of that line.
 */
static char *
kyiv_at(struct nt_out *o, uint64_t start, uint64_t end, char *w)
{
	struct nt_span s = { 0, 0, 0, 1, 1 };

	s.start = start;
	s.end = end;
	nt_out_span(o, (const unsigned char *)"Kyiv", 4, &s);
	return w + sprintf(w, "%llu\t%llu\tLOC\tKyiv\tKyiv\n",
	    (unsigned long long)start, (unsigned long long)end);
}

/*
 * tsv lines field by field against the reference, where the writer takes
 * shortcuts: offsets of every digit count and past 32 bits (powers of ten
 * and their neighbours, and 4,000 pseudo-random ones), and texts of
 * every length up to 40 with an escape (or a byte near one) at every
 * place, so that each eight-byte step and the last, overlapping one meet
 * it.
 */
static void
t_tsv_fields(void **state)
{
	static const uint64_t offs[] = { 0, 7, 9, 10, 99, 100, 101, 999, 1000,
	    65535, 99999999, 100000000, 4294967295u, 4294967296u,
	    9999999999u, 10000000000u, 12345678901234567890u,
	    18446744073709551615u };
	static const char esc[] = "\t\n\r\\\x0b\x0e[]";
	static char want[1 << 20];
	char text[41], *got, *w;
	struct nt_out_config c;
	struct nt_out *o;
	struct nt_span s = { 0, 0, 0, 1, 1 };
	size_t n, at, e, i, k, len;
	uint64_t x;
	FILE *f;

	(void)state;
	f = tmpfile();
	assert_non_null(f);
	memset(&c, 0, sizeof(c));
	c.fd = fileno(f);
	c.format = nt_out_format("tsv");
	c.lex = lex;
	o = nt_out_new(&c);
	w = want;
	for (i = 0; i < sizeof(offs) / sizeof(offs[0]); i++)
		w = kyiv_at(o, offs[i], offs[sizeof(offs) / sizeof(offs[0]) - 1 -
		    i], w);
	/*
	 * Every power of ten and its neighbours, and numbers of every digit
	 * count whose digits are all over the place (each of the writer's
	 * splits into lanes meets every digit value).
	 */
	for (x = 1, i = 0; i < 20; i++, x *= 10) {
		w = kyiv_at(o, x - 1, x, w);
		w = kyiv_at(o, x + 1, x * 9 + x / 10 * 8, w);
	}
	for (x = 88172645463325252u, i = 0; i < 4000; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		w = kyiv_at(o, x >> (i % 64), (x >> 32) % 100000000, w);
	}
	s.start = 1;
	s.end = 2;
	for (n = 0; n <= 40; n++)
		for (e = 0; e < sizeof(esc) - 1; e++)
			for (at = 0; at <= n; at++) {
				for (k = 0; k < n; k++)
					text[k] = (char)('a' + k % 26);
				if (at < n)
					text[at] = esc[e];
				nt_out_span(o, (const unsigned char *)text, n,
				    &s);
				w += sprintf(w, "1\t2\tLOC\t");
				w += tsv_ref(w, text, n);
				w += sprintf(w, "\tKyiv\n");
				assert_true(w < want + sizeof(want) - 256);
			}
	assert_int_equal(nt_out_flush(o), 0);
	nt_out_free(o);
	len = (size_t)(w - want);
	got = malloc(len + 1);
	assert_non_null(got);
	rewind(f);
	assert_int_equal(fread(got, 1, len + 1, f), len);
	fclose(f);
	assert_memory_equal(got, want, len);
	free(got);
}

/*
 * Inline output of names that are their own IDs, which the writer puts
 * into its buffer in one pass with moves of fixed size: names of every
 * length from 1 to 40 under labels of 1, 16, 17 and 40 bytes (a short
 * label is copied 16 bytes at a time), against the line built here.
 */
static void
t_inline_fields(void **state)
{
	static const char *labels[] = { "L", "LABEL_OF_SIXTEEN",
	    "LABEL_OF_SEVENTEEN_", "LABEL_OF_FORTY_BYTES_IS_LONGER_THAN_16_B" };
	static char text[1 << 16], want[1 << 17], got[1 << 17];
	struct nt_lexicon *x = nt_lex_new(0);
	struct nt_out_config c;
	struct nt_error e;
	char path[128], name[48];
	char *t = text, *w = want;
	size_t j, k, i;
	FILE *f;

	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/nertag-unit-out.XXXXXX");
	assert_non_null(mkdtemp(dir));
	for (j = 0; j < 4; j++) {
		assert_int_equal(strlen(labels[j]), j == 0 ? 1 : j == 1 ? 16 :
		    j == 2 ? 19 : 40);
		snprintf(path, sizeof(path), "%s/g%zu.txt", dir, j);
		f = fopen(path, "w");
		assert_non_null(f);
		for (k = 1; k <= 40; k++) {
			/* Distinct names: the label's letter, then others. */
			for (i = 0; i < k; i++)
				name[i] = (char)(i == 0 ? 'a' + j :
				    'a' + (i * 7 + k) % 26);
			name[k] = '\0';
			fprintf(f, "%s\n", name);
			t += sprintf(t, "%s | ", name);
			w += sprintf(w, "<%s>%s</%s> | ", labels[j], name,
			    labels[j]);
		}
		fclose(f);
		assert_int_equal(nt_lex_gazetteer(x, path, labels[j], &e), 0);
		unlink(path);
	}
	rmdir(dir);
	assert_int_equal(nt_lex_prepare(x, &e), 0);
	memset(&c, 0, sizeof(c));
	assert_int_equal(render_lex(x, "inline", &c, text,
	    (size_t)(t - text), got, sizeof(got)), (size_t)(w - want));
	assert_string_equal(got, want);
	nt_lex_free(x);
}

static void
t_formats_records(void **state)
{
	(void)state;
	/* Inline and xml: KEY<TAB>text, the text escaped to one line. */
	assert_string_equal(direct("inline", 1, 0, 0, 0),
	    "k\\t\xffy\t\xc3\xa9\\t<LOC id=\"Kyiv\">Ki\\tev\\\\\\n</LOC>\\r<&"
	    "<LOC id=\"x&quot;&lt;y&gt;&amp;\">A&B</LOC>\n");
	assert_string_equal(direct("xml", 1, 0, 0, 0),
	    "k\\t\xffy\t\xc3\xa9\\t<LOC id=\"Kyiv\">Ki\\tev\\\\\\n</LOC>"
	    "\\r&lt;&amp;<LOC id=\"x&quot;&lt;y&gt;&amp;\">A&amp;B</LOC>\n");
	/* Record offsets in code points restart with the record. */
	assert_string_equal(direct("tsv", 1, 1, 0, 0),
	    "k\\t\xffy\t2\t9\tLOC\tKi\\tev\\\\\\n\tKyiv\n"
	    "k\\t\xffy\t12\t15\tLOC\tA&B\tx\"<y>&\n");
	assert_string_equal(direct("only", 1, 0, 0, 0),
	    "k\\t\xffy\tLOC\tKi\\tev\\\\\\n\nk\\t\xffy\tLOC\tA&B\n");
	assert_string_equal(direct("jsonl", 1, 0, 1, 0),
	    "{\"file\":\"a\xef\xbf\xbd\\tb\",\"key\":\"k\\t\xef\xbf\xbdy\","
	    "\"start\":3,\"end\":10,\"label\":\"LOC\",\"text\":\"Ki\\tev\\\\\\n\","
	    "\"id\":\"Kyiv\"}\n"
	    "{\"file\":\"a\xef\xbf\xbd\\tb\",\"key\":\"k\\t\xef\xbf\xbdy\","
	    "\"start\":13,\"end\":16,\"label\":\"LOC\",\"text\":\"A&B\","
	    "\"id\":\"x\\\"<y>&\"}\n");
	/* Line buffering changes when bytes are written, not which. */
	assert_string_equal(direct("xml", 1, 0, 0, 1),
	    "k\\t\xffy\t\xc3\xa9\\t<LOC id=\"Kyiv\">Ki\\tev\\\\\\n</LOC>"
	    "\\r&lt;&amp;<LOC id=\"x&quot;&lt;y&gt;&amp;\">A&amp;B</LOC>\n");
	assert_int_equal(nt_out_format("inline"), 0);
	assert_true(nt_out_format("xml") >= 0 && nt_out_format("tsv") >= 0 &&
	    nt_out_format("jsonl") >= 0 && nt_out_format("only") >= 0);
	assert_int_equal(nt_out_format("JSONL"), -1);
	assert_int_equal(nt_out_format(""), -1);
}

static void
t_json_controls(void **state)
{
	struct nt_out_config c;
	struct nt_out *o;
	struct nt_span s = { 0, 9, 0, 1, 1 };
	char got[512];
	FILE *f = tmpfile();

	(void)state;
	memset(&c, 0, sizeof(c));
	c.fd = fileno(f);
	c.format = nt_out_format("jsonl");
	c.lex = lex;
	o = nt_out_new(&c);
	/*
	 * Controls, DEL, a truncated and an overlong sequence, a surrogate,
	 * C1 controls (U+0080, U+0085 NEL, U+009F) and U+00A0 after them.
	 */
	nt_out_span(o, (const unsigned char *)"\x00\x1f\x7f\xe2\x82\xc0\xaf"
	    "\xed\xa0\x80\xf0\x9f\x98\x80\xc2\x80\xc2\x85\xc2\x9f\xc2\xa0",
	    22, &s);
	assert_int_equal(nt_out_flush(o), 0);
	nt_out_free(o);
	drain(f, got, sizeof(got));
	assert_string_equal(got, "{\"start\":0,\"end\":9,\"label\":\"LOC\","
	    "\"text\":\"\\u0000\\u001f\\u007f\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
	    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xf0\x9f\x98\x80"
	    "\\u0080\\u0085\\u009f\xc2\xa0\","
	    "\"id\":\"Kyiv\"}\n");
}

/*
 * After a write error nothing more is written: a second pipe put where
 * the dead one was receives no byte, however much more is output.
 */
static void
t_nothing_after_error(void **state)
{
	struct nt_out_config c;
	struct nt_out *o;
	int p[2], q[2], fl;
	char big[4096], b[16];
	size_t i;

	(void)state;
	memset(big, 'x', sizeof(big));
	memset(&c, 0, sizeof(c));
	c.format = nt_out_format("inline");
	c.lex = lex;
	signal(SIGPIPE, SIG_IGN);
	assert_int_equal(pipe(p), 0);
	close(p[0]);
	c.fd = p[1];
	o = nt_out_new(&c);
	nt_out_raw(o, "abc", 3);
	assert_int_equal(nt_out_flush(o), -1);
	assert_int_equal(nt_out_error(o), EPIPE);
	/* The same descriptor, now a live pipe. */
	assert_int_equal(pipe(q), 0);
	assert_true(dup2(q[1], p[1]) == p[1]);
	close(q[1]);
	for (i = 0; i < 64; i++)
		nt_out_raw(o, big, sizeof(big));
	nt_out_text(o, (const unsigned char *)"more\n", 5);
	assert_int_equal(nt_out_flush(o), -1);
	assert_int_equal(nt_out_error(o), EPIPE);
	nt_out_free(o);
	close(p[1]);
	fl = fcntl(q[0], F_GETFL);
	fcntl(q[0], F_SETFL, fl | O_NONBLOCK);
	/* The write end is closed: 0 means no byte ever came. */
	assert_int_equal(read(q[0], b, sizeof(b)), 0);
	close(q[0]);
	signal(SIGPIPE, SIG_DFL);

	/* /dev/full with line buffering: the first newline fails. */
	c.fd = open("/dev/full", O_WRONLY);
	if (c.fd >= 0) {
		c.line_buffered = 1;
		o = nt_out_new(&c);
		nt_out_text(o, (const unsigned char *)"a\n", 2);
		assert_int_equal(nt_out_error(o), ENOSPC);
		nt_out_text(o, (const unsigned char *)"b\n", 2);
		assert_int_equal(nt_out_flush(o), -1);
		assert_int_equal(nt_out_error(o), ENOSPC);
		nt_out_free(o);
		close(c.fd);
	}
}

/* Output larger than the writer's buffer arrives whole and in order. */
static void
t_large_output(void **state)
{
	struct nt_out_config c;
	struct nt_out *o;
	size_t n = 300 * 1024 + 7, i;
	unsigned char *src = malloc(n), *got = malloc(n + 1);
	FILE *f = tmpfile();

	(void)state;
	assert_non_null(src);
	assert_non_null(got);
	for (i = 0; i < n; i++)
		src[i] = (unsigned char)(i * 7 + 1);
	memset(&c, 0, sizeof(c));
	c.fd = fileno(f);
	c.format = nt_out_format("inline");
	c.lex = lex;
	o = nt_out_new(&c);
	for (i = 0; i < n; i += 1000)
		nt_out_text(o, src + i, n - i < 1000 ? n - i : 1000);
	assert_int_equal(nt_out_flush(o), 0);
	nt_out_free(o);
	rewind(f);
	assert_int_equal(fread(got, 1, n + 1, f), n);
	assert_memory_equal(got, src, n);
	fclose(f);
	free(src);
	free(got);
}

/*
 * Untag in two pieces split at every byte: what the xml format writes
 * comes back, unfinished and unknown entities as they are; what it never
 * writes stops --untag where it is, on the right line; the next file
 * starts afresh.
 */
#define L16	"ABCDEFGHIJKLMNOP"
#define L64	L16 L16 L16 L16

static void
t_untag_not_xml(void **state)
{
	static const struct {
		const char *in, *out, *why;
		unsigned long line;
	} c[] = {
		{ "a\n<LOC>K</LOC>\nb < c > d\n", "a\nK\nb ", "begins", 3 },
		{ "<LOC id=\"K\">x</LOC>", "x", NULL, 0 },
		{ "<A.b-c_9 id=\"&lt;&quot;\">x</A.b-c_9>", "x", NULL, 0 },
		{ "x</LOC id=\"K\">", "x", "begins", 1 },
		{ "x<1>", "x", "begins", 1 },
		{ "x<-LOC>", "x", "begins", 1 },
		{ "x<LOC idx=\"K\">", "x", "begins", 1 },
		{ "x<LOC id=\"K\" >", "x", "begins", 1 },
		{ "x<LOC id=\"K\n\">", "x", "begins", 1 },
		{ "x<LOC\n>", "x", "begins", 1 },
		{ "x\n\n<LOC id=\"K", "x\n\n", "not closed", 3 },
		{ "x<", "x", "not closed", 1 },
		{ "x &foo; <", "x &foo; ", "not closed", 1 },
		/* Elements: never nested, closed by their own label. */
		/* An element left open is reported where it opened. */
		{ "<LOC>Kyiv\n", "Kyiv\n", "element", 1 },
		{ "a\n<LOC id=\"K\">K\ny\n", "a\nK\ny\n", "element", 2 },
		{ "<LOC>x</PER>", "x", "match", 1 },
		{ "<LOC>x</LOCA>", "x", "match", 1 },
		{ "<LOCA>x</LOC>", "x", "match", 1 },
		{ "x</LOC>", "x", "no element open", 1 },
		{ "<LOC>x</LOC>\ny</LOC>", "x\ny", "no element open", 2 },
		{ "<LOC>a<PER>b</PER></LOC>", "a", "inside", 1 },
		/* A label of 64 bytes is one; of 65, none the writer has. */
		{ "<" L64 ">x</" L64 ">", "x", NULL, 0 },
		{ "<" L64 "A>x", "", "begins", 1 },
		/* Nor is one that begins with "xml", in any case. */
		{ "a<xml>Kyiv</xml>", "a", "begins", 1 },
		{ "a<LOC>b</XmLc>", "ab", "begins", 1 },
		{ "<xm>b</xm>", "b", NULL, 0 },
		{ "<LOC>New\nYork</LOC> <PER>x</PER>", "New\nYork x", NULL, 0 },
		/* A '<' or '&' ends an unfinished entity and is read anew. */
		{ "a &lt< b", "a &lt", "begins", 1 },
		{ "AT&<LOC>T</LOC> &&amp;", "AT&T &&", NULL, 0 },
		/* Escaped markup in an id; entities unfinished or unknown. */
		{ "<LOC id=\"a&gt;b&quot;\">K&amp;y</LOC> &lt;&gt;&amp;&amp "
		    "&foo; &", "K&y <>&&amp &foo; &", NULL, 0 },
	};
	struct nt_out_config cfg;
	struct nt_out *o;
	unsigned char *a, *b;
	const char *why;
	unsigned long line;
	char got[256];
	FILE *f;
	size_t i, k, n, r;
	int bad;

	(void)state;
	memset(&cfg, 0, sizeof(cfg));
	cfg.format = nt_out_format("inline");
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		n = strlen(c[i].in);
		for (k = 0; k <= n; k++) {
			f = tmpfile();
			cfg.fd = fileno(f);
			o = nt_out_new(&cfg);
			a = exact(c[i].in, k);
			b = exact(c[i].in + k, n - k);
			bad = nt_out_untag(o, a, k) == -1;
			bad |= nt_out_untag(o, b, n - k) == -1;
			bad |= nt_out_untag_end(o) == -1;
			why = nt_out_untag_error(o, &line);
			assert_int_equal(bad, c[i].why != NULL);
			if (c[i].why == NULL)
				assert_null(why);
			else {
				assert_non_null(strstr(why, c[i].why));
				assert_int_equal(line, c[i].line);
			}
			/* Ready for the next file. */
			assert_int_equal(nt_out_untag(o,
			    (const unsigned char *)"<X>y</X>", 8), 0);
			assert_int_equal(nt_out_untag_end(o), 0);
			assert_null(nt_out_untag_error(o, &line));
			assert_int_equal(nt_out_flush(o), 0);
			nt_out_free(o);
			r = drain(f, got, sizeof(got));
			free(a);
			free(b);
			if (r < 1 || got[r - 1] != 'y' ||
			    strlen(c[i].out) != r - 1 ||
			    memcmp(got, c[i].out, r - 1) != 0)
				fail_msg("case %zu split at %zu: \"%s\"", i, k,
				    got);
		}
	}
}

/*
 * Many tsv lines: most are written straight into the buffer's free room,
 * some across its end by pieces; every one must come out the same.
 */
static void
t_tsv_many_lines(void **state)
{
	enum { N = 30000 };
	struct nt_out_config cfg;
	char *input, *want, *got;
	size_t i, wlen = 0;

	(void)state;
	input = malloc(5 * N);
	want = malloc(64 * N);
	got = malloc(64 * N + 1);
	assert_non_null(input);
	assert_non_null(want);
	assert_non_null(got);
	for (i = 0; i < N; i++) {
		memcpy(input + 5 * i, i % 3 == 0 ? "Kiev " : "Kyiv ", 5);
		wlen += (size_t)sprintf(want + wlen, "f\\t1\t%zu\t%zu\tLOC\t%s\t"
		    "Kyiv\n", 5 * i, 5 * i + 4, i % 3 == 0 ? "Kiev" : "Kyiv");
	}
	memset(&cfg, 0, sizeof(cfg));
	cfg.show_file = 1;
	assert_true(wlen > 4 * 128 * 1024);
	assert_int_equal(render_into("tsv", &cfg, input, 5 * N, got,
	    64 * N + 1), wlen);
	assert_memory_equal(got, want, wlen);
	free(input);
	free(want);
	free(got);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_tsv_many_lines),
		cmocka_unit_test(t_inline_and_xml),
		cmocka_unit_test(t_tsv_jsonl_only),
		cmocka_unit_test(t_escapes),
		cmocka_unit_test(t_untag_round_trip),
		cmocka_unit_test(t_write_errors),
		cmocka_unit_test(t_formats_exact),
		cmocka_unit_test(t_formats_records),
		cmocka_unit_test(t_json_controls),
		cmocka_unit_test(t_nothing_after_error),
		cmocka_unit_test(t_large_output),
		cmocka_unit_test(t_tsv_fields),
		cmocka_unit_test(t_inline_fields),
		cmocka_unit_test(t_untag_not_xml),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
