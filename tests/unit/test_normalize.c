/* nertag - unit tests for normalize.c.  SPDX-License-Identifier: MIT */
#include "helpers.h"

/* The normal form of s, as a string, or "(barrier)". */
static const char *
norm(const char *s, unsigned flags)
{
	static char out[512];
	unsigned char *in = exact(s, strlen(s)), *k;
	size_t n;

	k = nt_norm_string(in, strlen(s), flags, &n);
	free(in);
	if (k == NULL)
		return "(barrier)";
	assert_true(n < sizeof(out));
	memcpy(out, k, n);
	out[n] = '\0';
	free(k);
	return out;
}

/* 1 if a and b have the same normal form under flags. */
static int
same(const char *a, const char *b, unsigned flags)
{
	char first[512];

	snprintf(first, sizeof(first), "%s", norm(a, flags));
	return strcmp(first, norm(b, flags)) == 0;
}

static void
t_ascii(void **state)
{
	(void)state;
	assert_string_equal(norm("Kyiv", 0), "Kyiv");
	assert_string_equal(norm("Kyiv", NT_NORM_CASEFOLD), "kyiv");
	assert_string_equal(norm("  New \t\n York  ", 0), "New York");
	assert_string_equal(norm("", 0), "");
	assert_string_equal(norm("   ", 0), "");
}

static void
t_nfc_nfd_equal(void **state)
{
	(void)state;
	/* Zürich in NFC and in NFD normalise alike, decomposed. */
	assert_string_equal(norm("Z\xc3\xbcrich", 0), "Zu\xcc\x88rich");
	assert_string_equal(norm("Zu\xcc\x88rich", 0), "Zu\xcc\x88rich");
	/* Canonical order: dot below (220) before circumflex (230). */
	assert_true(same("a\xcc\x82\xcc\xa3", "a\xcc\xa3\xcc\x82", 0));
	assert_string_equal(norm("\xe1\xba\xad", 0), "a\xcc\xa3\xcc\x82");
}

static void
t_casefold(void **state)
{
	(void)state;
	assert_true(same("STRASSE", "Stra\xc3\x9f" "e", NT_NORM_CASEFOLD));
	assert_string_equal(norm("Stra\xc3\x9f" "e", NT_NORM_CASEFOLD),
	    "strasse");
	/* Sigma: capital, small and final fold alike. */
	assert_true(same("\xce\xa3\xce\x8a\xce\xa3\xce\xa5\xce\xa6"
	    "\xce\x9f\xce\xa3",
	    "\xcf\x83\xce\xaf\xcf\x83\xcf\x85\xcf\x86\xce\xbf\xcf\x82",
	    NT_NORM_CASEFOLD));
	/* Turkish dotted capital I folds to i + combining dot above. */
	assert_string_equal(norm("\xc4\xb0", NT_NORM_CASEFOLD), "i\xcc\x87");
	/* Without -i, case matters. */
	assert_false(same("STRASSE", "Strasse", 0));
	assert_false(same("Stra\xc3\x9f" "e", "Strasse", 0));
}

/*
 * Canonical caseless matching: the marks are put in order before folding
 * and again after it.  U+0345 (ypogegrammeni, class 240) folds to iota,
 * which is no mark: folded first, it would pin the marks around it in
 * whatever order the text had them.  With --ignore-accents too, it folds
 * before the marks go, as it does inside a precomposed letter.
 */
