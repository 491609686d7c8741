/* nertag - unit tests for trie.c.  SPDX-License-Identifier: MIT */
#include "helpers.h"

static uint32_t
look(const struct nt_trie *t, const char *k)
{
	unsigned char *b = exact(k, strlen(k));
	uint32_t v = nt_trie_lookup(t, b, strlen(k));

	free(b);
	return v;
}

static struct nt_trie *
build(const char *const *keys)
{
	struct nt_trie *t = nt_trie_new();
	uint32_t v = 1;

	for (; *keys != NULL; keys++, v++)
		assert_int_equal(nt_trie_add(t, (const unsigned char *)*keys,
		    strlen(*keys), v), 0);
	nt_trie_prepare(t);
	return t;
}

static void
t_lookup(void **state)
{
	static const char *const keys[] = { "North", "North Korea", "Korea",
		"No", "Nort", "a", NULL };
	struct nt_trie *t = build(keys);

	(void)state;
	assert_int_equal(nt_trie_keys(t), 6);
	assert_int_equal(look(t, "North"), 1);
	assert_int_equal(look(t, "North Korea"), 2);
	assert_int_equal(look(t, "Korea"), 3);
	assert_int_equal(look(t, "No"), 4);
	assert_int_equal(look(t, "Nort"), 5);
	assert_int_equal(look(t, "a"), 6);
	assert_int_equal(look(t, "N"), 0);
	assert_int_equal(look(t, "North "), 0);
	assert_int_equal(look(t, "North Koreas"), 0);
	assert_int_equal(look(t, ""), 0);
	assert_int_equal(nt_trie_max_len(t), 11);
	assert_int_equal(nt_trie_max_value(t), 6);
	nt_trie_free(t);
}

static void
t_step_by_pieces(void **state)
{
	static const char *const keys[] = { "abcdef", "abcxyz", "abd", NULL };
	struct nt_trie *t = build(keys);
	struct nt_trie_pos p;

	(void)state;
	nt_trie_start(&p);
	assert_true(nt_trie_step(t, &p, (const unsigned char *)"ab", 2));
	assert_int_equal(nt_trie_value(t, &p), 0);
	assert_true(nt_trie_step(t, &p, (const unsigned char *)"c", 1));
	assert_true(nt_trie_step(t, &p, (const unsigned char *)"def", 3));
	assert_int_equal(nt_trie_value(t, &p), 1);
	assert_false(nt_trie_step(t, &p, (const unsigned char *)"g", 1));
	nt_trie_start(&p);
	assert_true(nt_trie_step(t, &p, (const unsigned char *)"abd", 3));
	assert_int_equal(nt_trie_value(t, &p), 3);
	nt_trie_start(&p);
	assert_false(nt_trie_step(t, &p, (const unsigned char *)"abz", 3));
	nt_trie_free(t);
}

static void
t_duplicates_first_wins(void **state)
{
	struct nt_trie *t = nt_trie_new();

	(void)state;
	assert_int_equal(nt_trie_add(t, (const unsigned char *)"Georgia", 7, 5),
	    0);
	assert_int_equal(nt_trie_add(t, (const unsigned char *)"Georgia", 7, 2),
	    0);
	assert_int_equal(nt_trie_add(t, (const unsigned char *)"Georgi", 6, 9),
	    0);
	nt_trie_prepare(t);
	assert_int_equal(nt_trie_keys(t), 2);
	assert_int_equal(look(t, "Georgia"), 5);
	assert_int_equal(look(t, "Georgi"), 9);
	nt_trie_free(t);
}

static void
t_refused(void **state)
{
	struct nt_trie *t = nt_trie_new();
	unsigned char big[NT_TRIE_KEY_MAX + 1];

	(void)state;
	memset(big, 'x', sizeof(big));
	assert_int_equal(nt_trie_add(t, big, 0, 1), -1);
	assert_int_equal(nt_trie_add(t, big, sizeof(big), 1), -1);
	assert_int_equal(nt_trie_add(t, big, 1, 0), -1);
	assert_int_equal(nt_trie_add(t, big, NT_TRIE_KEY_MAX, 1), 0);
	nt_trie_prepare(t);
	assert_int_equal(nt_trie_add(t, big, 3, 2), -1);	/* frozen */
	assert_int_equal(nt_trie_lookup(t, big, NT_TRIE_KEY_MAX), 1);
	nt_trie_free(t);
}

