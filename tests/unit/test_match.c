/* nertag - unit tests for match.c.  SPDX-License-Identifier: MIT */
#include "helpers.h"

static const char *const places[] = { "Kyiv", "Kiev", "Ukraine", "North",
	"Korea", "North Korea", "Z\xc3\xbcrich", "S\xc3\xa3o Paulo",
	"New York", "New York City", NULL };

static void
t_empty(void **state)
{
	(void)state;
	expect_spans(places, 0, "", "");
	expect_spans(places, 0, "no names here", "");
}

static void
t_word_bounds(void **state)
{
	(void)state;
	expect_spans(places, 0, "Ukraine\xe2\x80\x99s war",
	    "0-7:3 Ukraine");
	expect_spans(places, 0, "(Kyiv)", "1-5:1 Kyiv");
	expect_spans(places, 0, "Kyiv.", "0-4:1 Kyiv");
	expect_spans(places, 0, "Ukrainian", "");
	expect_spans(places, 0, "Kyivan Kyiv_ _Kyiv Kyiv9 9Kyiv", "");
	/* Unicode letters are word characters: Zürich is one word. */
	expect_spans(places, 0, "Z\xc3\xbcrichs Z\xc3\xbcrich", "9-16:7 Z\xc3\xbcrich");
	expect_spans(places, 0, "\xc3\xa9Kyiv Kyiv\xc3\xa9", "");
}

static void
t_leftmost_longest(void **state)
{
	static const char *const k[] = { "distributed super computing institute",
		"distributed super company", "computer game", "super", NULL };

	(void)state;
	expect_spans(places, 0, "North Korea", "0-11:6 North Korea");
	expect_spans(places, 0, "North Korean", "0-5:4 North");
	expect_spans(places, 0, "North Koreas Korea", "0-5:4 North;13-18:5 Korea");
	expect_spans(places, 0, "New York City and New York",
	    "0-13:10 New York City;18-26:9 New York");
	/* A longer path that fails does not hide a later, shorter match. */
	expect_spans(k, 0, "distributed super computer game",
	    "12-17:4 super;18-31:3 computer game");
}

static void
t_white_space_runs(void **state)
{
	(void)state;
	expect_spans(places, 0, "North\n  Korea", "0-13:6 North\n  Korea");
	expect_spans(places, 0, "North\t\xc2\xa0Korea",
	    "0-13:6 North\t\xc2\xa0Korea");
	expect_spans(places, 0, "New\r\nYork", "0-9:9 New\r\nYork");
}

static void
t_white_space_cap(void **state)
{
	char in[400];
	struct collect c;
	size_t n;

	(void)state;
	n = (size_t)snprintf(in, sizeof(in), "North%*sKorea",
	    NT_NORM_SPACE_CAP, "");
	run_matcher(places, 0, in, n, 7, 0, &c);
	assert_int_equal(c.nspan, 1);
	assert_int_equal(c.span[0].end, n);
	free(c.all);
	n = (size_t)snprintf(in, sizeof(in), "North%*sKorea",
	    NT_NORM_SPACE_CAP + 1, "");
	run_matcher(places, 0, in, n, 7, 0, &c);
	assert_string_equal(spans_str(&c), "0-5:4 North;134-139:5 Korea");
	free(c.all);
}

static void
t_normalisation(void **state)
{
	static const char *const nfd[] = { "Zu\xcc\x88rich", NULL };

	(void)state;
	/* NFC text, NFC name; NFD text; NFD name against NFC text. */
	expect_spans(places, 0, "Zu\xcc\x88rich", "0-8:7 Zu\xcc\x88rich");
	expect_spans(nfd, 0, "Z\xc3\xbcrich", "0-7:1 Z\xc3\xbcrich");
	/* 'Zu' is not a name and u + diaeresis is not u. */
	expect_spans(places, 0, "Zu\xcc\x88rich Zurich", "0-8:7 Zu\xcc\x88rich");
	expect_spans(places, NT_NORM_CASEFOLD, "KYIV kyiv", "0-4:1 KYIV;5-9:1 kyiv");
	expect_spans(places, NT_NORM_STRIPMARK, "Sao Paulo Zurich",
	    "0-9:8 Sao Paulo;10-16:7 Zurich");
	expect_spans(places, 0, "Sao Paulo", "");
}