static void
t_casefold_canonical(void **state)
{
	/* U+1F80; U+1FB3 U+0313; alpha U+0313 U+0345; alpha U+0345 U+0313. */
	static const char *const a[] = { "\xe1\xbe\x80",
		"\xe1\xbe\xb3\xcc\x93", "\xce\xb1\xcc\x93\xcd\x85",
		"\xce\xb1\xcd\x85\xcc\x93", NULL };
	size_t i, j;

	(void)state;
	for (i = 0; a[i] != NULL; i++)
		for (j = 0; a[j] != NULL; j++) {
			assert_true(same(a[i], a[j], 0));
			assert_true(same(a[i], a[j], NT_NORM_CASEFOLD));
			assert_true(same(a[i], a[j], NT_NORM_CASEFOLD |
			    NT_NORM_STRIPMARK));
			assert_true(same(a[i], a[j], NT_NORM_STRIPMARK));
		}
	assert_string_equal(norm(a[3], NT_NORM_CASEFOLD),
	    "\xce\xb1\xcc\x93\xce\xb9");
	/* U+1FB4 and alpha U+0345 U+0301. */
	assert_true(same("\xe1\xbe\xb4", "\xce\xb1\xcd\x85\xcc\x81",
	    NT_NORM_CASEFOLD));
	/* U+1FB3 and alpha U+0345: both alpha iota. */
	assert_string_equal(norm("\xe1\xbe\xb3", NT_NORM_CASEFOLD |
	    NT_NORM_STRIPMARK), "\xce\xb1\xce\xb9");
	assert_string_equal(norm("\xce\xb1\xcd\x85", NT_NORM_CASEFOLD |
	    NT_NORM_STRIPMARK), "\xce\xb1\xce\xb9");
	/* Without -i the mark goes with the others. */
	assert_string_equal(norm("\xe1\xbe\xb3", NT_NORM_STRIPMARK),
	    "\xce\xb1");
}

static void
t_stripmark(void **state)
{
	(void)state;
	assert_string_equal(norm("Ky\xc3\xafv", NT_NORM_STRIPMARK), "Kyiv");
	assert_string_equal(norm("S\xc3\xa3o Paulo", NT_NORM_STRIPMARK),
	    "Sao Paulo");
	assert_string_equal(norm("S\xc3\xa3o", NT_NORM_STRIPMARK |
	    NT_NORM_CASEFOLD), "sao");
}

/*
 * Found by the match fuzzer: the name "St \xcc\x88" under -i
 * --ignore-accents normalised to "st " with a trailing space, because the
 * stripped mark came after the space; "St " then matched with its space.
 */
static void
t_stripped_mark_after_space(void **state)
{
	(void)state;
	assert_string_equal(norm("St \xcc\x88", NT_NORM_STRIPMARK), "St");
	assert_string_equal(norm("\xcc\x88 St", NT_NORM_STRIPMARK), "St");
	/* Two white-space runs stay two spaces, as in text. */
	assert_string_equal(norm("a \xcc\x88 b", NT_NORM_STRIPMARK), "a  b");
	assert_string_equal(norm("a \xcc\x88 b", 0), "a \xcc\x88 b");
}

static void
t_equivalences(void **state)
{
	(void)state;
	/* Typographic apostrophes and dashes, no-break space. */
	assert_string_equal(norm("O\xe2\x80\x99" "Brien", 0), "O'Brien");
	assert_string_equal(norm("O\xca\xbc" "Brien", 0), "O'Brien");
	assert_string_equal(norm("Al\xe2\x80\x94Quds", 0), "Al-Quds");
	assert_string_equal(norm("Al\xe2\x80\x93Quds", 0), "Al-Quds");
	assert_string_equal(norm("Al\xe2\x88\x92Quds", 0), "Al-Quds");
	assert_string_equal(norm("New\xc2\xa0York", 0), "New York");
	assert_string_equal(norm("New\xe2\x80\xa8York", 0), "New York");
	/*
	 * What case folding or decomposition yields is mapped too: U+0149
	 * folds to U+02BC U+006E, a modifier apostrophe and "n".
	 */
	assert_string_equal(norm("\xc5\x89" "a", NT_NORM_CASEFOLD), "'na");
	assert_true(same("\xc5\x89" "A", "\xca\xbc" "NA", NT_NORM_CASEFOLD));
	assert_true(same("\xc5\x89" "a", "'na", NT_NORM_CASEFOLD));
	/* Without -i, U+0149 is a letter of its own. */
	assert_string_equal(norm("\xc5\x89" "a", 0), "\xc5\x89" "a");
}

static void
t_barriers(void **state)
{
	char buf[300];

	(void)state;
	assert_string_equal(norm("a\x80" "b", 0), "(barrier)");
	assert_string_equal(norm("\xc0\xaf", 0), "(barrier)");	/* overlong */
	assert_string_equal(norm("\xed\xa0\x80", 0), "(barrier)"); /* surrogate */
	assert_string_equal(norm("\xff", 0), "(barrier)");
	assert_string_equal(norm("\xe2\x82", 0), "(barrier)");	/* truncated */
	/* A white-space run longer than the cap is a barrier. */
	memset(buf, ' ', sizeof(buf));
	buf[0] = 'a';
	buf[NT_NORM_SPACE_CAP + 2] = 'b';
	buf[NT_NORM_SPACE_CAP + 3] = '\0';
	assert_string_equal(norm(buf, 0), "(barrier)");
	buf[NT_NORM_SPACE_CAP + 1] = 'b';
	buf[NT_NORM_SPACE_CAP + 2] = '\0';
	assert_string_equal(norm(buf, 0), "a b");
}