static void
t_empty_trie(void **state)
{
	struct nt_trie *t = nt_trie_new();
	unsigned char first[256];
	size_t i;

	(void)state;
	nt_trie_prepare(t);
	assert_int_equal(nt_trie_keys(t), 0);
	assert_int_equal(look(t, "a"), 0);
	nt_trie_first_bytes(t, first);
	for (i = 0; i < 256; i++)
		assert_int_equal(first[i], 0);
	nt_trie_free(t);
	nt_trie_free(NULL);
}

static void
t_except(void **state)
{
	static const char *const keys[] = { "Nice", "Paris", "Reading", NULL };
	static const char *const stop[] = { "Reading", "Nic", NULL };
	struct nt_trie *s = build(stop), *t = nt_trie_new();
	uint32_t v = 1;
	const char *const *k;

	(void)state;
	for (k = keys; *k != NULL; k++, v++)
		nt_trie_add(t, (const unsigned char *)*k, strlen(*k), v);
	nt_trie_prepare_except(t, s);
	assert_int_equal(look(t, "Nice"), 1);
	assert_int_equal(look(t, "Paris"), 2);
	assert_int_equal(look(t, "Reading"), 0);
	assert_int_equal(nt_trie_keys(t), 2);
	nt_trie_free(t);
	nt_trie_free(s);
}

/*
 * The first-word filter asked about the normalised text lit, all that is
 * known of it; a NUL in lit is a barrier.
 */
#define FW(t, lit)	nt_trie_first_word((t), (const unsigned char *)(lit), \
			    sizeof(lit) - 1)

static void
t_filters(void **state)
{
	static const char *const keys[] = { "Kyiv", "New York", "X", ".net",
		"Zu\xcc\x88rich", "St. Louis", NULL };
	struct nt_trie *t = build(keys);
	unsigned char first[256], pairs[8192];

	(void)state;
	nt_trie_first_bytes(t, first);
	assert_true(first['K'] && first['N'] && first['X'] && first['.']);
	assert_false(first['k'] || first['Y']);
	nt_trie_first_pairs(t, pairs);
#define PAIR(a, b)	(pairs[(a) * 32 + (b) / 8] & (1 << ((b) % 8)))
	assert_true(PAIR('K', 'y'));
	assert_false(PAIR('K', 'i'));
	assert_true(PAIR('N', 'e'));
	assert_true(PAIR('X', 'q'));	/* a one-byte key: any second byte */
	assert_true(PAIR('.', 'n'));
	/* First words: never a false negative. */
	assert_true(FW(t, "Kyiv"));
	assert_true(FW(t, "New"));
	assert_true(FW(t, "St"));
	assert_true(FW(t, "X"));
	nt_trie_free(t);
}

static void
t_filter_next_bytes(void **state)
{
	static const char *const keys[] = { "Kyiv", "New York", "New Delhi",
		"St. Louis", "Co.", "AT&T", "San Jos\xc3\xa9", "Lone ", NULL };
	struct nt_trie *t = build(keys);

	(void)state;
	assert_true(FW(t, "Kyiv\0"));
	assert_true(FW(t, "Kyiv x"));
	assert_true(FW(t, "Kyiv"));
	assert_true(FW(t, "New York,"));
	assert_true(FW(t, "New Delhi "));
	assert_true(FW(t, "New York"));		/* where it ends is not known */
	assert_true(FW(t, "New Yo"));
	assert_true(FW(t, "New "));
	assert_true(FW(t, "New"));
	assert_true(FW(t, "New York\0"));
	assert_true(FW(t, "NEW YORK."));	/* blind to case */
	/* The second word decides, where it is known whole. */
	assert_false(FW(t, "New Yorkshire."));
	assert_false(FW(t, "New Quay "));
	assert_false(FW(t, "New Yo."));
	assert_false(FW(t, "New \0"));
	assert_false(FW(t, "New-York"));
	assert_false(FW(t, "New\0"));
	assert_true(FW(t, "St. "));
	assert_false(FW(t, "St.L"));
	assert_false(FW(t, "St Louis."));
	assert_true(FW(t, "Co.\0"));
	assert_true(FW(t, "Co.x"));
	assert_false(FW(t, "Co,\0"));
	assert_true(FW(t, "AT&T"));
	assert_false(FW(t, "AT&M"));
	assert_false(FW(t, "Paris"));
	/* A second word that runs into a non-ASCII byte: maybe. */
	assert_true(FW(t, "San Jos\xc3\xa9,"));
	assert_true(FW(t, "San Jos"));
	assert_false(FW(t, "San Luis,"));
	/* A key that ends in a space counts as one that ends with its word. */
	assert_true(FW(t, "Lone x"));
	assert_true(FW(t, "Lone,"));
	/* The short form for a space and a second word says the same. */
#define SPACE(w, w2)	nt_trie_first_word_space(t, \
	    nt_word_hash((const unsigned char *)(w), strlen(w)), \
	    nt_word_hash((const unsigned char *)(w2), strlen(w2)))
	assert_true(SPACE("New", "York"));
	assert_true(SPACE("NEW", "delhi"));
	assert_true(SPACE("Kyiv", "x"));
	assert_true(SPACE("Lone", "x"));
	assert_false(SPACE("New", "Quay"));
	assert_false(SPACE("St", "Louis"));
	assert_false(SPACE("San", "Luis"));
