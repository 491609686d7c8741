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

/*
 * The first-word filter reads the two normalised bytes after a word; each
 * way the text can spell them must still find the name, and a word that
 * only begins names is passed over before other bytes.
 */
static void
t_filter_next_bytes(void **state)
{
	static const char *const k[] = { "The Hague", "St. Louis", "Co.",
		"AT&T", "Kyiv", "New York", "San Jos\xc3\xa9",
		"Rio Grande\xe2\x89\xa0", "O'Brien Park", "Winston-Salem",
		"Rock\xe2\x80\xa0", "Don", NULL };

	(void)state;
	expect_spans(k, 0, "The Hague, the cat", "0-9:1 The Hague");
	expect_spans(k, 0, "The  Hague", "0-10:1 The  Hague");
	expect_spans(k, 0, "The\tHague", "0-9:1 The\tHague");
	expect_spans(k, 0, "The\r\nHague", "0-10:1 The\r\nHague");
	expect_spans(k, 0, "The \xc2\xa0Hague", "0-11:1 The \xc2\xa0Hague");
	expect_spans(k, 0, "The H\xcc\x81" "ague", "");
	expect_spans(k, NT_NORM_STRIPMARK, "The H\xcc\x81" "ague",
	    "0-11:1 The H\xcc\x81" "ague");
	expect_spans(k, NT_NORM_CASEFOLD, "THE HAGUE the hague",
	    "0-9:1 THE HAGUE;10-19:1 the hague");
	expect_spans(k, NT_NORM_LINES, "The\nHague", "");
	expect_spans(k, 0, "The\nHague", "0-9:1 The\nHague");
	expect_spans(k, 0, "St. Louis St.Louis St.  Louis",
	    "0-9:2 St. Louis;19-29:2 St.  Louis");
	expect_spans(k, 0, "Co. Co.x Co.\n(Co.)",
	    "0-3:3 Co.;9-12:3 Co.;14-17:3 Co.");
	expect_spans(k, 0, "AT&T AT&M AT&T.", "0-4:4 AT&T;10-14:4 AT&T");
	expect_spans(k, 0, "Kyiv\t Kyiv-x Kyiv",
	    "0-4:5 Kyiv;6-10:5 Kyiv;13-17:5 Kyiv");
	expect_spans(k, NT_NORM_CASEFOLD, "NEW YORK new york new\x00york",
	    "0-8:6 NEW YORK;9-17:6 new york");
	/* The second word, where the filter can and cannot see it whole. */
	expect_spans(k, 0, "The Hagues The Hague.", "11-20:1 The Hague");
	expect_spans(k, 0, "The Hague\xe2\x80\x99s The Hague",
	    "0-9:1 The Hague;14-23:1 The Hague");
	expect_spans(k, NT_NORM_CASEFOLD, "the HAGUE, New  York's",
	    "0-9:1 the HAGUE;11-20:6 New  York");
	expect_spans(k, 0, "San Jose\xcc\x81 San Jose, San Jos\xc3\xa9.",
	    "0-10:7 San Jose\xcc\x81;21-30:7 San Jos\xc3\xa9");
	/*
	 * A word followed by a quote, apostrophe or dash from U+2000 to
	 * U+203F: asked with what that normalises to.
	 */
	expect_spans(k, 0, "O\xe2\x80\x99" "Brien Park, O\xe2\x80\x99" "Brian",
	    "0-14:9 O\xe2\x80\x99" "Brien Park");
	expect_spans(k, NT_NORM_CASEFOLD, "winston\xe2\x80\x93salem",
	    "0-15:10 winston\xe2\x80\x93salem");
	expect_spans(k, 0, "Rock\xe2\x80\xa0 Rock\xe2\x80\x99 Rock\xe2\x80\x9d",
	    "0-7:11 Rock\xe2\x80\xa0");
	expect_spans(k, 0, "Don\xe2\x80\x99t Don\xe2\x80\x9cx\xe2\x80\x9d",
	    "0-3:12 Don;8-11:12 Don");
	/* '=' and U+0338 make U+2260: the word after is not ASCII. */
	expect_spans(k, 0, "Rio Grande=\xcc\xb8 Rio Grande= x",
	    "0-13:8 Rio Grande=\xcc\xb8");
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

/* Two read blocks, split at every byte, with tiny and default windows. */
static void
t_two_blocks_every_split(void **state)
{
	(void)state;
	EXPECT_SPLIT(places, 0, "North Korea", "0-11:6 North Korea");
	EXPECT_SPLIT(places, 0, "in Z\xc3\xbcrich.", "3-10:7 Z\xc3\xbcrich");
	EXPECT_SPLIT(places, 0, "Zu\xcc\x88rich", "0-8:7 Zu\xcc\x88rich");
	EXPECT_SPLIT(places, 0, "North \xe2\x80\xa8 Korea!",
	    "0-15:6 North \xe2\x80\xa8 Korea");
	EXPECT_SPLIT(places, 0, "North Koreans", "0-5:4 North");
	EXPECT_SPLIT(places, NT_NORM_CASEFOLD, "NEW YORK CITYS",
	    "0-8:9 NEW YORK");
	EXPECT_SPLIT(places, NT_NORM_STRIPMARK, "Sa\xcc\x83o Paulo",
	    "0-11:8 Sa\xcc\x83o Paulo");
	EXPECT_SPLIT(places, 0, "", "");
}

static void
t_start_and_end_of_line(void **state)
{
	(void)state;
	expect_spans(places, 0, "Kyiv", "0-4:1 Kyiv");
	expect_spans(places, 0, "Kyiv\nKiev\n", "0-4:1 Kyiv;5-9:2 Kiev");
	expect_spans(places, 0, "\nKyiv\n\nKiev", "1-5:1 Kyiv;7-11:2 Kiev");
	expect_spans(places, 0, "x Kyiv\r\nKiev x", "2-6:1 Kyiv;8-12:2 Kiev");
	expect_spans(places, NT_NORM_LINES, "Kyiv\nKiev\n",
	    "0-4:1 Kyiv;5-9:2 Kiev");
}

static void
t_multibyte_keys(void **state)
{
	/* Two CJK letters; two 4-byte Deseret letters (category Lu/Ll). */
	static const char *const k[] = { "\xe6\x9d\xb1\xe4\xba\xac",
		"\xf0\x90\x90\x80\xf0\x90\x90\xa8", "\xd0\x9a\xd0\xb8\xd1\x97\xd0\xb2",
		NULL };

	(void)state;
	expect_spans(k, 0, "\xe3\x80\x8c\xe6\x9d\xb1\xe4\xba\xac\xe3\x80\x8d",
	    "3-9:1 \xe6\x9d\xb1\xe4\xba\xac");
	/* CJK letters are word characters: no match inside a run. */
	expect_spans(k, 0, "\xe6\x9d\xb1\xe4\xba\xac\xe9\x83\xbd", "");
	expect_spans(k, 0, "a \xf0\x90\x90\x80\xf0\x90\x90\xa8.",
	    "2-10:2 \xf0\x90\x90\x80\xf0\x90\x90\xa8");
	expect_spans(k, NT_NORM_CASEFOLD, "\xd0\x9a\xd0\x98\xd0\x87\xd0\x92",
	    "0-8:3 \xd0\x9a\xd0\x98\xd0\x87\xd0\x92");
	EXPECT_SPLIT(k, 0, "(\xf0\x90\x90\x80\xf0\x90\x90\xa8)",
	    "1-9:2 \xf0\x90\x90\x80\xf0\x90\x90\xa8");
}

/* U+1EC7 (e, dot below, circumflex) in five spellings. */
static void
t_canonical_reordering(void **state)
{
	static const char *const nfc[] = { "Vi\xe1\xbb\x87t", NULL };
	static const char *const odd[] = { "Vie\xcc\x82\xcc\xa3t", NULL };

	(void)state;
	expect_spans(nfc, 0, "Vi\xe1\xbb\x87t", "0-6:1 Vi\xe1\xbb\x87t");
	expect_spans(nfc, 0, "Vie\xcc\xa3\xcc\x82t",
	    "0-8:1 Vie\xcc\xa3\xcc\x82t");
	expect_spans(nfc, 0, "Vie\xcc\x82\xcc\xa3t",
	    "0-8:1 Vie\xcc\x82\xcc\xa3t");
	expect_spans(nfc, 0, "Vi\xc3\xaa\xcc\xa3t", "0-7:1 Vi\xc3\xaa\xcc\xa3t");
	expect_spans(odd, 0, "Vi\xe1\xba\xb9\xcc\x82t",
	    "0-8:1 Vi\xe1\xba\xb9\xcc\x82t");
	/* Two marks of one class keep their order: they are different. */
	expect_spans(nfc, 0, "Vie\xcc\x82\xcc\x81t", "");
}

/*
 * Full case folding as utf8proc does it (no Turkish tailoring): ß folds
 * to ss; capital, small and final sigma fold alike; capital dotted İ
 * folds to i + U+0307 COMBINING DOT ABOVE, so it meets i only with
 * --ignore-accents as well; dotless ı does not fold to i at all.
 */
static void
t_casefold_match(void **state)
{
	static const char *const k[] = { "Stra\xc3\x9f" "e",
		"\xcf\x83\xce\xaf\xcf\x83\xcf\x85\xcf\x86\xce\xbf\xcf\x82",
		"Istanbul", "\xc4\xb1zmir", NULL };
	const unsigned i = NT_NORM_CASEFOLD;

	(void)state;
	expect_spans(k, i, "STRASSE strasse Stra\xc3\x9f" "e",
	    "0-7:1 STRASSE;8-15:1 strasse;16-23:1 Stra\xc3\x9f" "e");
	expect_spans(k, 0, "STRASSE Strasse", "");
	expect_spans(k, i,
	    "\xce\xa3\xce\x8a\xce\xa3\xce\xa5\xce\xa6\xce\x9f\xce\xa3",
	    "0-14:2 \xce\xa3\xce\x8a\xce\xa3\xce\xa5\xce\xa6\xce\x9f\xce\xa3");
	expect_spans(k, i, "ISTANBUL istanbul", "0-8:3 ISTANBUL;9-17:3 istanbul");
	expect_spans(k, i, "\xc4\xb0stanbul", "");
	expect_spans(k, i | NT_NORM_STRIPMARK, "\xc4\xb0stanbul",
	    "0-9:3 \xc4\xb0stanbul");
	expect_spans(k, i, "\xc4\xb1stanbul Izmir izmir", "");
	expect_spans(k, i, "\xc4\xb1zmir \xc4\xb1ZMiR \xc4\xb1ZM\xc4\xb1R",
	    "0-6:4 \xc4\xb1zmir;7-13:4 \xc4\xb1ZMiR");
}

static void
t_ignore_accents_both_sides(void **state)
{
	static const char *const k[] = { "S\xc3\xa3o Paulo", "Zurich",
		"Ky\xc3\xafv", NULL };
	const unsigned a = NT_NORM_STRIPMARK;

	(void)state;
	expect_spans(k, a, "Sao Paulo S\xc3\xa3o Paulo Sa\xcc\x83o Paulo",
	    "0-9:1 Sao Paulo;10-20:1 S\xc3\xa3o Paulo;"
	    "21-32:1 Sa\xcc\x83o Paulo");
	expect_spans(k, a, "Z\xc3\xbcrich Kyiv", "0-7:2 Z\xc3\xbcrich;8-12:3 Kyiv");
	expect_spans(k, 0, "Z\xc3\xbcrich Kyiv", "");
	/* Marks stripped on both sides still leave the letters. */
	expect_spans(k, a, "Zurichs Kyivan", "");
}

static void
t_invalid_bytes_never_inside(void **state)
{
	struct collect c;
	static const char in[] = "Ky\x80iv Ky\xc0\xafiv Ky\xe0\x80\x80iv "
	    "Ky\xed\xa0\x80iv Ky\xffiv Ky\0iv";

	(void)state;
	run_matcher(places, 0, in, sizeof(in) - 1, 1, 0, &c);
	assert_int_equal(c.nspan, 0);
	free(c.all);
	/* Invalid bytes and NUL are non-word: names next to them match. */
	expect_spans(places, 0, "\xc0\xafKyiv\xe0\x80\x80",
	    "2-6:1 Kyiv");
	expect_spans(places, 0, "\xed\xa0\x80Kyiv\xed\xa0\x80",
	    "3-7:1 Kyiv");
	EXPECT_SPLIT(places, 0, "\0Kyiv\0", "1-5:1 Kyiv");
	/* A truncated sequence at the very end, or before ASCII. */
	EXPECT_SPLIT(places, 0, "Kyiv\xe2\x82", "0-4:1 Kyiv");
	EXPECT_SPLIT(places, 0, "\xe2\x82Kyiv\xc3", "2-6:1 Kyiv");
	EXPECT_SPLIT(places, 0, "Kyiv\xf0\x9f\x98 x", "0-4:1 Kyiv");
	/* A complete letter after the name: no boundary. */
	EXPECT_SPLIT(places, 0, "Kyiv\xc3\xa9", "");
	/* North NUL Korea: a barrier between the words. */
	EXPECT_SPLIT(places, 0, "North\0Korea", "0-5:4 North;6-11:5 Korea");
	EXPECT_SPLIT(places, 0, "North \x80Korea", "0-5:4 North;7-12:5 Korea");
}

static void
t_mark_runs(void **state)
{
	char name[128], in[256];
	const char *const k[] = { name, NULL };
	char want[300];
	size_t i, n;

	(void)state;
	/* A name of x and 30 marks: the text must carry the same 30. */
	n = 0;
	name[n++] = 'x';
	for (i = 0; i < NT_NORM_MARK_CAP; i++) {
		name[n++] = '\xcc';
		name[n++] = '\x81';
	}
	name[n] = '\0';
	snprintf(in, sizeof(in), "a %s b", name);
	snprintf(want, sizeof(want), "2-%zu:1 %s", 2 + n, name);
	expect_spans(k, 0, in, want);
	/* 31 marks: a barrier, passed on as it is. */
	snprintf(in, sizeof(in), "a %s\xcc\x81 b", name);
	expect_spans(k, 0, in, "");
	/* Stripped, 31 marks are still a barrier. */
	expect_spans(places, NT_NORM_STRIPMARK,
	    "Kyi\xcc\x81\xcc\x81\xcc\x81\xcc\x81\xcc\x81\xcc\x81\xcc\x81\xcc\x81"
	    "\xcc\x81\xcc\x81\xcc\x81\xcc\x81\xcc\x81\xcc\x81\xcc\x81\xcc\x81"
	    "\xcc\x81\xcc\x81\xcc\x81\xcc\x81\xcc\x81\xcc\x81\xcc\x81\xcc\x81"
	    "\xcc\x81\xcc\x81\xcc\x81\xcc\x81\xcc\x81\xcc\x81\xcc\x81v", "");
	expect_spans(places, NT_NORM_STRIPMARK, "Ky\xcc\x81iv", "0-6:1 Ky\xcc\x81iv");
}

static void
t_white_space_cap_multibyte(void **state)
{
	char in[400], want[200];
	struct collect c;
	size_t n, i;

	(void)state;
	/* 42 ideographic spaces are 126 bytes: still one space. */
	n = (size_t)snprintf(in, sizeof(in), "North");
	for (i = 0; i < 42; i++)
		n += (size_t)snprintf(in + n, sizeof(in) - n, "\xe3\x80\x80");
	n += (size_t)snprintf(in + n, sizeof(in) - n, "Korea");
	run_matcher(places, 0, in, n, 5, 0, &c);
	assert_int_equal(c.nspan, 1);
	assert_int_equal(c.span[0].end, n);
	free(c.all);
	/* 43 are 129 bytes, over the cap. */
	n = (size_t)snprintf(in, sizeof(in), "North");
	for (i = 0; i < 43; i++)
		n += (size_t)snprintf(in + n, sizeof(in) - n, "\xe3\x80\x80");
	n += (size_t)snprintf(in + n, sizeof(in) - n, "Korea");
	run_matcher(places, 0, in, n, 5, 0, &c);
	assert_string_equal(spans_str(&c), "0-5:4 North;134-139:5 Korea");
	free(c.all);
	/* NEL, line and paragraph separators, VT and FF are white space. */
	expect_spans(places, 0, "North\xc2\x85Korea", "0-12:6 North\xc2\x85Korea");
	expect_spans(places, 0, "North\xe2\x80\xa9\v\fKorea",
	    "0-15:6 North\xe2\x80\xa9\v\fKorea");
	/* A run of exactly the cap, and one byte over, split anywhere. */
	memset(in, ' ', sizeof(in));
	memcpy(in, "North", 5);
	memcpy(in + 5 + NT_NORM_SPACE_CAP, "Korea", 5);
	n = 10 + NT_NORM_SPACE_CAP;
	run_matcher(places, 0, in, n, 3, 1, &c);
	assert_int_equal(c.nspan, 1);
	assert_int_equal(c.span[0].end, n);
	free(c.all);
	snprintf(want, sizeof(want), "0-138:6 %.127s", in);
	expect_spans_split(places, 0, in, n, 3, want);
	memcpy(in + 6 + NT_NORM_SPACE_CAP, "Korea", 5);
	in[5 + NT_NORM_SPACE_CAP] = ' ';
	expect_spans_split(places, 0, in, n + 1, 3,
	    "0-5:4 North;134-139:5 Korea");
}

static void
t_word_bounds_unicode(void **state)
{
	static const char *const k[] = { "Z", "Brien", "O'Brien", "Kyiv", NULL };

	(void)state;
	/* ü is a letter: "Zürich" holds no word "Z". */
	expect_spans(k, 0, "Z Z\xc3\xbcrich Zu\xcc\x88rich Z.",
	    "0-1:1 Z;19-20:1 Z");
	/* Digits and '_' are word characters. */
	expect_spans(k, 0, "Z1 1Z Z_ _Z Z-1", "12-13:1 Z");
	/* Apostrophe-likes are punctuation; they also equal '. */
	expect_spans(k, 0, "O\xe2\x80\x99" "Brien", "0-9:3 O\xe2\x80\x99" "Brien");
	expect_spans(k, 0, "O\xca\xbc" "Brien O\xe2\x80\x98" "Brien",
	    "0-8:3 O\xca\xbc" "Brien;9-18:3 O\xe2\x80\x98" "Brien");
	expect_spans(k, 0, "d\xe2\x80\x99" "Brien", "4-9:2 Brien");
	expect_spans(k, 0, "Kyiv\xe2\x80\x99s Kyiv's", "0-4:4 Kyiv;9-13:4 Kyiv");
	/* A Unicode digit (Arabic-Indic one) is a word character. */
	expect_spans(k, 0, "Kyiv\xd9\xa1 \xd9\xa1Kyiv", "");
}

static void
t_punctuation_bounds(void **state)
{
	static const char *const k[] = { ".net", "c++", NULL };

	(void)state;
	/* A start needs a non-word character before it, an end after it. */
	expect_spans(k, 0, "asp.net", "");
	expect_spans(k, 0, "c++x", "");
	expect_spans(k, 0, ".net.", "0-4:1 .net");
	expect_spans(k, 0, "(c++)", "1-4:2 c++");
	expect_spans(k, 0, "c++.net", "0-3:2 c++;3-7:1 .net");
	EXPECT_SPLIT(k, 0, "use c++, .net", "4-7:2 c++;9-13:1 .net");
}

static void
t_failed_path_later_match(void **state)
{
	static const char *const k[] = { "New York City", "York",
		"a b c d e f", "c", NULL };

	(void)state;
	expect_spans(k, 0, "New York Cit", "4-8:2 York");
	expect_spans(k, 0, "New York Citys York", "4-8:2 York;15-19:2 York");
	expect_spans(k, 0, "a b c d e g", "4-5:4 c");
	EXPECT_SPLIT(k, 0, "a b c d e f a b c", "0-11:3 a b c d e f;16-17:4 c");
}

/*
 * The scanner's filters (pairs of first bytes, first words) must never
 * hide a name: folded text, words of every length, names whose first
 * word is followed by a non-ASCII byte, and white space inside.
 */
static void
t_filters_never_hide(void **state)
{
	static const char *const k[] = { "ab", "Paris", "New York", "X",
		"Zu\xcc\x88rich", "S\xc3\xa3o Paulo", "a1_b", "St. Louis",
		NULL };

	(void)state;
	expect_spans(k, NT_NORM_CASEFOLD, "PARIS. NEW\tYORK x AB",
	    "0-5:2 PARIS;7-15:3 NEW\tYORK;16-17:4 x;18-20:1 AB");
	expect_spans(k, NT_NORM_CASEFOLD, "NEW\xc2\xa0York",
	    "0-9:3 NEW\xc2\xa0York");
	expect_spans(k, 0, "abababababab ab abab ab", "13-15:1 ab;21-23:1 ab");
	expect_spans(k, 0, "X XX X", "0-1:4 X;5-6:4 X");
	expect_spans(k, 0, "Zu\xcc\x88rich Zurich", "0-8:5 Zu\xcc\x88rich");
	expect_spans(k, NT_NORM_STRIPMARK, "Sao Paulo, Zurich",
	    "0-9:6 Sao Paulo;11-17:5 Zurich");
	expect_spans(k, 0, "a1_b a1_bc St. Louis St.Louis",
	    "0-4:7 a1_b;11-20:8 St. Louis");
	expect_spans(k, 0, "New\nYork New \n York", "0-8:3 New\nYork;9-19:3 New \n York");
}

/* An ASCII letter in the other case; any other byte as it is. */
static char
turn_case(char ch)
{
	if (ch >= 'a' && ch <= 'z')
		return (char)(ch - 'a' + 'A');
	if (ch >= 'A' && ch <= 'Z')
		return (char)(ch - 'A' + 'a');
	return ch;
}

/*
 * The block scan asks the first-word filter about a block's words together,
 * reading them eight bytes at a time: names of every length from 1 to 20
 * bytes, at every offset in the block, in either case under NT_NORM_CASEFOLD,
 * are all found, and the same words with one more letter are not.
 */
static void
t_block_word_filter(void **state)
{
	static const char pat[] = "Ab3_cDeF9gHiJ0kLmNoP";
	char names[20][21], text[2048], *o;
	const char *k[21];
	struct collect c;
	size_t n, i, j, shift;
	unsigned flags;
	int f;

	(void)state;
	for (n = 1; n <= 20; n++) {
		memcpy(names[n - 1], pat, n);
		names[n - 1][n] = '\0';
		k[n - 1] = names[n - 1];
	}
	k[20] = NULL;
	for (f = 0; f < 2; f++) {
		flags = f ? NT_NORM_CASEFOLD : 0;
		for (shift = 0; shift < 64; shift++) {
			o = text;
			memset(o, '.', shift);
			o += shift;
			for (n = 1; n <= 20; n++) {
				/* Folded text: every letter's case turned. */
				for (j = 0; j < n; j++)
					*o++ = f ? turn_case(pat[j]) : pat[j];
				o += sprintf(o, " %.*sx, ", (int)n, pat);
			}
			*o = '\0';
			run_matcher(k, flags, text, strlen(text), (size_t)-1, 0,
			    &c);
			assert_int_equal(c.nspan, 20);
			for (i = 0; i < 20; i++)
				assert_int_equal(c.span[i].value, i + 1);
			free(c.all);
		}
	}
}

/*
 * A first word followed by ASCII punctuation, then by a space or other
 * ASCII: word_filter() reads the two bytes itself, and must let each name
 * through and pass over near misses, at every offset of a block, among
 * enough words that the vector form asks them.
 */
static void
t_punct_after_first_word(void **state)
{
	static const char *const k[] = { "Co.", "St. Louis", "Dr.Who",
		"A-Team", "Jones, Inc", "Tom's Bar", "X.Y.Z", "Wow!", NULL };
	static const char *const miss[] = { "Co,", "St. Paul", "Dr.How",
		"A-Tram", "Jones; Inc", "Tom's Pub", "X.Y.", "Wow?" };
	char text[2048], *o;
	struct collect c;
	size_t n, i, j, shift;
	int f;

	(void)state;
	for (f = 0; f < 2; f++) {
		for (shift = 0; shift < 64; shift++) {
			o = text;
			memset(o, '.', shift);
			o += shift;
			for (n = 0; n < 8; n++) {
				o += sprintf(o, "aa bb %s cc dd %s ee, ",
				    miss[n], k[n]);
				if (f)	/* Folded text: the name's case turned. */
					for (j = strlen(k[n]) + 5; j > 5; j--)
						o[-(long)j] = turn_case(
						    o[-(long)j]);
			}
			*o = '\0';
			run_matcher(k, f ? NT_NORM_CASEFOLD : 0, text,
			    strlen(text), (size_t)-1, 0, &c);
			assert_int_equal(c.nspan, 8);
			for (i = 0; i < 8; i++)
				assert_int_equal(c.span[i].value, i + 1);
			free(c.all);
		}
	}
}

/*
 * The walk takes a word's end from the block scan's mask where the scan saw
 * the word: names and near misses whose words end at every offset of a
 * block and past it, a word that runs past the block's end, a second word
 * longer than any name, and words apart by a tab, in both cases.
 */
static void
t_walk_run_ends(void **state)
{
	static const char *const k[] = { "The Hague", "The Hagueeee",
		"Xy", NULL };
	/* A tab normalises to a space: the run must end before it. */
	static const char tail[] = "The\tHague, The Hagueee The Hagueeeee "
	    "The Hague3 The Hagueeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee "
	    "The\tHagueeee. Xyz Xy";
	char text[512], want[256];
	const char *t;
	size_t shift, j;
	int f;

	(void)state;
	for (f = 0; f < 2; f++)
		for (shift = 0; shift < 140; shift++) {
			memset(text, '.', shift);
			t = strcpy(text + shift, tail);
			/* Folded text: every letter's case turned. */
			for (j = shift; f && text[j] != '\0'; j++)
				text[j] = turn_case(text[j]);
			snprintf(want, sizeof(want),
			    "%zu-%zu:1 %.9s;%zu-%zu:2 %.12s;%zu-%zu:3 %.2s",
			    shift, shift + 9, t, shift + 95, shift + 107,
			    t + 95, shift + 113, shift + 115, t + 113);
			expect_spans(k, f ? NT_NORM_CASEFOLD : 0, text, want);
			/* Case-sensitive, the turned text matches nothing. */
			if (f)
				expect_spans(k, 0, text, "");
		}
}

/*
 * What follows a word, seen from the block scan (the text long enough for
 * it, at every offset): a second word that ends in a quote or a letter
 * that is not ASCII, a line feed or tab between the words, punctuation
 * and a quote after the word, an opening quote before a name, a second
 * word whose last letter is not ASCII ("Andr\xc3\xa9" is "Andre" and a mark
 * in normal form), and a word that passes the filter (whose hash is blind
 * to case) but cannot begin a name in a case-sensitive run.
 */
static void
t_block_second_words(void **state)
{
	static const char *const k[] = { "The Hague", "Prince Andrew",
		"Me, Sang", "'Ali Town", "Champs-\xc3\x89lys\xc3\xa9""es",
		"Paris", "Rue Andr\xc3\xa9", "' Tis", NULL };
	static const struct {
		const char *text;
		unsigned flags;
		const char *want;	/* values, one digit a span */
	} cases[] = {
		{ "The\nHague The\tHague The  Hague", 0, "111" },
		{ "The Hague\xe2\x80\x99s The Hague\xe2\x80\x9d x", 0, "11" },
		{ "Prince Andrew\xe2\x80\x99s Prince Andrewes", 0, "2" },
		{ "Prince Andrew\xc3\xa9 Prince Andrew\xc2\xbb", 0, "2" },
		{ "prince andrew\xe2\x80\x99s prince Andrew", 0, "" },
		{ "prince andrew\xe2\x80\x99s prince Andrew", NT_NORM_CASEFOLD,
		    "22" },
		{ "me,\xe2\x80\x9d said Me, Sang me, sang", 0, "3" },
		{ "me,\xe2\x80\x9d said Me, Sang me, sang", NT_NORM_CASEFOLD,
		    "33" },
		{ "said \xe2\x80\x99" "Ali Town \xe2\x80\x98" "Ali Town, "
		    "\xe2\x80\x99 said", 0, "44" },
		{ "champs-\xc3\x89lys\xc3\xa9""es Champs-\xc3\x89lys\xc3\xa9"
		    "es", 0, "5" },
		{ "paris Paris paris. PARIS", 0, "6" },
		{ "paris Paris paris. PARIS", NT_NORM_CASEFOLD, "6666" },
		{ "Rue Andr\xc3\xa9 Rue Andre\xcc\x81, Rue Andre", 0, "77" },
		{ "said \xe2\x80\x99\tTis \xe2\x80\x99Tis", 0, "8" },
	};
	static const char fill[] = " and so it was, in the end of the day; "
	    "they said no more ";
	char text[4096], got[64];
	struct collect c;
	size_t i, j, shift, len;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		for (shift = 0; shift < 64; shift++) {
			memset(text, '.', shift);
			len = shift;
			for (j = 0; j < 3; j++)
				len += (size_t)sprintf(text + len, "%s%s%s",
				    fill, cases[i].text, fill);
			run_matcher(k, cases[i].flags, text, len, (size_t)-1,
			    0, &c);
			assert_true(c.nspan < sizeof(got) / 3);
			for (j = 0; j < c.nspan; j++)
				got[j] = (char)('0' + c.span[j].value);
			got[j] = '\0';
			for (j = 0; j < 3 * strlen(cases[i].want); j++)
				assert_int_equal(got[j], cases[i].want[j %
				    strlen(cases[i].want)]);
			assert_int_equal(c.nspan, 3 * strlen(cases[i].want));
			free(c.all);
		}
	}
}