/*
 * White space around a name does not count (a helper's finding: a name
 * padded to a column of 200 spaces was refused as a run past the cap).
 */
static void
t_space_around_is_no_barrier(void **state)
{
	char buf[600];
	size_t i;

	(void)state;
	memset(buf, ' ', 250);
	memcpy(buf + 250, "Kyiv", 4);
	memset(buf + 254, ' ', 200);
	buf[454] = '\0';
	assert_string_equal(norm(buf, 0), "Kyiv");
	assert_string_equal(norm(buf + 250, NT_NORM_CASEFOLD), "kyiv");
	assert_null(nt_norm_barrier((const unsigned char *)buf, 454, 0));
	/* No-break spaces (two bytes each) and a tab and a space. */
	for (i = 0; i < 100; i++)
		memcpy(buf + 2 * i, "\xc2\xa0", 2);
	memcpy(buf + 200, "Ky iv\t \xe3\x80\x80", 10);
	for (i = 0; i < 100; i++)
		memcpy(buf + 210 + 2 * i, "\xc2\xa0", 2);
	buf[410] = '\0';
	assert_string_equal(norm(buf, 0), "Ky iv");
	assert_null(nt_norm_barrier((const unsigned char *)buf, 410, 0));
	/* Inside the name the cap holds. */
	memcpy(buf, "Ky", 2);
	memset(buf + 2, ' ', 200);
	memcpy(buf + 202, "iv", 3);
	assert_string_equal(norm(buf, 0), "(barrier)");
	assert_string_equal(nt_norm_barrier((const unsigned char *)buf, 204,
	    0), "white-space run longer than 128 bytes");
	/* Only white space: empty. */
	memset(buf, ' ', 300);
	buf[300] = '\0';
	assert_string_equal(norm(buf, 0), "");
}

static void
t_mark_cap(void **state)
{
	char buf[200];
	size_t i, n = 0;

	(void)state;
	buf[n++] = 'a';
	for (i = 0; i < NT_NORM_MARK_CAP; i++) {
		buf[n++] = '\xcc';
		buf[n++] = '\x81';
	}
	buf[n] = '\0';
	assert_string_not_equal(norm(buf, 0), "(barrier)");
	buf[n++] = '\xcc';
	buf[n++] = '\x81';
	buf[n] = '\0';
	assert_string_equal(norm(buf, 0), "(barrier)");
}

static void
t_decode(void **state)
{
	int32_t cp;

	(void)state;
	assert_int_equal(nt_norm_decode((const unsigned char *)"A", 1, &cp), 1);
	assert_int_equal(cp, 'A');
	assert_int_equal(nt_norm_decode((const unsigned char *)"\xc3\xbc", 2,
	    &cp), 2);
	assert_int_equal(cp, 0xFC);
	assert_int_equal(nt_norm_decode((const unsigned char *)"\xf0\x9f\x98\x80",
	    4, &cp), 4);
	assert_int_equal(cp, 0x1F600);
	/* May continue past n: 0. */
	assert_int_equal(nt_norm_decode((const unsigned char *)"\xe2\x82", 2,
	    &cp), 0);
	/* Invalid: one byte, -1. */
	assert_int_equal(nt_norm_decode((const unsigned char *)"\x80", 1, &cp),
	    1);
	assert_int_equal(cp, -1);
	assert_int_equal(nt_norm_decode((const unsigned char *)"\xc0\xaf", 2,
	    &cp), 1);
	assert_int_equal(cp, -1);
	assert_int_equal(nt_norm_decode((const unsigned char *)"\xf4\x90\x80\x80",
	    4, &cp), 1);
	assert_int_equal(cp, -1);
}

