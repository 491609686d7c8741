/* nertag - unit tests for gazetteer.c.  SPDX-License-Identifier: MIT */
#include <sys/stat.h>

#include "helpers.h"
#include "gazetteer.h"

struct seen {
	char out[2048];
	size_t n;
	const char *fail_on;	/* name that makes the callback fail */
};

static const char *
entry(void *ctx, const char *name, size_t namelen, const char *id,
    size_t idlen, unsigned long line)
{
	struct seen *s = ctx;

	if (s->fail_on != NULL && namelen == strlen(s->fail_on) &&
	    memcmp(name, s->fail_on, namelen) == 0)
		return "refused by the callback";
	s->n += (size_t)snprintf(s->out + s->n, sizeof(s->out) - s->n,
	    "%lu:%.*s|%.*s;", line, (int)namelen, name, id != NULL ?
	    (int)idlen : 4, id != NULL ? id : "NULL");
	return NULL;
}

/* Parse text; return the count, with the entries in s and label in *lab. */
static long
parse(const char *text, size_t n, struct seen *s, char **lab,
    struct nt_error *e)
{
	char *buf = (char *)exact(text, n);
	long r;

	memset(s->out, 0, sizeof(s->out));
	s->n = 0;
	r = nt_gaz_parse(buf, n, "g.txt", entry, s, lab, e);
	free(buf);
	return r;
}

static void
t_entries(void **state)
{
	static const char g[] = "\xef\xbb\xbf# label: LOC\r\n# a comment\n\n"
	    "Kyiv\r\nKiev\tKyiv\n  \t \nS\xc3\xa3o Paulo\tQ174 \nlast";
	struct seen s = { .fail_on = NULL };
	struct nt_error e;
	char *lab;

	(void)state;
	assert_int_equal(parse(g, sizeof(g) - 1, &s, &lab, &e), 4);
	assert_string_equal(s.out, "4:Kyiv|NULL;5:Kiev|Kyiv;"
	    "7:S\xc3\xa3o Paulo|Q174;8:last|NULL;");
	assert_non_null(lab);
	assert_string_equal(lab, "LOC");
	free(lab);
}

static void
t_label_only_before_entries(void **state)
{
	static const char g[] = "Kyiv\n# label: PER\n";
	struct seen s = { .fail_on = NULL };
	struct nt_error e;
	char *lab;

	(void)state;
	assert_int_equal(parse(g, sizeof(g) - 1, &s, &lab, &e), 1);
	assert_null(lab);
}

static void
t_errors(void **state)
{
	static const struct {
		const char *text;
		size_t n;
		unsigned long line;
		const char *reason;
	} c[] = {
		{ "ok\nbad\xff\n", 8, 2, "invalid UTF-8" },
		{ "ok\nbad\xc0\xaf\n", 9, 2, "invalid UTF-8" },
		{ "a\n\nb\0c\n", 7, 3, "NUL byte" },
		/* Past the ASCII fast path: NUL first, after UTF-8, cut short. */
		{ "\0a\n", 3, 1, "NUL byte" },
		{ "\xc3\xa9\0\n", 4, 1, "NUL byte" },
		{ "ab\xc3\n", 4, 1, "invalid UTF-8" },
		{ "ab\xe2\x80", 4, 1, "invalid UTF-8" },
		{ "a\tb\tc\n", 6, 1, "more than one tab" },
		{ "x\n a\t \n", 7, 2, "empty ID after the tab" },
		{ "# label: 1abc\nx\n", 16, 1, "invalid label" },
		{ "# label: xmlfoo\nx\n", 18, 1, "invalid label" },
		{ "a\nrefuse\n", 9, 2, "refused by the callback" },
	};
	struct seen s = { .fail_on = "refuse" };
	struct nt_error e;
	char *lab;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		assert_int_equal(parse(c[i].text, c[i].n, &s, &lab, &e), -1);
		assert_null(lab);
		assert_string_equal(e.path, "g.txt");
		assert_int_equal(e.line, c[i].line);
		assert_true(strncmp(e.reason, c[i].reason,
		    strlen(c[i].reason)) == 0);
	}
}