/*
 * Words with Latin letters beyond ASCII are asked of the first-word filter
 * in normal form, built from the tables: every spelling of a name (NFC,
 * NFD, other case under NT_NORM_CASEFOLD, no accents under
 * NT_NORM_STRIPMARK) is still found, and what follows a letter is heeded
 * (a mark joins it; an apostrophe does not), and a letter whose normal
 * form the filter does not hold is walked.
 */
static void
t_high_first_words(void **state)
{
	static const char *const k[] = { "M\xc3\xa1rya Dm\xc3\xadtrievna",
		"Dant\xc3\xa8s", "\xc3\x86r\xc3\xb8", "\xc5\x81\xc3\xb3" "d\xc5\xba",
		"Stra\xc3\x9f" "e", "\xc3\x89ponine", "A\xc2\xb5" "a",
		"The Abb\xc3\xa9 Busoni", NULL };

	(void)state;
	expect_spans(k, 0, "M\xc3\xa1rya Dm\xc3\xadtrievna, Ma\xcc\x81rya "
	    "Dmi\xcc\x81trievna; Marya Dmitrievna",
	    "0-18:1 M\xc3\xa1rya Dm\xc3\xadtrievna;"
	    "20-40:1 Ma\xcc\x81rya Dmi\xcc\x81trievna");
	expect_spans(k, NT_NORM_STRIPMARK, "Marya Dmitrievna",
	    "0-16:1 Marya Dmitrievna");
	expect_spans(k, NT_NORM_CASEFOLD, "M\xc3\x81RYA DM\xc3\x8dTRIEVNA",
	    "0-18:1 M\xc3\x81RYA DM\xc3\x8dTRIEVNA");
	expect_spans(k, 0, "Dant\xc3\xa8s\xe2\x80\x99s Dant\xc3\xa8sx "
	    "Dant\xc3\xa8s\xcc\x81 Dant\xc3\xa8s.",
	    "0-7:2 Dant\xc3\xa8s;31-38:2 Dant\xc3\xa8s");
	expect_spans(k, NT_NORM_CASEFOLD, "\xc3\xa6R\xc3\x98 \xc5\x82\xc3\x93"
	    "D\xc5\xb9 STRASSE stra\xc3\x9f" "e",
	    "0-5:3 \xc3\xa6R\xc3\x98;6-13:4 \xc5\x82\xc3\x93" "D\xc5\xb9;"
	    "14-21:5 STRASSE;22-29:5 stra\xc3\x9f" "e");
	expect_spans(k, 0, "\xc3\x89ponine E\xcc\x81ponine \xc3\x89ponines",
	    "0-8:6 \xc3\x89ponine;9-18:6 E\xcc\x81ponine");
	/* U+00B5 (folded, U+03BC): a normal form the filter does not hold. */
	expect_spans(k, 0, "A\xc2\xb5" "a a\xc2\xb5" "a", "0-4:7 A\xc2\xb5" "a");
	expect_spans(k, NT_NORM_CASEFOLD, "a\xc2\xb5" "a", "0-4:7 a\xc2\xb5" "a");
	/* A second word with such letters. */
	expect_spans(k, 0, "The Abb\xc3\xa9 Busoni, The Abbe\xcc\x81 Busoni; "
	    "The Abb\xc3\xa9\xe2\x80\x99s The Abb\xc3\xa9 Busonis",
	    "0-16:8 The Abb\xc3\xa9 Busoni;18-35:8 The Abbe\xcc\x81 Busoni");
	expect_spans(k, NT_NORM_CASEFOLD, "THE ABB\xc3\x89 BUSONI",
	    "0-16:8 THE ABB\xc3\x89 BUSONI");
}