#undef SPACE
	nt_trie_free(t);
}

/*
 * The inline first question and the pairs asked at once say what each
 * asked alone says, and the hash is blind to ASCII case (one filter serves
 * both modes).
 */
static void
t_filter_many_words(void **state)
{
	static const char *const keys[] = { "Kyiv", "New York", "a1_b",
		"Abcdefgh", "Abcdefghi", "Abcdefghijklmnopq", "The Hague",
		NULL };
	static const char *const words[] = { "Kyiv", "KYIV", "kyiv", "New",
		"NEW", "A1_B", "abcdefgh", "ABCDEFGHI", "abcdefghijklmnopq",
		"Paris", "Abcdefg", "Abcdefghij", "York", NULL };
	static const char *const w2[] = { "x", "York", "yORK", "yORK", "The",
		"Hague", "x", "York", "x", "Hague", "York", "x", "x", NULL };
	struct nt_trie *t = build(keys);
	struct nt_word_filter f;
	uint64_t h[64], h2[64], got;
	size_t n, i;

	(void)state;
	for (n = 0; words[n] != NULL; n++) {
		h[n] = nt_word_hash((const unsigned char *)words[n],
		    strlen(words[n]));
		h2[n] = nt_word_hash((const unsigned char *)w2[n],
		    strlen(w2[n]));
	}
	assert_int_equal(nt_trie_word_filter(t, &f), 1);
	for (i = 0, got = 0; i < n; i++) {
		assert_int_equal(nt_word_filter_any(&f, h[i]),
		    nt_trie_first_word_hash(t, h[i]));
		got |= (uint64_t)nt_word_filter_any(&f, h[i]) << i;
	}
	assert_int_equal(got & 0x1FF, 0x1FF);	/* the first nine */
	assert_int_equal(got >> 9, 0);
	got = nt_trie_first_word_spaces(t, h, h2, n);
	for (i = 0; i < n; i++)
		assert_int_equal(got >> i & 1,
		    (uint64_t)nt_trie_first_word_space(t, h[i], h2[i]));
	/*
	 * Kyiv, a1_b and the Abcdefgh words are names alone, "New yORK"
	 * begins one; none begins "NEW The", nor with the last four.
	 */
	assert_int_equal(got, 0x1EF);
	assert_int_equal(nt_trie_first_word_spaces(t, h, h2, 0), 0);
	nt_trie_free(t);
}

/*
 * A first word may hold Latin letters beyond ASCII and marks (its normal
 * form), and other bytes >= 0x80 end it where the filter cannot tell it.
 */
