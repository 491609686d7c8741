/* nertag - unit tests for lexicon.c.  SPDX-License-Identifier: MIT */
#include <sys/stat.h>

#include "helpers.h"

static char dir[64];

/* Write a file in the test folder; returns its path (static buffer). */
static const char *
put(const char *name, const char *text)
{
	static char path[2][256];
	static int k;
	FILE *f;

	k = !k;
	snprintf(path[k], sizeof(path[k]), "%s/%s", dir, name);
	f = fopen(path[k], "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path[k];
}

/*
 * Compile the gazetteer name (text), with the stop list stops unless NULL,
 * into the index out in the test folder, whose path goes to idx.
 */
static void
compile(unsigned flags, const char *name, const char *text,
    const char *stops, const char *out, char *idx, size_t cap)
{
	struct nt_lexicon *x = nt_lex_new(flags);
	struct nt_error e;

	assert_int_equal(nt_lex_gazetteer(x, put(name, text), NULL, &e), 0);
	if (stops != NULL)
		assert_int_equal(nt_lex_exclude(x, put("stops.exclude", stops),
		    &e), 0);
	assert_int_equal(nt_lex_prepare(x, &e), 0);
	snprintf(idx, cap, "%s/%s", dir, out);
	assert_int_equal(nt_lex_write_index(x, idx, &e), 0);
	nt_lex_free(x);
}

static int
setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/nertag-unit-lex.XXXXXX");
	assert_non_null(mkdtemp(dir));
	return 0;
}

static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* "LABEL:ID" of the name in layer 0..n, or "-". */
static const char *
find(const struct nt_lexicon *x, const char *name, unsigned flags)
{
	static char out[256];
	char pad[16];
	struct nt_lex_entry e;
	unsigned char *k;
	size_t n, i;
	uint32_t v;

	k = nt_norm_string((const unsigned char *)name, strlen(name), flags,
	    &n);
	for (i = 0; i < nt_lex_layers(x); i++) {
		v = nt_trie_lookup(nt_lex_trie(x, i), k, n);
		if (v != 0) {
			nt_lex_entry(x, i, v, &e);
			/*
			 * The writer copies a short label 16 bytes at a time
			 * (ASan reports a read past a buffer not so padded).
			 */
			assert_int_equal(e.labellen, strlen(e.label));
			memcpy(pad, e.label, sizeof(pad));
			assert_memory_equal(pad, e.label, e.labellen + 1);
			snprintf(out, sizeof(out), "%s:%.*s", e.label,
			    (int)e.idlen, e.id);
			free(k);
			return out;
		}
	}
	free(k);
	return "-";
}

static void
t_folder(void **state)
{
	struct nt_lexicon *x = nt_lex_new(0);
	struct nt_error e;
	char sub[128];

	(void)state;
	snprintf(sub, sizeof(sub), "%s/f", dir);
	mkdir(sub, 0755);
	put("f/LOC.txt", "Kyiv\nKiev\tKyiv\nGeorgia\nReading\n");
	put("f/PER.txt", "# label: PERSON\nGeorgia\tQ1\nEmmanuel Macron\n");
	put("f/stop.exclude", "Reading\n");
	put("f/SOURCES.md", "not a gazetteer\n");
	assert_int_equal(nt_lex_gazetteer(x, sub, NULL, &e), 0);
	assert_int_equal(nt_lex_prepare(x, &e), 0);
	assert_int_equal(nt_lex_layers(x), 1);
	assert_string_equal(find(x, "Kiev", 0), "LOC:Kyiv");
	assert_string_equal(find(x, "Kyiv", 0), "LOC:Kyiv");
	/* The first file wins a name both have. */
	assert_string_equal(find(x, "Georgia", 0), "LOC:Georgia");
	assert_string_equal(find(x, "Emmanuel  Macron", 0),
	    "PERSON:Emmanuel Macron");
	assert_string_equal(find(x, "Reading", 0), "-");
	assert_int_equal(nt_lex_labels(x), 2);
	assert_int_equal(nt_lex_names(x), 4);
	assert_null(nt_lex_veto(x));
	nt_lex_free(x);
}