/* Spans of a long run, in a growing array. */
struct spans {
	struct nt_span *s;
	size_t n, cap;
	size_t bytes;
};

static void
spans_text(void *ctx, const unsigned char *p, size_t n)
{
	(void)p;
	((struct spans *)ctx)->bytes += n;
}

static void
spans_span(void *ctx, const unsigned char *p, size_t n,
    const struct nt_span *s)
{
	struct spans *l = ctx;

	(void)p;
	l->bytes += n;
	if (l->n == l->cap) {
		l->cap = l->cap * 2 + 256;
		l->s = realloc(l->s, l->cap * sizeof(*l->s));
		assert_non_null(l->s);
	}
	l->s[l->n++] = *s;
}

static void
run_spans(const struct nt_trie **tries, size_t ntries, unsigned flags,
    int scalar, const unsigned char *in, size_t n, struct spans *l)
{
	struct nt_match_config cfg;
	struct nt_matcher *m;

	memset(l, 0, sizeof(*l));
	one_trie_config(&cfg, tries, flags, spans_text, spans_span, l);
	cfg.ntries = ntries;
	cfg.scalar = scalar;
	m = nt_match_new(&cfg);
	nt_match_feed(m, in, n);
	nt_match_finish(m);
	nt_match_free(m);
	assert_int_equal(l->bytes, n);
}

