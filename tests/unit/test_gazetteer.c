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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