static void
t_label_override_and_errors(void **state)
{
	struct nt_lexicon *x = nt_lex_new(NT_NORM_CASEFOLD);
	struct nt_error e;
	const char *p;

	(void)state;
	p = put("names.txt", "Paris\n");
	assert_int_equal(nt_lex_gazetteer(x, p, "CITY", &e), 0);
	assert_int_equal(nt_lex_prepare(x, &e), 0);
	assert_string_equal(find(x, "PARIS", NT_NORM_CASEFOLD), "CITY:Paris");
	nt_lex_free(x);

	x = nt_lex_new(0);
	p = put("bad.txt", "ok\n  \xe2\x80\x99  \n");	/* fine: an apostrophe */
	assert_int_equal(nt_lex_gazetteer(x, p, NULL, &e), 0);
	p = put("empty-entry.txt", "ok\n\xc2\xa0\n");
	assert_int_equal(nt_lex_gazetteer(x, p, NULL, &e), -1);
	assert_int_equal(e.line, 2);
	assert_string_equal(e.reason, "entry is empty after normalisation");
	nt_lex_free(x);

	x = nt_lex_new(0);
	p = put("none.txt", "# nothing\n");
	assert_int_equal(nt_lex_gazetteer(x, p, NULL, &e), -1);
	assert_string_equal(e.reason, "no entries");
	p = put("9bad.txt", "x\n");
	assert_int_equal(nt_lex_gazetteer(x, p, NULL, &e), -1);
	assert_true(strstr(e.reason, "invalid label") != NULL);
	nt_lex_free(x);

	x = nt_lex_new(0);
	assert_int_equal(nt_lex_prepare(x, &e), -1);
	assert_string_equal(e.reason, "no gazetteers");
	nt_lex_free(x);
	nt_lex_free(NULL);
}

static void
t_index_round_trip(void **state)
{
	struct nt_lexicon *x = nt_lex_new(0), *y;
	struct nt_error e;
	char idx[256];
	const char *p;

	(void)state;
	p = put("LOC.txt", "Kyiv\nKiev\tKyiv\nS\xc3\xa3o Paulo\n");
	assert_int_equal(nt_lex_gazetteer(x, p, NULL, &e), 0);
	p = put("ORG.txt", "United Nations\nUN\tUnited Nations\n");
	assert_int_equal(nt_lex_gazetteer(x, p, NULL, &e), 0);
	assert_int_equal(nt_lex_prepare(x, &e), 0);
	snprintf(idx, sizeof(idx), "%s/x.ntx", dir);
	assert_int_equal(nt_lex_write_index(x, idx, &e), 0);

	y = nt_lex_new(0);
	assert_int_equal(nt_lex_index(y, idx, &e), 0);
	assert_int_equal(nt_lex_prepare(y, &e), 0);
	assert_string_equal(find(y, "Kiev", 0), "LOC:Kyiv");
	assert_string_equal(find(y, "S\xc3\xa3o Paulo", 0),
	    "LOC:S\xc3\xa3o Paulo");
	assert_string_equal(find(y, "UN", 0), "ORG:United Nations");
	assert_string_equal(find(y, "Paris", 0), "-");
	assert_int_equal(nt_lex_names(y), nt_lex_names(x));
	/* An index cannot be compiled again from an index. */
	assert_int_equal(nt_lex_write_index(y, idx, &e), -1);
	nt_lex_free(y);

	/* Other flags are refused, with a reason that says so. */
	y = nt_lex_new(NT_NORM_CASEFOLD);
	assert_int_equal(nt_lex_index(y, idx, &e), -1);
	assert_true(strstr(e.reason, "compile it with the same") != NULL);
	nt_lex_free(y);

	/* A stop list next to an index becomes a veto. */
	y = nt_lex_new(0);
	p = put("stop.exclude", "Kiev\n");
	assert_int_equal(nt_lex_exclude(y, p, &e), 0);
	assert_int_equal(nt_lex_index(y, idx, &e), 0);
	assert_int_equal(nt_lex_prepare(y, &e), 0);
	assert_non_null(nt_lex_veto(y));
	nt_lex_free(y);
	nt_lex_free(x);
}