static void
t_classes(void **state)
{
	(void)state;
	assert_int_equal(nt_norm_class('a'), NT_CLASS_WORD);
	assert_int_equal(nt_norm_class('_'), NT_CLASS_WORD);
	assert_int_equal(nt_norm_class('7'), NT_CLASS_WORD);
	assert_int_equal(nt_norm_class(' '), NT_CLASS_SPACE);
	assert_int_equal(nt_norm_class('\n'), NT_CLASS_SPACE);
	assert_int_equal(nt_norm_class('.'), NT_CLASS_OTHER);
	assert_int_equal(nt_norm_class(0), NT_CLASS_OTHER);
	assert_int_equal(nt_norm_class(-1), NT_CLASS_OTHER);
	assert_int_equal(nt_norm_class(0xFC), NT_CLASS_WORD);	/* ü */
	assert_int_equal(nt_norm_class(0x0301), NT_CLASS_WORD);	/* mark */
	assert_int_equal(nt_norm_class(0x0661), NT_CLASS_WORD);	/* digit */
	assert_int_equal(nt_norm_class(0x00A0), NT_CLASS_SPACE);
	assert_int_equal(nt_norm_class(0x2019), NT_CLASS_OTHER);
	assert_int_equal(nt_norm_class(0x02BC), NT_CLASS_OTHER);
	assert_int_equal(nt_norm_class(0x2014), NT_CLASS_OTHER);
	assert_int_equal(nt_norm_class(0x4E2D), NT_CLASS_WORD);	/* CJK */
}

static void
t_cluster_more(void **state)
{
	struct nt_cluster c;
	unsigned char *p = exact("e\xcc", 2);

	(void)state;
	/* An 'e' whose mark may follow: undecided until more arrives. */
	assert_int_equal(nt_norm_cluster(p, 1, 0, 0, &c), NT_CLUSTER_MORE);
	assert_int_equal(nt_norm_cluster(p, 2, 0, 0, &c), NT_CLUSTER_MORE);
	assert_int_equal(nt_norm_cluster(p, 1, 1, 0, &c), NT_CLUSTER_TEXT);
	assert_int_equal(c.srclen, 1);
	free(p);
	p = exact("\n\n", 2);
	assert_int_equal(nt_norm_cluster(p, 2, 0, 0, &c), NT_CLUSTER_MORE);
	assert_int_equal(nt_norm_cluster(p, 2, 1, 0, &c), NT_CLUSTER_SPACE);
	assert_int_equal(c.srclen, 2);
	assert_int_equal(nt_norm_cluster(p, 2, 0, NT_NORM_LINES, &c),
	    NT_CLUSTER_BARRIER);
	free(p);
	p = exact("\0", 1);
	assert_int_equal(nt_norm_cluster(p, 1, 1, 0, &c), NT_CLUSTER_BARRIER);
	free(p);
}

static void
t_versions(void **state)
{
	(void)state;
	assert_non_null(nt_norm_utf8proc_version());
	assert_true(strchr(nt_norm_unicode_version(), '.') != NULL);
}

static void
t_more_barriers_and_classes(void **state)
{
	struct nt_cluster c;
	unsigned char *p;

	(void)state;
	/* Overlong three-byte form, lone lead bytes, a 5-byte lead. */
	assert_string_equal(norm("\xe0\x80\x80", 0), "(barrier)");
	assert_string_equal(norm("\xc0", 0), "(barrier)");
	assert_string_equal(norm("\xf8\x88\x80\x80\x80", 0), "(barrier)");
	assert_string_equal(norm("\xf4\x8f\xbf\xbf", 0), "\xf4\x8f\xbf\xbf");
	/* NEL and VT/FF are white space; ZWSP (Cf) is not. */
	assert_string_equal(norm("a\xc2\x85\v\f" "b", 0), "a b");
	assert_string_equal(norm("a\xe2\x80\x8b" "b", 0), "a\xe2\x80\x8b" "b");
	assert_int_equal(nt_norm_class(0x85), NT_CLASS_SPACE);
	assert_int_equal(nt_norm_class(0x200B), NT_CLASS_OTHER);
	assert_int_equal(nt_norm_class(0x2212), NT_CLASS_OTHER);
	assert_int_equal(nt_norm_class(0x203F), NT_CLASS_WORD);	/* Pc */
	/* Compatibility forms are not folded: ﬃ stays, except under -i. */
	assert_string_equal(norm("\xef\xac\x83", 0), "\xef\xac\x83");
	assert_string_equal(norm("\xef\xac\x83", NT_NORM_CASEFOLD), "ffi");
	/* A surrogate is a barrier cluster of one byte. */
	p = exact("\xed\xa0\x80", 3);
	assert_int_equal(nt_norm_cluster(p, 3, 1, 0, &c), NT_CLUSTER_BARRIER);
	assert_int_equal(c.srclen, 1);
	free(p);
	/* A mark on its own is a cluster; stripped it is empty. */
	p = exact("\xcc\x81", 2);
	assert_int_equal(nt_norm_cluster(p, 2, 1, 0, &c), NT_CLUSTER_TEXT);
	assert_int_equal(c.len, 2);
	assert_int_equal(nt_norm_cluster(p, 2, 1, NT_NORM_STRIPMARK, &c),
	    NT_CLUSTER_TEXT);
	assert_int_equal(c.len, 0);
	assert_int_equal(c.srclen, 2);
	free(p);
}