static void
t_punctuation_names(void **state)
{
	static const char *const k[] = { ".net", "c++", "python.", "U.S.",
		NULL };

	(void)state;
	expect_spans(k, 0, "I like .net", "7-11:1 .net");
	expect_spans(k, 0, "I like c++", "7-10:2 c++");
	expect_spans(k, 0, "I like python.", "7-14:3 python.");
	expect_spans(k, 0, "the U.S., U.S.A", "4-8:4 U.S.");
}

static void
t_invalid_bytes(void **state)
{
	struct collect c;
	static const char in[] = "\x80Kyiv\xff Kyiv\xc0 K\0yiv \xed\xa0\x80Kyiv";

	(void)state;
	/* Invalid bytes are non-word: the names next to them match. */
	run_matcher(places, 0, in, sizeof(in) - 1, 1, 0, &c);
	assert_string_equal(spans_str(&c),
	    "1-5:1 Kyiv;7-11:1 Kyiv;22-26:1 Kyiv");
	free(c.all);
}

static void
t_split_at_every_byte(void **state)
{
	static const char in[] = "a North\n Korea, Z\xc3\xbcrich and "
	    "S\xc3\xa3o Paulo: New York Citys New York.";
	const char *want = "2-14:6 North\n Korea;16-23:7 Z\xc3\xbcrich;"
	    "28-38:8 S\xc3\xa3o Paulo;40-48:9 New York;55-63:9 New York";
	struct collect c;
	size_t piece;

	(void)state;
	for (piece = 1; piece <= sizeof(in); piece++) {
		run_matcher(places, 0, in, sizeof(in) - 1, piece, 0, &c);
		assert_string_equal(spans_str(&c), want);
		free(c.all);
	}
	/* A tiny window: the matcher keeps what an undecided walk needs. */
	run_matcher(places, 0, in, sizeof(in) - 1, 5, 1, &c);
	assert_string_equal(spans_str(&c), want);
	free(c.all);
}

static void
t_lines_flag(void **state)
{
	(void)state;
	expect_spans(places, NT_NORM_LINES, "North\nKorea",
	    "0-5:4 North;6-11:5 Korea");
	expect_spans(places, NT_NORM_LINES, "North Korea\n",
	    "0-11:6 North Korea");
}

static void
t_long_line(void **state)
{
	size_t n = 3 * 1024 * 1024, i;
	char *in = malloc(n);
	struct collect c;

	(void)state;
	assert_non_null(in);
	for (i = 0; i < n; i++)
		in[i] = "abc def "[i % 8];
	memcpy(in + n / 2, " Kyiv ", 6);
	memcpy(in + n - 4, "Kiev", 4);
	run_matcher(places, 0, in, n, 65536, 0, &c);
	assert_int_equal(c.nspan, 2);
	assert_int_equal(c.span[0].start, n / 2 + 1);
	assert_int_equal(c.span[1].end, n);
	free(c.all);
	free(in);
}

static void
t_finish_restarts(void **state)
{
	struct nt_trie *t = make_trie(places, 0);
	const struct nt_trie *tries[1] = { t };
	struct nt_match_config cfg;
	struct nt_matcher *m;
	struct collect c;

	(void)state;
	memset(&c, 0, sizeof(c));
	memset(&cfg, 0, sizeof(cfg));
	cfg.tries = tries;
	cfg.ntries = 1;
	cfg.text = collect_text;
	cfg.span = collect_span;
	cfg.ctx = &c;
	m = nt_match_new(&cfg);
	/* Offsets restart, and no match crosses the finish. */
	nt_match_feed(m, "Kyiv North", 10);
	nt_match_finish(m);
	c.len = 0;
	nt_match_feed(m, " Korea Kiev", 11);
	nt_match_finish(m);
	assert_string_equal(spans_str(&c),
	    "0-4:1 Kyiv;5-10:4 North;1-6:5 Korea;7-11:2 Kiev");
	nt_match_free(m);
	nt_match_free(NULL);
	nt_trie_free(t);
	free(c.all);
}