static void
t_damaged_index(void **state)
{
	struct nt_lexicon *y;
	struct nt_error e;
	char idx[256], bad[256];
	unsigned char *img;
	size_t n, i;
	FILE *f;
	const char *p;

	(void)state;
	/* Its stop-listed keys are in the index, and guarded too. */
	compile(0, "LOC.txt", "Kyiv\nKiev\tKyiv\nNorth Korea\n",
	    "Odesa\nKharkiv\n", "d.ntx", idx, sizeof(idx));

	f = fopen(idx, "rb");
	assert_non_null(f);
	img = malloc(1 << 16);
	n = fread(img, 1, 1 << 16, f);
	fclose(f);
	assert_true(n > 128);
	assert_int_equal(nt_lex_check_image(img, n, 0, &e), 0);
	/* Every truncation and every flipped byte is refused. */
	for (i = 0; i < n; i += 7)
		assert_int_equal(nt_lex_check_image(img, i, 0, &e), -1);
	for (i = 0; i < n; i++) {
		img[i] ^= 0x20;
		assert_int_equal(nt_lex_check_image(img, n, 0, &e), -1);
		img[i] ^= 0x20;
	}
	/* And from a file, with a message naming it. */
	snprintf(bad, sizeof(bad), "%s/trunc.ntx", dir);
	f = fopen(bad, "wb");
	fwrite(img, 1, n - 40, f);
	fclose(f);
	y = nt_lex_new(0);
	assert_int_equal(nt_lex_index(y, bad, &e), -1);
	assert_string_equal(e.path, bad);
	assert_true(strstr(e.reason, "truncated") != NULL);
	p = put("foreign.ntx", "this is not an index at all, just some text "
	    "long enough to pass the size test ................................"
	    ".................................................................."
	    "..................................................................");
	assert_int_equal(nt_lex_index(y, p, &e), -1);
	assert_string_equal(e.reason, "not a nertag index");
	nt_lex_free(y);
	free(img);
}

/* A file's bytes, read whole. */
static unsigned char *
slurp_file(const char *path, size_t *n)
{
	struct stat st;
	unsigned char *b;
	FILE *f;

	assert_int_equal(stat(path, &st), 0);
	*n = (size_t)st.st_size;
	b = malloc(*n);
	assert_non_null(b);
	f = fopen(path, "rb");
	assert_non_null(f);
	assert_int_equal(fread(b, 1, *n, f), *n);
	fclose(f);
	return b;
}

static void
spit_file(const char *path, const unsigned char *b, size_t n)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(b, 1, n, f), n);
	fclose(f);
}

#define NLAZY	8000

/*
 * Large indexes are checked block by block as they are read: damage far
 * from the header loads, is found where it is first read, and is then
 * reported with the file's name and the block; the parts before it serve.
 */