/* The 64-byte scan agrees with the byte tables, every byte at every place. */
static void
t_scan64(void **state)
{
	unsigned char buf[64 + 1];
	uint64_t w, h, lo, bit;
	unsigned b, k, j;

	(void)state;
	for (b = 0; b < 256; b++) {
		for (k = 0; k < 64; k++) {
			for (j = 0; j < 64; j++)
				buf[j] = (unsigned char)"Ab_ 9z.\t"[(j * 7 + b) % 8];
			buf[k] = (unsigned char)b;
			nt_norm_scan64(buf, &w, &h, &lo);
			for (j = 0; j < 64; j++) {
				unsigned c = buf[j];

				bit = (uint64_t)1 << j;
				assert_int_equal((h & bit) != 0, c == 0 || c >= 0x80);
				assert_int_equal((w & bit) != 0, c != 0 && c < 0x80 &&
				    nt_norm_ascii_class[c] == NT_CLASS_WORD);
				assert_int_equal((lo & bit) != 0,
				    c >= 'a' && c <= 'z');
			}
		}
	}
}

/*
 * The ASCII fast path of nt_norm_string() must give what the cluster path
 * gives, byte for byte and barrier for barrier, under every flag set.
 */
static void
same_both_ways(const unsigned char *s, size_t n)
{
	unsigned char *in = exact(s, n), *fast, *slow;
	size_t flen = 0, slen = 0;
	unsigned flags;

	for (flags = 0; flags < 8; flags++) {
		fast = nt_norm_string(in, n, flags, &flen);
		slow = nt_norm_string_clusters(in, n, flags, &slen);
		if ((fast == NULL) != (slow == NULL))
			fail_msg("flags %u, %zu bytes: fast %s, full %s", flags,
			    n, fast == NULL ? "barrier" : "text",
			    slow == NULL ? "barrier" : "text");
		if (fast != NULL) {
			assert_int_equal(flen, slen);
			assert_memory_equal(fast, slow, flen);
		}
		free(fast);
		free(slow);
	}
	free(in);
}

static void
same_str(const char *s)
{
	same_both_ways((const unsigned char *)s, strlen(s));
}