static void
t_filter_latin_words(void **state)
{
	static const char *const keys[] = { "Dante\xcc\x80s",
		"\xc3\xa6r\xc3\xb8 x", "Ab\xc2\xb5", "The Abbe\xcc\x81 X",
		NULL };
	struct nt_trie *t = build(keys);

	(void)state;
#define WC(s, n)	nt_word_char((const unsigned char *)(s), (n))
	assert_int_equal(WC("a", 1), 1);
	assert_int_equal(WC("-", 1), 0);
	assert_int_equal(WC("\xc3\xa9", 2), 2);
	assert_int_equal(WC("\xc3\x97", 2), 0);
	assert_int_equal(WC("\xc3\xb7", 2), 0);
	assert_int_equal(WC("\xc3\xa9", 1), 0);
	assert_int_equal(WC("\xcc\x81", 2), 2);
	assert_int_equal(WC("\xcd\xaf", 2), 2);
	assert_int_equal(WC("\xcd\xb0", 2), 0);
	assert_int_equal(WC("\xc9\x8f", 2), 2);
	assert_int_equal(WC("\xc9\x90", 2), 0);
	assert_int_equal(WC("\xc2\xb5", 2), 0);
	assert_int_equal(WC("\xc4\x41", 2), 0);
#undef WC
	assert_true(FW(t, "Dante\xcc\x80s\0"));
	assert_true(FW(t, "dante\xcc\x80s.x"));
	assert_false(FW(t, "Dantes\0"));
	assert_false(FW(t, "Dante\xcc\x81s\0"));
	assert_true(FW(t, "\xc3\xa6r\xc3\xb8 x\0"));
	assert_false(FW(t, "\xc3\xa6r\xc3\xb8 y\0"));
	assert_false(FW(t, "\xc3\xa6r\0"));
	/* U+00B5 ends the first word: the filter says maybe. */
	assert_true(FW(t, "Ab\xc2\xb5\0"));
	assert_true(FW(t, "Zz\xc2\xb5\0"));
	/* A second word holds them too. */
	assert_true(FW(t, "the abbe\xcc\x81 y"));
	assert_false(FW(t, "the abbe y"));
	assert_false(FW(t, "the abbe\xcc\x80 y"));
	assert_true(FW(t, "the abbe\xcc\x81"));	/* not known to end */
	nt_trie_free(t);
}

static void
t_filter_no_false_negatives(void **state)
{
	struct nt_trie *t = nt_trie_new();
	char k[32];
	int i, fp = 0, fp2 = 0;

	(void)state;
	for (i = 0; i < 5000; i++) {
		snprintf(k, sizeof(k), "Name%d rest", i * 7);
		nt_trie_add(t, (const unsigned char *)k, strlen(k),
		    (uint32_t)i + 1);
	}
	nt_trie_prepare(t);
	for (i = 0; i < 5000; i++) {
		snprintf(k, sizeof(k), "Name%d rest.", i * 7);
		assert_true(nt_trie_first_word(t, (const unsigned char *)k,
		    strlen(k)));
		assert_true(nt_trie_first_word(t, (const unsigned char *)k,
		    strlen(k) - 6));
		snprintf(k, sizeof(k), "Name%d rust.", i * 7);
		fp2 += nt_trie_first_word(t, (const unsigned char *)k,
		    strlen(k));
		snprintf(k, sizeof(k), "Other%d", i);
		fp += nt_trie_first_word(t, (const unsigned char *)k,
		    strlen(k));
	}
	/*
	 * Two bits in 16 a first word: about one word in 60 lets through (84
	 * here).  Before the wrong second word, a first word passes if its
	 * END bits are set (three more in its ANY word) or the pair's three
	 * bits in the PAIR words (16 bits a key): about one in 80 (64 here).
	 */
	assert_true(fp < 150);
	assert_true(fp2 < 150);
	nt_trie_free(t);
}

/* A copy of t's image in an aligned buffer the caller frees. */
static unsigned char *
image(const struct nt_trie *t, size_t *n)
{
	unsigned char *b;

	*n = nt_trie_image_size(t);
	b = malloc(*n);
	assert_non_null(b);
	nt_trie_image(t, b);
	return b;
}

static void
t_image_round_trip(void **state)
{
	static const char *const keys[] = { "North", "North Korea", "Korea",
		"S\xc3\xa3o Paulo", "Kyiv", "Kiev", NULL };
	struct nt_trie *t = build(keys), *u;
	const char *const *k;
	unsigned char *img;
	size_t n;

	(void)state;
	img = image(t, &n);
	u = nt_trie_from_image(img, n);
	assert_non_null(u);
	for (k = keys; *k != NULL; k++)
		assert_int_equal(look(u, *k), look(t, *k));
	assert_int_equal(look(u, "Nort"), 0);
	assert_int_equal(nt_trie_keys(u), nt_trie_keys(t));
	assert_int_equal(nt_trie_max_len(u), nt_trie_max_len(t));
	assert_true(FW(u, "Kyiv\0"));
	/* A wrong size is refused. */
	assert_null(nt_trie_from_image(img, n - 4));
	assert_null(nt_trie_from_image(img, 8));
	nt_trie_free(u);
	nt_trie_free(t);
	free(img);
}