static void
t_empty(void **state)
{
	struct seen s = { .fail_on = NULL };
	struct nt_error e;
	char *lab;

	(void)state;
	assert_int_equal(parse("", 0, &s, &lab, &e), 0);
	assert_int_equal(parse("# only\n\n", 8, &s, &lab, &e), 0);
}

static void
t_labels(void **state)
{
	char *l;

	(void)state;
	assert_true(nt_gaz_valid_label("PER", 3));
	assert_true(nt_gaz_valid_label("_x-1.2", 6));
	assert_false(nt_gaz_valid_label("", 0));
	assert_false(nt_gaz_valid_label("1A", 2));
	assert_false(nt_gaz_valid_label("A B", 3));
	assert_false(nt_gaz_valid_label("XML", 3));
	assert_false(nt_gaz_valid_label("\xc3\xa9", 2));
	/* An invalid label's message says which rule it breaks. */
	assert_null(nt_gaz_label_problem("PER", 3));
	assert_string_equal(nt_gaz_label_problem("", 0), "it is empty");
	assert_string_equal(nt_gaz_label_problem("1A", 2),
	    "it must begin with a letter or '_'");
	assert_string_equal(nt_gaz_label_problem("A B", 3),
	    "it may hold only letters, digits, '_', '-' and '.'");
	assert_string_equal(nt_gaz_label_problem("xmlfoo", 6),
	    "it must not begin with 'xml'");
	assert_string_equal(nt_gaz_label_problem(
	    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
	    65), "it is longer than 64 characters");
	l = nt_gaz_label_from_path("/a/b.c/PER.txt");
	assert_string_equal(l, "PER");
	free(l);
	l = nt_gaz_label_from_path("places.v2.txt");
	assert_string_equal(l, "places");
	free(l);
	l = nt_gaz_label_from_path("LOC");
	assert_string_equal(l, "LOC");
	free(l);
}