static void
t_ascii_fast_path_edges(void **state)
{
	static const char *const cases[] = {
		"", " ", "A", "A  B", "A\tB", " \t A B \t ", "A\nB", "A\n",
		"\nA", "A \n B", "A\r\nB", "A\vB\fC", "O'Brien", "O'", "'",
		"Al-Quds", "-", "A-", "--", "A_B", "a.b,c;d", "MC DONALD'S",
		"\x01" "A", "A\x7f", "\x7f", "~", "St. John's-Wood",
		/* Marks, spaces and letters beyond ASCII after ASCII. */
		"e\xcc\x81", "Cafe\xcc\x81", "A \xcc\x88", "\xcc\x88 A",
		"A \xcc\x88 B", "A\xc2\xa0" "B", "A \xc2\xa0 B", "A\xc2\xa0",
		"O\xe2\x80\x99" "Brien", "Al\xe2\x80\x94Quds", "\xc4\xb0" "stanbul",
		"ISTANBUL\xc4\xb0", "Stra\xc3\x9f" "e", "STRASSE", "A\xc2\x85",
		"A\xe2\x80\xa8" "B", "A\xc0" "B", "A\xff", "AB\xcc",
		"A\xe2\x80\x8b" "B", "Z\xc3\xbcrich", "Zu\xcc\x88rich",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		same_str(cases[i]);
	/* NUL inside, first and last. */
	same_both_ways((const unsigned char *)"A\0B", 3);
	same_both_ways((const unsigned char *)"\0A", 2);
	same_both_ways((const unsigned char *)"A\0", 2);
}

static void
t_ascii_fast_path_bytes(void **state)
{
	unsigned char b[3];
	unsigned x, y;

	(void)state;
	/* Every ASCII byte alone, and every pair, and each between letters. */
	for (x = 0; x < 128; x++) {
		b[0] = (unsigned char)x;
		same_both_ways(b, 1);
		for (y = 0; y < 128; y++) {
			b[1] = (unsigned char)y;
			same_both_ways(b, 2);
		}
		b[0] = 'Q';
		b[1] = (unsigned char)x;
		b[2] = 'z';
		same_both_ways(b, 3);
	}
}

static void
t_ascii_fast_path_space_cap(void **state)
{
	unsigned char b[NT_NORM_SPACE_CAP + 16];
	size_t run, where, n;

	(void)state;
	/* Runs about the cap, before, inside and after a name. */
	for (run = NT_NORM_SPACE_CAP - 2; run <= NT_NORM_SPACE_CAP + 2; run++)
		for (where = 0; where < 3; where++) {
			n = 0;
			if (where > 0)
				b[n++] = 'A';
			memset(b + n, where == 1 ? '\t' : ' ', run);
			n += run;
			if (where < 2)
				b[n++] = 'B';
			same_both_ways(b, n);
			/* A no-break space extending the run. */
			if (where == 1) {
				memcpy(b + n - 1, "\xc2\xa0" "B", 3);
				same_both_ways(b, n + 2);
			}
		}
}

/* Random strings over ASCII and a few troublesome non-ASCII pieces. */
static void
t_ascii_fast_path_random(void **state)
{
	static const char *const piece[] = {
		"a", "Z", "I", "i", "0", " ", "  ", "\t", "\n", "\r", "'", "-",
		"_", ".", "\x01", "\x7f", "\xcc\x81", "\xcc\x88", "\xc2\xa0",
		"\xe2\x80\x99", "\xe2\x80\x94", "\xc4\xb0", "\xc3\x9f", "\xc3\xa9",
		"\xef\xac\x83", "\xc0",
	};
	unsigned char b[64];
	unsigned long r = 12345;
	size_t i, k, n, np, len;
	int ascii;

	(void)state;
	np = sizeof(piece) / sizeof(piece[0]);
	for (i = 0; i < 20000; i++) {
		ascii = i % 2 == 0;
		n = 0;
		r = r * 6364136223846793005u + 1442695040888963407u;
		len = (r >> 33) % 12;
		for (k = 0; k < len; k++) {
			r = r * 6364136223846793005u + 1442695040888963407u;
			const char *p = piece[(r >> 33) % (ascii ? 16 : np)];

			memcpy(b + n, p, strlen(p));
			n += strlen(p);
		}
		same_both_ways(b, n);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_scan64),
		cmocka_unit_test(t_ascii),
		cmocka_unit_test(t_nfc_nfd_equal),
		cmocka_unit_test(t_casefold),
		cmocka_unit_test(t_casefold_canonical),
		cmocka_unit_test(t_stripmark),
		cmocka_unit_test(t_equivalences),
		cmocka_unit_test(t_stripped_mark_after_space),
		cmocka_unit_test(t_barriers),
		cmocka_unit_test(t_space_around_is_no_barrier),
		cmocka_unit_test(t_mark_cap),
		cmocka_unit_test(t_decode),
		cmocka_unit_test(t_classes),
		cmocka_unit_test(t_cluster_more),
		cmocka_unit_test(t_versions),
		cmocka_unit_test(t_more_barriers_and_classes),
		cmocka_unit_test(t_ascii_fast_path_edges),
		cmocka_unit_test(t_ascii_fast_path_bytes),
		cmocka_unit_test(t_ascii_fast_path_space_cap),
		cmocka_unit_test(t_ascii_fast_path_random),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