static void
t_damaged_images(void **state)
{
	static const char *const keys[] = { "North", "North Korea", "Korea",
		"Norway", "Nordic", "Kyiv", "Kiev", "Kharkiv", NULL };
	static const char *const probes[] = { "North Korea", "Norway", "Kyiv",
		"Kh", "Nordics", "Zz", NULL };
	struct nt_trie *t = build(keys), *u;
	const char *const *k;
	unsigned char *img, *bad;
	size_t n, i;
	unsigned bit;

	(void)state;
	img = image(t, &n);
	/* Every single-bit flip: refused, or walks stay inside the image. */
	for (i = 0; i < n; i++) {
		for (bit = 0; bit < 8; bit += 3) {
			bad = malloc(n);
			assert_non_null(bad);
			memcpy(bad, img, n);
			bad[i] ^= (unsigned char)(1u << bit);
			u = nt_trie_from_image(bad, n);
			for (k = probes; u != NULL && *k != NULL; k++)
				(void)look(u, *k);
			nt_trie_free(u);
			free(bad);
		}
	}
	nt_trie_free(t);
	free(img);
}

static void
t_image_exact_and_empty(void **state)
{
	static const char *const keys[] = { "a", "ab", "abc", "b", NULL };
	struct nt_trie *t = build(keys), *u, *e = nt_trie_new();
	unsigned char *img, *img2, *mis;
	size_t n, n2, k;

	(void)state;
	/* The image of a loaded image is the same bytes. */
	img = image(t, &n);
	u = nt_trie_from_image(img, n);
	assert_non_null(u);
	img2 = image(u, &n2);
	assert_int_equal(n2, n);
	assert_memory_equal(img2, img, n);
	free(img2);
	/* Every shorter or longer length is refused. */
	for (k = 0; k < n; k++)
		assert_null(nt_trie_from_image(img, k));
	mis = calloc(1, n + 8);
	assert_non_null(mis);
	memcpy(mis, img, n);
	assert_null(nt_trie_from_image(mis, n + 4));
	/* So is an image that is not 4-byte aligned. */
	memcpy(mis + 1, img, n);
	assert_null(nt_trie_from_image(mis + 1, n));
	free(mis);
	nt_trie_free(u);
	free(img);
	nt_trie_free(t);

	/* An empty trie round-trips and finds nothing. */
	nt_trie_prepare(e);
	img = image(e, &n);
	u = nt_trie_from_image(img, n);
	assert_non_null(u);
	assert_int_equal(nt_trie_keys(u), 0);
	assert_int_equal(nt_trie_max_len(u), 0);
	assert_int_equal(look(u, "a"), 0);
	nt_trie_free(u);
	free(img);
	nt_trie_free(e);
}

static void
t_binary_keys_and_fanout(void **state)
{
	struct nt_trie *t = nt_trie_new(), *u;
	unsigned char k[3], *img;
	size_t n;
	int c;

	(void)state;
	/* 200 children under one inner node: the binary search in edge(). */
	for (c = 0; c < 200; c++) {
		k[0] = 'q';
		k[1] = 'z';
		k[2] = (unsigned char)(c + 40);
		assert_int_equal(nt_trie_add(t, k, 3, (uint32_t)c + 1), 0);
	}
	/* Bytes 0x00 and 0xFF are bytes like others. */
	assert_int_equal(nt_trie_add(t, (const unsigned char *)"\0\xff", 2,
	    500), 0);
	assert_int_equal(nt_trie_add(t, (const unsigned char *)"\xff", 1,
	    501), 0);
	nt_trie_prepare(t);
	img = image(t, &n);
	u = nt_trie_from_image(img, n);
	assert_non_null(u);
	for (c = 0; c < 256; c++) {
		k[0] = 'q';
		k[1] = 'z';
		k[2] = (unsigned char)c;
		assert_int_equal(nt_trie_lookup(t, k, 3),
		    c >= 40 && c < 240 ? (uint32_t)(c - 39) : 0);
		assert_int_equal(nt_trie_lookup(u, k, 3),
		    nt_trie_lookup(t, k, 3));
	}
	assert_int_equal(nt_trie_lookup(u, (const unsigned char *)"\0\xff",
	    2), 500);
	assert_int_equal(nt_trie_lookup(u, (const unsigned char *)"\xff", 1),
	    501);
	assert_int_equal(nt_trie_lookup(u, (const unsigned char *)"\0", 1), 0);
	assert_int_equal(nt_trie_lookup(u, (const unsigned char *)"qz", 2), 0);
	assert_int_equal(nt_trie_max_value(u), 501);
	nt_trie_free(u);
	free(img);
	nt_trie_free(t);
}