static void
t_layers_and_veto(void **state)
{
	static const char *const a[] = { "Paris", "New York", NULL };
	static const char *const b[] = { "Paris", "New York City", "Reading",
		NULL };
	static const char *const stop[] = { "Reading", "New York City", NULL };
	struct nt_trie *ta = make_trie(a, 0), *tb = make_trie(b, 0);
	struct nt_trie *ts = make_trie(stop, 0);
	const struct nt_trie *tries[2] = { ta, tb };
	struct nt_match_config cfg;
	struct nt_matcher *m;
	struct collect c;
	static const char in[] = "Paris, New York City, Reading";

	(void)state;
	memset(&c, 0, sizeof(c));
	memset(&cfg, 0, sizeof(cfg));
	cfg.tries = tries;
	cfg.ntries = 2;
	cfg.text = collect_text;
	cfg.span = collect_span;
	cfg.ctx = &c;
	m = nt_match_new(&cfg);
	nt_match_feed(m, in, sizeof(in) - 1);
	nt_match_finish(m);
	/* Longest across layers; the first layer wins a tie. */
	assert_int_equal(c.nspan, 3);
	assert_int_equal(c.span[0].layer, 0);
	assert_int_equal(c.span[1].layer, 1);
	assert_int_equal(c.span[1].end, 20);
	nt_match_free(m);
	free(c.all);

	/* With a veto, a stopped name gives way to the next longest. */
	memset(&c, 0, sizeof(c));
	cfg.veto = ts;
	m = nt_match_new(&cfg);
	nt_match_feed(m, in, sizeof(in) - 1);
	nt_match_finish(m);
	assert_string_equal(spans_str(&c), "0-5:1 Paris;7-15:2 New York");
	nt_match_free(m);
	free(c.all);
	nt_trie_free(ta);
	nt_trie_free(tb);
	nt_trie_free(ts);
}

/* A tiny deterministic generator, for the property test below. */
static uint32_t
rnd(uint32_t *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 16;
}

static void
t_any_split_same_spans(void **state)
{
	static const char *const atoms[] = { "Kyiv", "Kiev", " ", "  ", "\n",
		"North", "Korea", "Z\xc3\xbc", "rich", "u\xcc\x88", "\xcc\x88",
		".", "\xe2\x80\x99", "\x80", "\0", "New", "York", "City", "s" };
	char in[256];
	struct collect whole, part;
	uint32_t seed = 42;
	size_t n, k, round;

	(void)state;
	for (round = 0; round < 300; round++) {
		for (n = 0, k = rnd(&seed) % 24; k > 0; k--) {
			const char *a = atoms[rnd(&seed) % 19];
			size_t l = a[0] == '\0' ? 1 : strlen(a);

			memcpy(in + n, a, l);
			n += l;
		}
		run_matcher(places, 0, in, n, (size_t)-1, 0, &whole);
		run_matcher(places, 0, in, n, 1 + rnd(&seed) % 5,
		    1 + rnd(&seed) % 8, &part);
		assert_string_equal(spans_str(&whole), spans_str(&part));
		free(whole.all);
		free(part.all);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_empty),
		cmocka_unit_test(t_word_bounds),
		cmocka_unit_test(t_leftmost_longest),
		cmocka_unit_test(t_white_space_runs),
		cmocka_unit_test(t_white_space_cap),
		cmocka_unit_test(t_normalisation),
		cmocka_unit_test(t_punctuation_names),
		cmocka_unit_test(t_invalid_bytes),
		cmocka_unit_test(t_split_at_every_byte),
		cmocka_unit_test(t_lines_flag),
		cmocka_unit_test(t_long_line),
		cmocka_unit_test(t_finish_restarts),
		cmocka_unit_test(t_layers_and_veto),
		cmocka_unit_test(t_any_split_same_spans),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