static void
t_slurp_and_list(void **state)
{
	char dir[] = "/tmp/nertag-unit-dir.XXXXXX", path[256], **list;
	static const char *const names[] = { "b.txt", "a.txt", "c.exclude",
		"A.txt", ".hidden.txt", "txt" };
	struct nt_error e;
	size_t i, n;
	char *buf;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	for (i = 0; i < 6; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		f = fopen(path, "w");
		assert_non_null(f);
		fputs("x\n", f);
		fclose(f);
	}
	assert_int_equal(nt_gaz_list(dir, ".txt", &list, &n, &e), 0);
	assert_int_equal(n, 3);
	assert_true(strstr(list[0], "/A.txt") != NULL);
	assert_true(strstr(list[1], "/a.txt") != NULL);
	assert_true(strstr(list[2], "/b.txt") != NULL);
	assert_int_equal(nt_gaz_slurp(list[0], &buf, &n, &e), 0);
	assert_int_equal(n, 2);
	assert_memory_equal(buf, "x\n", 2);
	free(buf);
	nt_gaz_list_free(list, 3);
	/* A directory and a missing file are errors that name the path. */
	assert_int_equal(nt_gaz_slurp(dir, &buf, &n, &e), -1);
	assert_string_equal(e.path, dir);
	assert_string_equal(e.reason, "is a directory");
	snprintf(path, sizeof(path), "%s/none", dir);
	assert_int_equal(nt_gaz_slurp(path, &buf, &n, &e), -1);
	assert_string_equal(e.reason, "No such file or directory");
	assert_int_equal(nt_gaz_list(path, ".txt", &list, &n, &e), -1);
	for (i = 0; i < 6; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
}

static void
t_syntax_details(void **state)
{
	/* A BOM only counts at the start; later it is part of a name. */
	static const char g1[] = "\xef\xbb\xbf\xef\xbb\xbfx\n";
	/* CRLF with an ID; spaces around the ID trimmed; CR alone kept. */
	static const char g2[] = "Kiev\t Kyiv \r\nA\rB\r\nlast\tL\r";
	/* The first declaration wins; '#label:' needs no space. */
	static const char g3[] = "#label:GPE \t\n# label: PER\nx\n";
	/* A comment that is not a declaration; '#' only at line start. */
	static const char g4[] = "# labels: no\n# label PER\n #x\nC#\n";
	struct seen s = { .fail_on = NULL };
	struct nt_error e;
	char *lab;

	(void)state;
	assert_int_equal(parse(g1, sizeof(g1) - 1, &s, &lab, &e), 1);
	assert_string_equal(s.out, "1:\xef\xbb\xbfx|NULL;");
	assert_int_equal(parse(g2, sizeof(g2) - 1, &s, &lab, &e), 3);
	assert_string_equal(s.out, "1:Kiev|Kyiv;2:A\rB|NULL;3:last|L;");
	assert_null(lab);
	assert_int_equal(parse(g3, sizeof(g3) - 1, &s, &lab, &e), 1);
	assert_non_null(lab);
	assert_string_equal(lab, "GPE");
	free(lab);
	assert_int_equal(parse(g4, sizeof(g4) - 1, &s, &lab, &e), 2);
	assert_string_equal(s.out, "3: #x|NULL;4:C#|NULL;");
	assert_null(lab);
}

static void
t_more_errors(void **state)
{
	static const struct {
		const char *text;
		size_t n;
		unsigned long line;
		const char *reason;
	} c[] = {
		/* A surrogate, an overlong, a truncated sequence at the end. */
		{ "a\r\nb\xed\xa0\x80\n", 8, 2, "invalid UTF-8" },
		{ "a\nb\xe0\x80\x80", 6, 2, "invalid UTF-8" },
		{ "a\n\n\nb\xe2\x82", 7, 4, "invalid UTF-8" },
		{ "a\n\xc0\n", 4, 2, "invalid UTF-8" },
		/* In a comment too, and NUL in a comment. */
		{ "# \x80\nx\n", 5, 1, "invalid UTF-8" },
		{ "#\0\nx\n", 5, 1, "NUL byte" },
		/* An ID of blanks, a tab at the end, an ID with a tab. */
		{ "a\tQ1\nb\t  \r\n", 11, 2, "empty ID after the tab" },
		{ "a\t\n", 3, 1, "empty ID after the tab" },
		{ "a\t\t\n", 4, 1, "more than one tab" },
		{ "# label: A B\nx\n", 15, 1, "invalid label" },
		{ "# label:\nx\n", 11, 1, "invalid label" },
	};
	struct seen s = { .fail_on = NULL };
	struct nt_error e;
	char *lab;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		if (parse(c[i].text, c[i].n, &s, &lab, &e) != -1)
			fail_msg("case %zu parsed", i);
		assert_null(lab);
		assert_int_equal(e.line, c[i].line);
		if (strncmp(e.reason, c[i].reason, strlen(c[i].reason)) != 0)
			fail_msg("case %zu: %s", i, e.reason);
	}
}

static void
t_label_rules(void **state)
{
	char l[80], *p;

	(void)state;
	memset(l, 'A', sizeof(l));
	assert_true(nt_gaz_valid_label(l, 64));
	assert_false(nt_gaz_valid_label(l, 65));
	assert_false(nt_gaz_valid_label("xMlA", 4));
	assert_false(nt_gaz_valid_label("xml", 3));
	assert_true(nt_gaz_valid_label("xm", 2));
	assert_true(nt_gaz_valid_label("XM_L", 4));
	assert_true(nt_gaz_valid_label("_", 1));
	assert_false(nt_gaz_valid_label("-A", 2));
	assert_false(nt_gaz_valid_label(".A", 2));
	assert_false(nt_gaz_valid_label("A:B", 3));
	assert_false(nt_gaz_valid_label("A\0", 2));
	/* Only n bytes are looked at. */
	assert_true(nt_gaz_valid_label("PER.txt", 3));
	p = nt_gaz_label_from_path(".hidden");
	assert_string_equal(p, "");
	free(p);
	p = nt_gaz_label_from_path("dir/");
	assert_string_equal(p, "");
	free(p);
	p = nt_gaz_label_from_path("a.d/b/ORG");
	assert_string_equal(p, "ORG");
	free(p);
}

/* dir/name, in one of two static buffers. */
static const char *
in_dir(const char *dir, const char *name)
{
	static char path[2][256];
	static int k;

	k = !k;
	snprintf(path[k], sizeof(path[k]), "%s/%s", dir, name);
	return path[k];
}