/* A key of 1 to 12 bytes from x, over 70 byte values (wide nodes). */
static size_t
rand_key(uint32_t *x, unsigned char *k)
{
	size_t n, i;

	*x = *x * 1103515245u + 12345u;
	n = 1 + (*x >> 16) % 12;
	for (i = 0; i < n; i++) {
		*x = *x * 1103515245u + 12345u;
		k[i] = (unsigned char)(0x30 + (*x >> 16) % 70);
	}
	return n;
}

/*
 * nt_trie_step_value() byte by byte over keys and other strings, from a
 * built trie and from its image, against a plain list: whether the walk
 * lives (some key has the prefix) and the value where a key ends.  Nodes
 * of every width up to 70 edges, some at the end of the edge array, where
 * the sixteen-byte compare must not read past it.
 */
static void
t_step_value(void **state)
{
	enum { NKEYS = 1500 };
	static unsigned char keys[NKEYS][12];
	static size_t klen[NKEYS];
	struct nt_trie *t = nt_trie_new(), *u, *w;
	struct nt_trie_pos p;
	unsigned char s[12], *img;
	uint32_t x = 7, v, want;
	size_t i, j, n, len, round, live;
	int alive;

	(void)state;
	for (i = 0; i < NKEYS; i++) {
		klen[i] = rand_key(&x, keys[i]);
		/* The first of equal keys keeps its value. */
		nt_trie_add(t, keys[i], klen[i], (uint32_t)i + 1);
	}
	nt_trie_prepare(t);
	img = image(t, &n);
	u = nt_trie_from_image(img, n);
	assert_non_null(u);
	for (round = 0; round < 2 * NKEYS; round++) {
		if (round < NKEYS) {
			len = klen[round];
			memcpy(s, keys[round], len);
		} else
			len = rand_key(&x, s);
		for (w = t; w != NULL; w = w == t ? u : NULL) {
			nt_trie_start(&p);
			alive = 1;
			for (j = 1; j <= len && alive; j++) {
				want = 0;
				live = 0;
				for (i = 0; i < NKEYS; i++) {
					if (klen[i] < j ||
					    memcmp(keys[i], s, j) != 0)
						continue;
					live = 1;
					if (klen[i] == j && want == 0)
						want = (uint32_t)i + 1;
				}
				v = 99999;
				alive = nt_trie_step_value(w, &p, s + j - 1, 1,
				    &v);
				assert_int_equal(alive, live);
				if (alive)
					assert_int_equal(v, want);
			}
		}
	}
	nt_trie_free(u);
	free(img);
	nt_trie_free(t);
}

static void
t_step_details(void **state)
{
	static const char *const keys[] = { "North", "North Korea", NULL };
	struct nt_trie *t = build(keys);
	struct nt_trie_pos p, q;
	const char *s = "North Korea";
	size_t i;

	(void)state;
	/* Zero bytes is a step that stays put. */
	nt_trie_start(&p);
	assert_true(nt_trie_step(t, &p, (const unsigned char *)"", 0));
	assert_int_equal(nt_trie_value(t, &p), 0);
	/* Byte by byte gives the same places as all at once. */
	for (i = 1; i <= strlen(s); i++) {
		nt_trie_start(&q);
		assert_true(nt_trie_step(t, &p, (const unsigned char *)s + i - 1,
		    1));
		assert_true(nt_trie_step(t, &q, (const unsigned char *)s, i));
		assert_int_equal(p.node, q.node);
		assert_int_equal(p.off, q.off);
		assert_int_equal(nt_trie_value(t, &p),
		    i == 5 ? 1 : i == 11 ? 2 : 0);
	}
	nt_trie_free(t);
}