/* A random word of n letters (and now and then a digit or apostrophe). */
static void
rnd_word(uint32_t *seed, char *w, size_t n)
{
	static const char more[] = "0123456789'";
	size_t i;

	for (i = 0; i < n; i++)
		w[i] = i > 0 && i + 1 < n && rnd(seed) % 16 == 0 ?
		    more[rnd(seed) % (sizeof(more) - 1)] :
		    (char)('a' + rnd(seed) % 26);
	w[0] = (char)(w[0] - 'a' + 'A');
	w[n] = '\0';
}

/*
 * Words are asked eight at a time where the processor can (AVX-512), one
 * at a time elsewhere: the two must find the same names.  The text is
 * dense with names and with words that share their first bytes, of every
 * length from 1 to 40 bytes, so that names fall at every place in the
 * 64-byte blocks and across their ends, and words run past 16 bytes.
 */
static void
t_vector_same(void **state)
{
	enum { NNAMES = 400, NWORDS = 600, TEXT = 400000 };
	static char words[NWORDS][48], namebuf[NNAMES][160];
	static const char *const sep[] = { " ", " ", " ", "  ", ", ", ".\n",
	    "\t", " (", ") ", "-", " \xC3\xA9 ", "\xE2\x80\x99", "'s ",
	    " \xE2\x80\x94 ", "\n\n" };
	const char *names[NNAMES + 1], *half[2][NNAMES / 2 + 1];
	uint32_t seed = 20261204;
	unsigned char *text = malloc(TEXT + 256);
	size_t n = 0, i, k, len;
	unsigned f;
	struct spans a, b;

	(void)state;
	assert_non_null(text);
	for (i = 0; i < NWORDS; i++) {
		len = 1 + rnd(&seed) % 40;
		if (i >= NWORDS / 2 && rnd(&seed) % 2 == 0) {
			/* A word that shares a name word's first bytes. */
			memcpy(words[i], words[i - NWORDS / 2], 48);
			len = strlen(words[i]);
			if (len > 1)
				words[i][1 + rnd(&seed) % (len - 1)] = 'q';
			continue;
		}
		rnd_word(&seed, words[i], len);
	}
	for (i = 0; i < NNAMES; i++) {
		namebuf[i][0] = '\0';
		for (k = 1 + rnd(&seed) % 3; k > 0; k--) {
			strcat(namebuf[i], words[rnd(&seed) % (NWORDS / 2)]);
			if (k > 1)
				strcat(namebuf[i], " ");
		}
		names[i] = namebuf[i];
	}
	names[NNAMES] = NULL;
	while (n < TEXT) {
		const char *tok = rnd(&seed) % 3 == 0 ?
		    names[rnd(&seed) % NNAMES] : words[rnd(&seed) % NWORDS];

		unsigned flip = rnd(&seed) % 4 == 0 ? 0x20 : 0;

		len = strlen(tok);
		for (i = 0; i < len; i++)
			text[n + i] = (unsigned char)((unsigned char)tok[i] ^
			    (tok[i] >= 'A' ? flip : 0));
		n += len;
		tok = sep[rnd(&seed) % (sizeof(sep) / sizeof(sep[0]))];
		memcpy(text + n, tok, strlen(tok));
		n += strlen(tok);
	}
	/*
	 * Case-sensitive and -i; one layer, and two (every other name in
	 * each), whose filters are asked in turn.
	 */
	for (f = 0; f < 4; f++) {
		unsigned flags = f & 1 ? NT_NORM_CASEFOLD : 0;
		size_t nt = f & 2 ? 2 : 1;
		struct nt_trie *own[2];
		const struct nt_trie *t[2];

		if (nt == 1)
			own[0] = make_trie(names, flags);
		else {
			for (i = 0; i < NNAMES / 2; i++) {
				half[0][i] = names[2 * i];
				half[1][i] = names[2 * i + 1];
			}
			half[0][i] = half[1][i] = NULL;
			own[0] = make_trie(half[0], flags);
			own[1] = make_trie(half[1], flags);
		}
		t[0] = own[0];
		t[1] = own[nt - 1];
		run_spans(t, nt, flags, 0, text, n, &a);
		run_spans(t, nt, flags, 1, text, n, &b);
		assert_true(a.n > 3000);
		assert_int_equal(a.n, b.n);
		for (i = 0; i < a.n; i++) {
			assert_int_equal(a.s[i].start, b.s[i].start);
			assert_int_equal(a.s[i].end, b.s[i].end);
			assert_int_equal(a.s[i].value, b.s[i].value);
		}
		free(a.s);
		free(b.s);
		for (i = 0; i < nt; i++)
			nt_trie_free(own[i]);
	}
	if (!nt_match_vector())
		print_message("    (no AVX-512 here: both runs asked words one "
		    "at a time)\n");
	free(text);
}