static void
t_lazy_damage(void **state)
{
	struct nt_lexicon *x = nt_lex_new(0), *y;
	struct nt_lex_entry ent;
	struct nt_error e;
	char idx[256], bad[256], name[32], *text;
	unsigned char *img;
	uint64_t trieoff;
	size_t n, i, len, at, failed;
	uint32_t v;

	(void)state;
	/* Long IDs: blocks 0 to 2 hold IDs, the trie comes after. */
	text = malloc(NLAZY * 80);
	assert_non_null(text);
	for (i = 0, len = 0; i < NLAZY; i++)
		len += (size_t)sprintf(text + len, "Name%05zu\tID-%05zu-%s\n",
		    i, i, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
	assert_int_equal(nt_lex_gazetteer(x, put("LOC.txt", text), NULL, &e),
	    0);
	free(text);
	assert_int_equal(nt_lex_prepare(x, &e), 0);
	snprintf(idx, sizeof(idx), "%s/big.ntx", dir);
	snprintf(bad, sizeof(bad), "%s/bad.ntx", dir);
	assert_int_equal(nt_lex_write_index(x, idx, &e), 0);
	nt_lex_free(x);
	img = slurp_file(idx, &n);
	memcpy(&trieoff, img + 64, 8);	/* off[4], the trie */
	assert_true(trieoff > 160 + 2 * 65536);

	/* An ID in block 1: loads, lookups work, that entry fails. */
	at = 160 + 65536 + 1000;
	img[at] ^= 0x01;
	spit_file(bad, img, n);
	y = nt_lex_new(0);
	assert_int_equal(nt_lex_index(y, bad, &e), 0);
	assert_int_equal(nt_lex_prepare(y, &e), 0);
	assert_int_equal(nt_lex_damage(y, &e), 0);
	for (i = failed = 0; i < NLAZY; i++) {
		snprintf(name, sizeof(name), "Name%05zu", i);
		v = nt_trie_lookup(nt_lex_trie(y, 0), (unsigned char *)name,
		    strlen(name));
		assert_true(v != 0);
		if (nt_lex_entry(y, 0, v, &ent) == -1) {
			failed++;
			assert_int_equal(ent.idlen, 0);
		} else
			assert_int_equal(ent.idlen, 49);
	}
	/* 65536 bytes of 49-byte IDs, give or take the two at the ends. */
	assert_true(failed >= 65536 / 49 - 1 && failed <= 65536 / 49 + 2);
	assert_int_equal(nt_lex_damage(y, &e), -1);
	assert_string_equal(e.path, bad);
	assert_non_null(strstr(e.reason, "block 1,"));
	nt_lex_free(y);
	/* Checked whole, it is refused at once. */
	y = nt_lex_new(0);
	assert_int_equal(nt_lex_index_whole(y, bad, &e), -1);
	assert_true(strncmp(e.reason, "index is damaged", 16) == 0);
	nt_lex_free(y);
	img[at] ^= 0x01;

	/*
	 * A node of the trie beyond the block where it starts (read at load
	 * for the root): some lookups fail, and say why.
	 */
	at = (((size_t)trieoff - 160) / 65536 + 1) * 65536 + 160 + 100;
	memcpy(&v, img + trieoff, 4);	/* the number of nodes */
	assert_true(at < trieoff + 28 + 12 * (size_t)v);
	img[at] ^= 0x08;
	spit_file(bad, img, n);
	y = nt_lex_new(0);
	assert_int_equal(nt_lex_index(y, bad, &e), 0);
	assert_int_equal(nt_lex_prepare(y, &e), 0);
	for (i = failed = 0; i < NLAZY; i++) {
		snprintf(name, sizeof(name), "Name%05zu", i);
		failed += nt_trie_lookup(nt_lex_trie(y, 0),
		    (unsigned char *)name, strlen(name)) == 0;
	}
	assert_true(failed > 0 && failed < NLAZY);
	assert_int_equal(nt_lex_damage(y, &e), -1);
	assert_string_equal(e.path, bad);
	assert_non_null(strstr(e.reason, "fails its checksum"));
	nt_lex_free(y);
	img[at] ^= 0x08;

	/* Damage in the block sums, the labels or the header: at load. */
	for (i = 0; i < 3; i++) {
		at = i == 0 ? n - 1 - 8 * (n / 65536 / 2) : i == 1 ? 170 : 20;
		img[at] ^= 0x04;
		spit_file(bad, img, n);
		y = nt_lex_new(0);
		assert_int_equal(nt_lex_index(y, bad, &e), -1);
		nt_lex_free(y);
		img[at] ^= 0x04;
	}
	/* And undamaged, all is well. */
	y = nt_lex_new(0);
	assert_int_equal(nt_lex_index_whole(y, idx, &e), 0);
	assert_int_equal(nt_lex_prepare(y, &e), 0);
	assert_string_equal(find(y, "Name07999", 0),
	    "LOC:ID-07999-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
	assert_int_equal(nt_lex_damage(y, &e), 0);
	nt_lex_free(y);
	free(img);
}

static void
t_stop_lists(void **state)
{
	struct nt_lexicon *x = nt_lex_new(NT_NORM_CASEFOLD);
	struct nt_error e;
	const char *p;

	(void)state;
	/* A stop list's ID column is ignored; names are normalised. */
	p = put("stop.txt", "# stop\nPARIS\tQ90\n  nice  \n");
	assert_int_equal(nt_lex_exclude(x, p, &e), 0);
	p = put("LOC.txt", "Paris\nNice\nLyon\n");
	assert_int_equal(nt_lex_gazetteer(x, p, NULL, &e), 0);
	assert_int_equal(nt_lex_prepare(x, &e), 0);
	assert_string_equal(find(x, "paris", NT_NORM_CASEFOLD), "-");
	assert_string_equal(find(x, "NICE", NT_NORM_CASEFOLD), "-");
	assert_string_equal(find(x, "lyon", NT_NORM_CASEFOLD), "LOC:Lyon");
	/* Gazetteers had the stop list applied: no veto needed. */
	assert_null(nt_lex_veto(x));
	assert_int_equal(nt_lex_names(x), 1);
	nt_lex_free(x);

	/* A stop list with an error is reported with its line. */
	x = nt_lex_new(0);
	p = put("bad.exclude", "ok\nx\ty\tz\n");
	assert_int_equal(nt_lex_exclude(x, p, &e), -1);
	assert_int_equal(e.line, 2);
	assert_string_equal(e.reason, "more than one tab");
	assert_int_equal(nt_lex_exclude(x, dir, &e), -1);
	nt_lex_free(x);
}

/*
 * Without an ID, the ID is the name as written without the white space
 * around it: any white space, as the name's own normal form drops it.
 */
static void
t_default_id_trimmed(void **state)
{
	struct nt_lexicon *x = nt_lex_new(0);
	struct nt_error e;
	const char *p;

	(void)state;
	p = put("ws.txt", "\xc2\xa0Kiev\xc2\xa0\nOdesa\r\r\n Lviv \v\f\n"
	    "\xe2\x80\x83New\xc2\xa0York\xe3\x80\x80\n");
	assert_int_equal(nt_lex_gazetteer(x, p, "LOC", &e), 0);
	assert_int_equal(nt_lex_prepare(x, &e), 0);
	assert_string_equal(find(x, "Kiev", 0), "LOC:Kiev");
	assert_string_equal(find(x, "Odesa", 0), "LOC:Odesa");
	assert_string_equal(find(x, "Lviv", 0), "LOC:Lviv");
	/* White space inside the name is kept as written. */
	assert_string_equal(find(x, "New York", 0), "LOC:New\xc2\xa0York");
	nt_lex_free(x);
}

static void
t_first_file_wins_and_labels(void **state)
{
	struct nt_lexicon *x = nt_lex_new(0), *y;
	struct nt_error e;
	struct nt_lex_entry ent;
	char idx[256];
	const char *p;

	(void)state;
	p = put("LOC.txt", "Georgia\nParis\n");
	assert_int_equal(nt_lex_gazetteer(x, p, NULL, &e), 0);
	p = put("PER.txt", "Georgia\tQ1\nParis Hilton\n");
	assert_int_equal(nt_lex_gazetteer(x, p, NULL, &e), 0);
	p = put("more.txt", "# label: LOC\nLyon\nParis\tdup\n");
	assert_int_equal(nt_lex_gazetteer(x, p, NULL, &e), 0);
	p = put("ORG.txt", "Paris Hilton\tORGDUP\nUN\n");
	assert_int_equal(nt_lex_gazetteer(x, p, "COMPANY", &e), 0);
	assert_int_equal(nt_lex_prepare(x, &e), 0);
	assert_string_equal(find(x, "Georgia", 0), "LOC:Georgia");
	assert_string_equal(find(x, "Paris", 0), "LOC:Paris");
	assert_string_equal(find(x, "Paris Hilton", 0), "PER:Paris Hilton");
	assert_string_equal(find(x, "Lyon", 0), "LOC:Lyon");
	assert_string_equal(find(x, "UN", 0), "COMPANY:UN");
	assert_int_equal(nt_lex_labels(x), 3);
	nt_lex_entry(x, 0, nt_trie_lookup(nt_lex_trie(x, 0),
	    (const unsigned char *)"UN", 2), &ent);
	assert_int_equal(ent.label_no, 2);

	/* The same answers from a compiled index (labels in runs). */
	snprintf(idx, sizeof(idx), "%s/runs.ntx", dir);
	assert_int_equal(nt_lex_write_index(x, idx, &e), 0);
	y = nt_lex_new(0);
	assert_int_equal(nt_lex_index(y, idx, &e), 0);
	assert_int_equal(nt_lex_prepare(y, &e), 0);
	assert_string_equal(find(y, "Georgia", 0), "LOC:Georgia");
	assert_string_equal(find(y, "Paris", 0), "LOC:Paris");
	assert_string_equal(find(y, "Paris Hilton", 0), "PER:Paris Hilton");
	assert_string_equal(find(y, "Lyon", 0), "LOC:Lyon");
	assert_string_equal(find(y, "UN", 0), "COMPANY:UN");
	assert_int_equal(nt_lex_labels(y), 3);
	nt_lex_free(y);
	nt_lex_free(x);
}

/*
 * An index carries the stop lists it was compiled with: they stop the
 * names of the gazetteers it is used with, and of other indexes through
 * the veto; alone, its own names were stopped already and need none.
 */
static void
t_index_carries_stop_list(void **state)
{
	struct nt_lexicon *y;
	struct nt_error e;
	char idx[256], idx2[256];
	const char *p;

	(void)state;
	compile(0, "C.txt", "Lviv\nOdesa\n", "Odesa\nKharkiv\n", "stops.ntx",
	    idx, sizeof(idx));
	compile(0, "D.txt", "Kyiv\n", NULL, "nostops.ntx", idx2, sizeof(idx2));

	y = nt_lex_new(0);
	assert_int_equal(nt_lex_index(y, idx, &e), 0);
	assert_int_equal(nt_lex_prepare(y, &e), 0);
	assert_string_equal(find(y, "Odesa", 0), "-");
	assert_string_equal(find(y, "Lviv", 0), "C:Lviv");
	assert_null(nt_lex_veto(y));
	nt_lex_free(y);

	y = nt_lex_new(0);
	p = put("LOC.txt", "Kharkiv\nOdesa\nKyiv\n");
	assert_int_equal(nt_lex_gazetteer(y, p, NULL, &e), 0);
	assert_int_equal(nt_lex_index(y, idx, &e), 0);
	assert_int_equal(nt_lex_prepare(y, &e), 0);
	assert_string_equal(find(y, "Kharkiv", 0), "-");
	assert_string_equal(find(y, "Odesa", 0), "-");
	assert_string_equal(find(y, "Kyiv", 0), "LOC:Kyiv");
	assert_null(nt_lex_veto(y));
	nt_lex_free(y);

	/* Beside another index, the veto stops that one's names. */
	y = nt_lex_new(0);
	assert_int_equal(nt_lex_index(y, idx2, &e), 0);
	assert_int_equal(nt_lex_index(y, idx, &e), 0);
	assert_int_equal(nt_lex_prepare(y, &e), 0);
	assert_non_null(nt_lex_veto(y));
	nt_lex_free(y);
}

static void
t_index_and_gazetteer_layers(void **state)
{
	struct nt_lexicon *y;
	struct nt_error e;
	char idx[256];
	const char *p;

	(void)state;
	compile(NT_NORM_CASEFOLD, "PER.txt", "Georgia\tQ1\nJordan\n", NULL,
	    "per-i.ntx", idx, sizeof(idx));

	/* Gazetteer, then index, then gazetteer: three layers in order. */
	y = nt_lex_new(NT_NORM_CASEFOLD);
	p = put("LOC.txt", "Georgia\n");
	assert_int_equal(nt_lex_gazetteer(y, p, NULL, &e), 0);
	assert_int_equal(nt_lex_index(y, idx, &e), 0);
	p = put("ORG.txt", "Jordan\nACME\n");
	assert_int_equal(nt_lex_gazetteer(y, p, NULL, &e), 0);
	assert_int_equal(nt_lex_prepare(y, &e), 0);
	assert_int_equal(nt_lex_layers(y), 3);
	assert_string_equal(find(y, "GEORGIA", NT_NORM_CASEFOLD), "LOC:Georgia");
	assert_string_equal(find(y, "jordan", NT_NORM_CASEFOLD), "PER:Jordan");
	assert_string_equal(find(y, "acme", NT_NORM_CASEFOLD), "ORG:ACME");
	/* Mixed layers cannot be compiled. */
	assert_int_equal(nt_lex_write_index(y, idx, &e), -1);
	assert_true(strstr(e.reason, "gazetteers") != NULL);
	nt_lex_free(y);

	/* Flags must match exactly, in both directions. */
	y = nt_lex_new(0);
	assert_int_equal(nt_lex_index(y, idx, &e), -1);
	assert_string_equal(e.reason, "index built with -i only, but matching "
	    "now uses neither -i nor --ignore-accents: compile it with the "
	    "same options");
	nt_lex_free(y);
	y = nt_lex_new(NT_NORM_CASEFOLD | NT_NORM_STRIPMARK);
	assert_int_equal(nt_lex_index(y, idx, &e), -1);
	assert_string_equal(e.reason, "index built with -i only, but matching "
	    "now uses -i and --ignore-accents: compile it with the same "
	    "options");
	/* A refused index leaves the lexicon usable. */
	p = put("LOC.txt", "Kyiv\n");
	assert_int_equal(nt_lex_gazetteer(y, p, NULL, &e), 0);
	assert_int_equal(nt_lex_prepare(y, &e), 0);
	assert_int_equal(nt_lex_layers(y), 1);
	nt_lex_free(y);
}

static void
t_index_refusals(void **state)
{
	struct nt_lexicon *x;
	struct nt_error e;
	char idx[256], cp[256];
	unsigned char *img;
	size_t n;
	FILE *f;
	const char *p;

	(void)state;
	compile(0, "LOC.txt", "Kyiv\n", NULL, "r.ntx", idx, sizeof(idx));
	f = fopen(idx, "rb");
	assert_non_null(f);
	img = malloc(1 << 16);
	assert_non_null(img);
	n = fread(img, 1, 1 << 16, f);
	fclose(f);

	x = nt_lex_new(0);
	/* Too short, a directory, missing. */
	p = put("short.ntx", "NERTAGIX");
	assert_int_equal(nt_lex_index(x, p, &e), -1);
	assert_string_equal(e.reason, "not a nertag index (too short)");
	assert_int_equal(nt_lex_index(x, dir, &e), -1);
	assert_string_equal(e.reason, "is a directory");
	snprintf(cp, sizeof(cp), "%s/missing.ntx", dir);
	assert_int_equal(nt_lex_index(x, cp, &e), -1);
	assert_string_equal(e.path, cp);
	assert_string_equal(e.reason, "No such file or directory");
	/* Another version: bytes 8..11 hold it. */
	img[8] ^= 0x02;
	assert_int_equal(nt_lex_check_image(img, n, 0, &e), -1);
	assert_true(strstr(e.reason, "version") != NULL);
	img[8] ^= 0x02;
	/* Extended by a byte. */
	img[n] = 0;
	assert_int_equal(nt_lex_check_image(img, n + 1, 0, &e), -1);
	assert_true(strstr(e.reason, "truncated or extended") != NULL);
	/* A flipped byte in the trie: damaged. */
	img[n - 9] ^= 0x40;
	assert_int_equal(nt_lex_check_image(img, n, 0, &e), -1);
	assert_true(strncmp(e.reason, "index is damaged", 16) == 0);
	img[n - 9] ^= 0x40;
	assert_int_equal(nt_lex_check_image(img, n, 0, &e), 0);
	nt_lex_free(x);
	free(img);
}

/*
 * A name whose letter carries more than 30 combining marks is refused,
 * with its line; the reason must not blame a white-space run.
 */
static void
t_mark_run_entry_reason(void **state)
{
	struct nt_lexicon *x = nt_lex_new(0);
	struct nt_error e;
	char g[256];
	size_t i, n = 0;
	const char *p;
	int r;

	(void)state;
	n += (size_t)snprintf(g, sizeof(g), "ok\nx");
	for (i = 0; i <= NT_NORM_MARK_CAP; i++)
		n += (size_t)snprintf(g + n, sizeof(g) - n, "\xcc\x81");
	snprintf(g + n, sizeof(g) - n, "\n");
	p = put("LOC.txt", g);
	r = nt_lex_gazetteer(x, p, NULL, &e);
	nt_lex_free(x);		/* before asserting, so a failure leaks nothing */
	assert_int_equal(r, -1);
	assert_int_equal(e.line, 2);
	assert_null(strstr(e.reason, "white-space"));

	/* A white-space run over the cap is refused as such. */
	x = nt_lex_new(0);
	n = (size_t)snprintf(g, sizeof(g), "North%*sKorea\n",
	    NT_NORM_SPACE_CAP + 1, "");
	p = put("LOC.txt", g);
	assert_int_equal(nt_lex_gazetteer(x, p, NULL, &e), -1);
	assert_int_equal(e.line, 1);
	assert_non_null(strstr(e.reason, "white-space"));
	nt_lex_free(x);
}

static void
t_folder_errors(void **state)
{
	struct nt_lexicon *x = nt_lex_new(0);
	struct nt_error e;
	char sub[128];

	(void)state;
	snprintf(sub, sizeof(sub), "%s/nothing", dir);
	mkdir(sub, 0755);
	put("nothing/README", "x\n");
	assert_int_equal(nt_lex_gazetteer(x, sub, NULL, &e), -1);
	assert_string_equal(e.path, sub);
	assert_true(strstr(e.reason, "no gazetteer") != NULL);
	/* A bad file in a folder names the file and line. */
	snprintf(sub, sizeof(sub), "%s/bad", dir);
	mkdir(sub, 0755);
	put("bad/A.txt", "ok\n");
	put("bad/B.txt", "ok\n\nbad\xff\n");
	assert_int_equal(nt_lex_gazetteer(x, sub, NULL, &e), -1);
	assert_true(strstr(e.path, "/bad/B.txt") != NULL);
	assert_int_equal(e.line, 3);
	assert_string_equal(e.reason, "invalid UTF-8");
	/* A label given for a folder applies to every file in it. */
	nt_lex_free(x);
	x = nt_lex_new(0);
	snprintf(sub, sizeof(sub), "%s/lab", dir);
	mkdir(sub, 0755);
	put("lab/PER.txt", "Ann\n");
	put("lab/LOC.txt", "# label: LOC\nRome\n");
	assert_int_equal(nt_lex_gazetteer(x, sub, "THING", &e), 0);
	assert_int_equal(nt_lex_prepare(x, &e), 0);
	assert_string_equal(find(x, "Ann", 0), "THING:Ann");
	assert_string_equal(find(x, "Rome", 0), "THING:Rome");
	assert_int_equal(nt_lex_labels(x), 1);
	nt_lex_free(x);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_folder),
		cmocka_unit_test(t_label_override_and_errors),
		cmocka_unit_test(t_index_round_trip),
		cmocka_unit_test(t_damaged_index),
		cmocka_unit_test(t_lazy_damage),
		cmocka_unit_test(t_stop_lists),
		cmocka_unit_test(t_default_id_trimmed),
		cmocka_unit_test(t_first_file_wins_and_labels),
		cmocka_unit_test(t_index_and_gazetteer_layers),
		cmocka_unit_test(t_index_carries_stop_list),
		cmocka_unit_test(t_index_refusals),
		cmocka_unit_test(t_mark_run_entry_reason),
		cmocka_unit_test(t_folder_errors),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