static void
t_key_max_in_image(void **state)
{
	struct nt_trie *t = nt_trie_new(), *u;
	unsigned char big[NT_TRIE_KEY_MAX], *img;
	size_t n;

	(void)state;
	memset(big, 'k', sizeof(big));
	assert_int_equal(nt_trie_add(t, big, sizeof(big), 7), 0);
	assert_int_equal(nt_trie_add(t, big, 1, 8), 0);
	nt_trie_prepare(t);
	assert_int_equal(nt_trie_max_len(t), NT_TRIE_KEY_MAX);
	img = image(t, &n);
	u = nt_trie_from_image(img, n);
	assert_non_null(u);
	assert_int_equal(nt_trie_lookup(u, big, sizeof(big)), 7);
	assert_int_equal(nt_trie_lookup(u, big, sizeof(big) - 1), 0);
	assert_int_equal(nt_trie_lookup(u, big, 1), 8);
	assert_int_equal(nt_trie_max_len(u), NT_TRIE_KEY_MAX);
	nt_trie_free(u);
	free(img);
	nt_trie_free(t);
}

/* Damaged images, whole bytes this time, and every filter over them. */
static void
t_damaged_bytes(void **state)
{
	static const char *const keys[] = { "North", "North Korea", "Korea",
		"a", "Kyiv", "Kiev", "K", NULL };
	struct nt_trie *t = build(keys), *u;
	const char *const *k;
	unsigned char *img, *bad, first[256], pairs[8192];
	struct nt_trie_pos p;
	size_t n, i;
	int v;

	(void)state;
	img = image(t, &n);
	for (i = 0; i < n; i++) {
		for (v = 0; v < 256; v += 85) {
			bad = malloc(n);
			assert_non_null(bad);
			memcpy(bad, img, n);
			bad[i] = (unsigned char)(v == 0 ? ~img[i] : v);
			u = nt_trie_from_image(bad, n);
			if (u != NULL) {
				nt_trie_first_bytes(u, first);
				nt_trie_first_pairs(u, pairs);
				(void)FW(u, "North Korea.");
				(void)FW(u, "North K");
				for (k = keys; *k != NULL; k++) {
					(void)look(u, *k);
					nt_trie_start(&p);
					if (nt_trie_step(u, &p,
					    (const unsigned char *)*k, 1))
						(void)nt_trie_value(u, &p);
				}
			}
			nt_trie_free(u);
			free(bad);
		}
	}
	nt_trie_free(t);
	free(img);
}


/* A key for the reference order below: bytewise, a prefix first. */
struct refkey {
	unsigned char b[48];
	size_t len;
	uint32_t val;
};

static int
refcmp(const void *a, const void *b)
{
	const struct refkey *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->b, y->b, n);

	if (c != 0)
		return c;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return x->val < y->val ? -1 : x->val > y->val;
}

/*
 * prepare's radix sort against qsort: keys in a random order, with
 * duplicates, prefixes of each other, NUL and 0xFF bytes, and groups of
 * many keys sharing 8, 16 and more bytes, give the same image as the
 * distinct keys added already sorted, each with its first value.
 */
static void
t_sort_matches_reference(void **state)
{
	enum { N = 6000 };
	static const unsigned char alpha[] = { 0x00, 'a', 'b', ' ', 0xFF };
	struct refkey *k = calloc(N, sizeof(*k));
	struct nt_trie *t = nt_trie_new(), *u = nt_trie_new();
	unsigned char *ia, *ib;
	unsigned long r = 99;
	size_t i, j, n, shared;

	(void)state;
	assert_non_null(k);
	for (i = 0; i < N; i++) {
		r = r * 6364136223846793005u + 1442695040888963407u;
		/* Half share a long prefix, so that groups outlive 8 bytes. */
		shared = (r >> 40) % 2 == 0 ? (r >> 45) % 24 : 0;
		memset(k[i].b, 'x', shared);
		n = shared + 1 + (r >> 33) % 12;
		for (j = shared; j < n; j++) {
			r = r * 6364136223846793005u + 1442695040888963407u;
			k[i].b[j] = alpha[(r >> 33) % (i % 3 == 0 ? 2 : 5)];
		}
		k[i].len = n;
		k[i].val = (uint32_t)i + 1;
		assert_int_equal(nt_trie_add(t, k[i].b, n, k[i].val), 0);
		/* Repeat some keys later on: the first value must win. */
		if (i % 7 == 0) {
			assert_int_equal(nt_trie_add(t, k[i / 2].b,
			    k[i / 2].len, (uint32_t)(N + i)), 0);
		}
	}
	nt_trie_prepare(t);
	qsort(k, N, sizeof(*k), refcmp);
	for (i = 0, n = 0; i < N; i++) {
		if (i > 0 && k[i].len == k[i - 1].len &&
		    memcmp(k[i].b, k[i - 1].b, k[i].len) == 0)
			continue;
		assert_int_equal(nt_trie_add(u, k[i].b, k[i].len, k[i].val),
		    0);
		n++;
	}
	nt_trie_prepare(u);
	assert_int_equal(nt_trie_keys(t), n);
	assert_int_equal(nt_trie_image_size(t), nt_trie_image_size(u));
	ia = malloc(nt_trie_image_size(t));
	ib = malloc(nt_trie_image_size(u));
	assert_non_null(ia);
	assert_non_null(ib);
	nt_trie_image(t, ia);
	nt_trie_image(u, ib);
	assert_memory_equal(ia, ib, nt_trie_image_size(t));
	for (i = 0; i < N; i++)
		assert_int_not_equal(nt_trie_lookup(t, k[i].b, k[i].len), 0);
	free(ia);
	free(ib);
	free(k);
	nt_trie_free(t);
	nt_trie_free(u);
}