static void
t_no_tries(void **state)
{
	struct nt_match_config cfg;
	struct nt_matcher *m;
	struct collect c;

	(void)state;
	memset(&c, 0, sizeof(c));
	memset(&cfg, 0, sizeof(cfg));
	cfg.text = collect_text;
	cfg.span = collect_span;
	cfg.ctx = &c;
	m = nt_match_new(&cfg);
	nt_match_feed(m, "North Korea", 11);
	nt_match_finish(m);
	assert_int_equal(c.len, 11);
	assert_int_equal(c.nspan, 0);
	nt_match_free(m);
	free(c.all);
}

static void
t_space_commit(void **state)
{
	struct nt_trie *t = make_trie(places, 0);
	const struct nt_trie *tries[1] = { t };
	static const char in[] = "In North Korea and Kyiv.";
	struct nt_match_config cfg;
	struct nt_matcher *m;
	struct collect c;
	unsigned char *p;
	size_t i, room;

	(void)state;
	memset(&c, 0, sizeof(c));
	memset(&cfg, 0, sizeof(cfg));
	cfg.tries = tries;
	cfg.ntries = 1;
	cfg.block = 1;
	cfg.text = collect_text;
	cfg.span = collect_span;
	cfg.ctx = &c;
	m = nt_match_new(&cfg);
	/* The read(2) interface: one byte of room at a time. */
	for (i = 0; i < sizeof(in) - 1; i++) {
		p = nt_match_space(m, &room);
		assert_int_equal(room, 1);
		*p = (unsigned char)in[i];
		nt_match_commit(m, 1);
	}
	nt_match_finish(m);
	assert_string_equal(spans_str(&c), "3-14:6 North Korea;19-23:1 Kyiv");
	nt_match_free(m);
	nt_trie_free(t);
	free(c.all);
}