static void
t_list_edges(void **state)
{
	char dir[] = "/tmp/nertag-unit-dir2.XXXXXX", **list;
	static const char *const names[] = { "b\xc3\xa9.txt", "bz.txt",
		"B.txt", "_.txt", "1.txt", "x.txt.bak", "y.TXT" };
	/* Bytewise order: digits, capitals, '_', small letters, then 0xC3. */
	static const char *const order[] = { "1.txt", "B.txt", "_.txt",
		"bz.txt", "b\xc3\xa9.txt", "link.txt", "none.txt" };
	struct nt_error e;
	size_t i, n;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	for (i = 0; i < 7; i++) {
		f = fopen(in_dir(dir, names[i]), "w");
		assert_non_null(f);
		fclose(f);
	}
	assert_int_equal(nt_gaz_list(dir, ".txt", &list, &n, &e), 0);
	assert_int_equal(n, 5);
	for (i = 0; i < n; i++)
		assert_string_equal(list[i], in_dir(dir, order[i]));
	nt_gaz_list_free(list, n);
	/*
	 * Only files: a folder or a FIFO named *.txt is passed over (reading
	 * a FIFO would wait for ever), a link to a file is listed, and so is
	 * a link to nothing, so that reading it says what is wrong.
	 */
	assert_int_equal(mkdir(in_dir(dir, "sub.txt"), 0755), 0);
	assert_int_equal(mkfifo(in_dir(dir, "fifo.txt"), 0644), 0);
	assert_int_equal(symlink("bz.txt", in_dir(dir, "link.txt")), 0);
	assert_int_equal(symlink("missing", in_dir(dir, "none.txt")), 0);
	assert_int_equal(nt_gaz_list(dir, ".txt", &list, &n, &e), 0);
	assert_int_equal(n, 7);
	for (i = 0; i < n; i++)
		assert_string_equal(list[i], in_dir(dir, order[i]));
	nt_gaz_list_free(list, n);
	rmdir(in_dir(dir, "sub.txt"));
	unlink(in_dir(dir, "fifo.txt"));
	unlink(in_dir(dir, "link.txt"));
	unlink(in_dir(dir, "none.txt"));
	/* An empty listing, and a file where a folder should be. */
	assert_int_equal(nt_gaz_list(dir, ".exclude", &list, &n, &e), 0);
	assert_int_equal(n, 0);
	nt_gaz_list_free(list, n);
	assert_int_equal(nt_gaz_list(in_dir(dir, "bz.txt"), ".txt", &list, &n,
	    &e), -1);
	assert_string_equal(e.path, in_dir(dir, "bz.txt"));
	for (i = 0; i < 7; i++)
		unlink(in_dir(dir, names[i]));
	rmdir(dir);
}

/*
 * A message names the whole path (a helper's finding: paths were cut at
 * 1,023 bytes, so a long one named a folder instead of the file); one
 * longer than any the system opens ends in "...".
 */
static void
t_error_long_path(void **state)
{
	char path[6000];
	struct nt_error e;

	(void)state;
	memset(path, 'd', 1300);
	memcpy(path + 1300, "/LOC.txt", 9);
	nt_error_set(&e, path, 2, "invalid UTF-8");
	assert_string_equal(e.path, path);
	assert_int_equal(e.line, 2);
	memset(path, 'd', sizeof(path) - 1);
	path[sizeof(path) - 1] = '\0';
	nt_error_set(&e, path, 0, "x");
	assert_int_equal(strlen(e.path), sizeof(e.path) - 1);
	assert_string_equal(e.path + sizeof(e.path) - 4, "...");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_entries),
		cmocka_unit_test(t_label_only_before_entries),
		cmocka_unit_test(t_errors),
		cmocka_unit_test(t_empty),
		cmocka_unit_test(t_labels),
		cmocka_unit_test(t_slurp_and_list),
		cmocka_unit_test(t_syntax_details),
		cmocka_unit_test(t_more_errors),
		cmocka_unit_test(t_label_rules),
		cmocka_unit_test(t_list_edges),
		cmocka_unit_test(t_error_long_path),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