/* Thousands of copies of one key, and of keys one byte longer each. */
static void
t_sort_degenerate(void **state)
{
	unsigned char b[NT_TRIE_KEY_MAX];
	struct nt_trie *t = nt_trie_new();
	size_t i;

	(void)state;
	memset(b, 'q', sizeof(b));
	for (i = 0; i < 3000; i++)
		assert_int_equal(nt_trie_add(t, b, 5, (uint32_t)i + 1), 0);
	for (i = NT_TRIE_KEY_MAX; i > 0; i--)
		assert_int_equal(nt_trie_add(t, b, i, (uint32_t)(5000 + i)), 0);
	nt_trie_prepare(t);
	assert_int_equal(nt_trie_keys(t), NT_TRIE_KEY_MAX);
	assert_int_equal(nt_trie_lookup(t, b, 5), 1);
	assert_int_equal(nt_trie_lookup(t, b, 6), 5006);
	assert_int_equal(nt_trie_lookup(t, b, NT_TRIE_KEY_MAX),
	    5000 + NT_TRIE_KEY_MAX);
	nt_trie_free(t);
}


/* The pieces, put end to end, are the image, whatever the padding. */
static void
t_image_pieces(void **state)
{
	static const char *const sets[][6] = {
		{ NULL },
		{ "a", NULL },
		{ "ab", "ac", NULL },
		{ "North", "North Korea", "Korea", "No", "Nort", NULL },
		{ "abcde", "abcdf", "x", "xyz", "xyzw", NULL },
	};
	struct nt_trie_pieces pc;
	unsigned char *img, *cat;
	size_t i, k, n, o;

	(void)state;
	for (i = 0; i < sizeof(sets) / sizeof(sets[0]); i++) {
		struct nt_trie *t = build(sets[i]);

		n = nt_trie_image_size(t);
		img = malloc(n);
		cat = malloc(n);
		assert_non_null(img);
		assert_non_null(cat);
		nt_trie_image(t, img);
		nt_trie_image_pieces(t, &pc);
		assert_true(pc.n <= NT_TRIE_PIECES);
		for (k = o = 0; k < pc.n; k++) {
			assert_true(o + pc.len[k] <= n);
			memcpy(cat + o, pc.p[k], pc.len[k]);
			o += pc.len[k];
		}
		assert_int_equal(o, n);
		assert_memory_equal(img, cat, n);
		free(img);
		free(cat);
		nt_trie_free(t);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_lookup),
		cmocka_unit_test(t_sort_matches_reference),
		cmocka_unit_test(t_sort_degenerate),
		cmocka_unit_test(t_image_pieces),
		cmocka_unit_test(t_step_by_pieces),
		cmocka_unit_test(t_duplicates_first_wins),
		cmocka_unit_test(t_refused),
		cmocka_unit_test(t_empty_trie),
		cmocka_unit_test(t_except),
		cmocka_unit_test(t_filters),
		cmocka_unit_test(t_filter_next_bytes),
		cmocka_unit_test(t_filter_many_words),
		cmocka_unit_test(t_filter_latin_words),
		cmocka_unit_test(t_filter_no_false_negatives),
		cmocka_unit_test(t_image_round_trip),
		cmocka_unit_test(t_damaged_images),
		cmocka_unit_test(t_image_exact_and_empty),
		cmocka_unit_test(t_binary_keys_and_fanout),
		cmocka_unit_test(t_step_details),
		cmocka_unit_test(t_step_value),
		cmocka_unit_test(t_key_max_in_image),
		cmocka_unit_test(t_damaged_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