/* Raise the damaged flag at the second span, as a damaged entry would. */
static int damage_flag;

static void
damaging_span(void *ctx, const unsigned char *p, size_t n,
    const struct nt_span *s)
{
	struct collect *c = ctx;

	if (c->nspan == 1) {
		damage_flag = 1;
		return;		/* the output module writes nothing then */
	}
	collect_span(ctx, p, n, s);
}

static void
t_damage_stops(void **state)
{
	struct nt_trie *t = make_trie(places, 0);
	const struct nt_trie *tries[1] = { t };
	static const char in[] = "Kyiv a Kyiv b Kyiv c";
	struct nt_match_config cfg;
	struct nt_matcher *m;
	struct collect c;

	(void)state;
	memset(&c, 0, sizeof(c));
	memset(&cfg, 0, sizeof(cfg));
	cfg.tries = tries;
	cfg.ntries = 1;
	cfg.text = collect_text;
	cfg.span = damaging_span;
	cfg.ctx = &c;
	cfg.damaged = &damage_flag;
	damage_flag = 0;
	m = nt_match_new(&cfg);
	assert_int_equal(nt_match_failed(m), 0);
	nt_match_feed(m, in, sizeof(in) - 1);
	nt_match_finish(m);
	/* What came before the damage, and nothing after it. */
	assert_int_equal(nt_match_failed(m), 1);
	assert_int_equal(c.len, 7);
	assert_memory_equal(c.all, "Kyiv a ", 7);
	nt_match_feed(m, in, sizeof(in) - 1);
	nt_match_finish(m);
	assert_int_equal(c.len, 7);
	nt_match_free(m);

	/* Damage found before any input (by the filters): nothing at all. */
	free(c.all);
	memset(&c, 0, sizeof(c));
	m = nt_match_new(&cfg);
	nt_match_feed(m, in, sizeof(in) - 1);
	nt_match_finish(m);
	assert_int_equal(nt_match_failed(m), 1);
	assert_int_equal(c.len, 0);
	nt_match_free(m);
	nt_trie_free(t);
	free(c.all);
}

/*
 * Latin letters and general punctuation take a table instead of utf8proc
 * when an ASCII byte follows them: the same classes, the same starts.
 */
static void
t_common_non_ascii(void **state)
{
	static const char *const names[] = { "'s-Hertogenbosch", "Paris",
		"\xc3\x89vian", "\xe2\x80\x9cQuoted", "-Minus", NULL };

	(void)state;
	/* A curly apostrophe after a space starts a name with '. */
	expect_spans(names, 0, "in \xe2\x80\x99s-Hertogenbosch.",
	    "3-21:1 \xe2\x80\x99s-Hertogenbosch");
	expect_spans(names, 0, "x\xe2\x80\x98s-Hertogenbosch", "");
	/* Quotes and dashes are boundaries; letters are not. */
	expect_spans(names, 0, "\xe2\x80\x9cParis\xe2\x80\x9d", "3-8:2 Paris");
	expect_spans(names, 0, "x\xe2\x80\x94Paris", "4-9:2 Paris");
	expect_spans(names, 0, "caf\xc3\xa9Paris", "");
	expect_spans(names, 0, "Paris\xc3\xa9 Paris", "8-13:2 Paris");
	expect_spans(names, 0, "\xc3\xa9 Paris", "3-8:2 Paris");
	/* A dash normalises to '-', which begins a name. */
	expect_spans(names, 0, "a \xe2\x80\x93Minus", "2-10:5 \xe2\x80\x93Minus");
	/* Letters that begin names, with folding and without accents. */
	expect_spans(names, 0, "\xc3\x89vian a\xc3\x89vian", "0-6:3 \xc3\x89vian");
	expect_spans(names, 0, "\xc3\xa9vian", "");
	expect_spans(names, NT_NORM_CASEFOLD, "\xc3\xa9vian", "0-6:3 \xc3\xa9vian");
	expect_spans(names, NT_NORM_STRIPMARK, "Evian \xc3\x89vian",
	    "0-5:3 Evian;6-12:3 \xc3\x89vian");
	/* A quote that is itself the start of a name. */
	expect_spans(names, 0, "\xe2\x80\x9cQuoted yes", "0-9:4 \xe2\x80\x9cQuoted");
	/* A mark after it: the slow path, same answers. */
	expect_spans(names, 0, "e\xcc\x81Paris \xc3\xa9\xcc\x81 Paris",
	    "14-19:2 Paris");
	/* White space among them is still a run of one space. */
	expect_spans(names, 0, "\xc2\xa0Paris\xe2\x80\x83", "2-7:2 Paris");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_empty),
		cmocka_unit_test(t_damage_stops),
		cmocka_unit_test(t_common_non_ascii),
		cmocka_unit_test(t_word_bounds),
		cmocka_unit_test(t_leftmost_longest),
		cmocka_unit_test(t_white_space_runs),
		cmocka_unit_test(t_white_space_cap),
		cmocka_unit_test(t_normalisation),
		cmocka_unit_test(t_punctuation_names),
		cmocka_unit_test(t_filter_next_bytes),
		cmocka_unit_test(t_invalid_bytes),
		cmocka_unit_test(t_split_at_every_byte),
		cmocka_unit_test(t_lines_flag),
		cmocka_unit_test(t_long_line),
		cmocka_unit_test(t_finish_restarts),
		cmocka_unit_test(t_layers_and_veto),
		cmocka_unit_test(t_any_split_same_spans),
		cmocka_unit_test(t_two_blocks_every_split),
		cmocka_unit_test(t_start_and_end_of_line),
		cmocka_unit_test(t_multibyte_keys),
		cmocka_unit_test(t_canonical_reordering),
		cmocka_unit_test(t_casefold_match),
		cmocka_unit_test(t_ignore_accents_both_sides),
		cmocka_unit_test(t_invalid_bytes_never_inside),
		cmocka_unit_test(t_mark_runs),
		cmocka_unit_test(t_white_space_cap_multibyte),
		cmocka_unit_test(t_word_bounds_unicode),
		cmocka_unit_test(t_punctuation_bounds),
		cmocka_unit_test(t_failed_path_later_match),
		cmocka_unit_test(t_filters_never_hide),
		cmocka_unit_test(t_block_word_filter),
		cmocka_unit_test(t_punct_after_first_word),
		cmocka_unit_test(t_walk_run_ends),
		cmocka_unit_test(t_block_second_words),
		cmocka_unit_test(t_high_first_words),
		cmocka_unit_test(t_no_tries),
		cmocka_unit_test(t_vector_same),
		cmocka_unit_test(t_space_commit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
