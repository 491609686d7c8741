/* Unit tests for the threaded driver (parallel.c): its output must be one
 * matcher's, byte for byte and span for span, wherever the cuts fall. */
#include "helpers.h"
#include "parallel.h"

/*
 * Text and spans, in order, as one string of bytes in a struct collect's
 * all (its span array, bounded, is not used).
 */
static void
log_text(void *ctx, const unsigned char *p, size_t n)
{
	assert_true(n > 0);
	collect_bytes(ctx, p, n);
}

static void
log_span(void *ctx, const unsigned char *p, size_t n, const struct nt_span *s)
{
	char m[128];
	int k;

	assert_int_equal(s->end - s->start, n);
	k = snprintf(m, sizeof(m), "<%llu-%llu:%zu:%u:%d|",
	    (unsigned long long)s->start, (unsigned long long)s->end, s->layer,
	    s->value, s->lastword);
	collect_bytes(ctx, (const unsigned char *)m, (size_t)k);
	collect_bytes(ctx, p, n);
	collect_bytes(ctx, (const unsigned char *)">", 1);
}

struct setup {
	const struct nt_trie *tries[2];
	size_t ntries;
	const struct nt_trie *veto;
	unsigned flags;
};

static void
config(const struct setup *s, struct nt_match_config *cfg, struct collect *l)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->tries = s->tries;
	cfg->ntries = s->ntries;
	cfg->veto = s->veto;
	cfg->flags = s->flags;
	cfg->text = log_text;
	cfg->span = log_span;
	cfg->ctx = l;
	/*
	 * A small window, so that a walk's reach past a chunk (which a
	 * chunk's buffer must hold before it is cut) is a few KB, and short
	 * inputs are cut many times.
	 */
	cfg->block = 16;
}

/*
 * Copies of text, n bytes, until more than min bytes, in a buffer of
 * exactly that size (so that ASan sees a read past it); free() it.
 */
static unsigned char *
repeat(const char *text, size_t n, size_t min, size_t *len)
{
	unsigned char *b = malloc((min / n + 1) * n);
	size_t o;

	assert_non_null(b);
	for (o = 0; o <= min; o += n)
		memcpy(b + o, text, n);
	*len = o;
	return b;
}

/* One matcher over the streams (each ended by a finish). */
static void
one(const struct setup *s, const unsigned char *const *in, const size_t *n,
    size_t nin, struct collect *l)
{
	struct nt_match_config cfg;
	struct nt_matcher *m;
	size_t i;

	config(s, &cfg, l);
	m = nt_match_new(&cfg);
	for (i = 0; i < nin; i++) {
		nt_match_feed(m, in[i], n[i]);
		nt_match_finish(m);
	}
	nt_match_free(m);
}

/* The threaded driver over the same streams, fed piece bytes at a time. */
static void
threaded(const struct setup *s, const unsigned char *const *in,
    const size_t *n, size_t nin, size_t threads, size_t chunk, size_t piece,
    struct collect *l)
{
	struct nt_match_config cfg;
	struct nt_par *p;
	size_t i, k, o;

	config(s, &cfg, l);
	p = nt_par_new(&cfg, threads, chunk);
	for (i = 0; i < nin; i++) {
		for (o = 0; o < n[i]; o += k) {
			k = n[i] - o < piece ? n[i] - o : piece;
			nt_par_feed(p, in[i] + o, k);
		}
		nt_par_finish(p);
	}
	nt_par_free(p);
}

static void
expect_same(const struct setup *s, const unsigned char *const *in,
    const size_t *n, size_t nin, size_t threads, size_t chunk, size_t piece)
{
	struct collect a, b;
	size_t i;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	one(s, in, n, nin, &a);
	threaded(s, in, n, nin, threads, chunk, piece, &b);
	if (a.len != b.len || (a.len > 0 && memcmp(a.all, b.all, a.len) != 0)) {
		for (i = 0; i < a.len && i < b.len && a.all[i] == b.all[i]; i++)
			continue;
		fail_msg("threads %zu chunk %zu piece %zu: outputs differ at "
		    "byte %zu of %zu/%zu: one \"%.60s\", threaded \"%.60s\"",
		    threads, chunk, piece, i, a.len, b.len,
		    (const char *)a.all + (i > 20 ? i - 20 : 0),
		    (const char *)b.all + (i > 20 ? i - 20 : 0));
	}
	free(a.all);
	free(b.all);
}

/* in, n bytes, repeated to more than reach bytes. */
static void
expect_same1(const struct setup *s, const char *in, size_t n, size_t reach,
    size_t threads, size_t chunk, size_t piece)
{
	unsigned char *b = repeat(in, n, reach, &n);
	const unsigned char *v[1] = { b };

	expect_same(s, v, &n, 1, threads, chunk, piece);
	free(b);
}

/* What a walk may read past a start, with these tries (src/match.c). */
static size_t
reach_of(const struct setup *s)
{
	struct collect l;
	struct nt_match_config cfg;
	struct nt_matcher *m;
	size_t r;

	memset(&l, 0, sizeof(l));
	config(s, &cfg, &l);
	m = nt_match_new(&cfg);
	r = nt_match_reach(m);
	nt_match_free(m);
	return r;
}

/*
 * A worker that begins inside "New York" finds "York City"; the match that
 * runs over the cut is "New York", so that chunk is matched again from its
 * end.  Every cut place from 1 to 24 bytes.
 */
static void
t_match_over_a_cut(void **state)
{
	static const char *const k[] = { "New York", "York City", "City Hall",
		NULL };
	static const char in[] = "xxx New York City Hall, York City. New "
	    "York\nCity Hall York";
	struct nt_trie *t = make_trie(k, 0);
	struct setup s = { { t }, 1, NULL, 0 };
	size_t chunk;

	(void)state;
	for (chunk = 2; chunk <= 48; chunk += 1 + chunk / 3) {
		expect_same1(&s, in, sizeof(in) - 1, reach_of(&s) + 4 * chunk, 1,
		    chunk, 1000);
		expect_same1(&s, in, sizeof(in) - 1, reach_of(&s) + chunk, 3,
		    chunk, 5);
	}
	nt_trie_free(t);
}

/*
 * Matched again from the end of "New York", the scan goes on after a word
 * character: "-City" may not start there, though "York-City" (which the
 * worker found) and "-City" are names.
 */
static void
t_match_again_after_a_word(void **state)
{
	static const char *const k[] = { "New York", "York-City", "-City",
		NULL };
	static const char in[] = "xxx New York-City; -City\n";
	struct nt_trie *t = make_trie(k, 0);
	struct setup s = { { t }, 1, NULL, 0 };
	size_t chunk;

	(void)state;
	for (chunk = 2; chunk <= 30; chunk += 1 + chunk / 4)
		expect_same1(&s, in, sizeof(in) - 1, reach_of(&s) + 100, 2,
		    chunk, 11);
	nt_trie_free(t);
}

/* The byte before a cut decides whether a name may start after it. */
static void
t_word_before_the_cut(void **state)
{
	static const char *const k[] = { "Kyiv", "iv", NULL };
	static const char in[] = "aaaaaaaKyiv Kyiv aKyiv\nKyiv_Kyiv Kyiv";
	struct nt_trie *t = make_trie(k, 0);
	struct setup s = { { t }, 1, NULL, 0 };
	size_t chunk;

	(void)state;
	for (chunk = 2; chunk <= 40; chunk += 1 + chunk / 4)
		expect_same1(&s, in, sizeof(in) - 1, reach_of(&s) + 200, 2,
		    chunk, 7);
	nt_trie_free(t);
}

/*
 * No two ASCII bytes in a row for a whole chunk: no cut, and the rest of
 * the stream goes through one matcher; the next stream is threaded again.
 */
static void
t_no_cut(void **state)
{
	static const char *const k[] = { "\xce\xa9\xce\xbc\xce\xad\xce\xb3"
		"\xce\xb1", "Kyiv", "\xc2\xab\xce\xa9", NULL };
	/* Omega words between ideographic spaces (U+3000). */
	static const char g[] = "\xce\xa9\xce\xbc\xce\xad\xce\xb3\xce\xb1"
	    "\xe3\x80\x80\xce\xb1\xce\xa9\xce\xbc\xce\xad\xce\xb3\xce\xb1"
	    "\xe3\x80\x80";
	static const char a[] = "Kyiv and Kyiv, then Kyiv.\n";
	/*
	 * Two ASCII bytes in a row only inside "Kyiv": every cut falls in a
	 * name, the last one before the Greek too, and "«Ω" may not start
	 * right after it, a word character.
	 */
	static const char z[] = "Kyiv\xc2\xab\xce\xa9\xe3\x80\x80";
	unsigned char buf[20000], *v[3];
	size_t n[3], i, chunk;
	struct nt_trie *t = make_trie(k, 0);
	struct setup s = { { t }, 1, NULL, 0 };

	(void)state;
	/* Cuts in names, then Greek only, then ASCII again, in one stream. */
	assert_true(reach_of(&s) < 5000);
	for (i = 0, n[0] = 0; i < 800; i++, n[0] += sizeof(z) - 1)
		memcpy(buf + n[0], z, sizeof(z) - 1);
	for (i = 0; i < 200; i++, n[0] += sizeof(g) - 1)
		memcpy(buf + n[0], g, sizeof(g) - 1);
	for (i = 0; i < 50; i++, n[0] += sizeof(a) - 1)
		memcpy(buf + n[0], a, sizeof(a) - 1);
	v[0] = exact(buf, n[0]);
	v[1] = exact(a, n[1] = sizeof(a) - 1);
	v[2] = exact(g, n[2] = sizeof(g) - 1);
	for (chunk = 16; chunk <= 300; chunk += 1 + chunk / 16)
		expect_same(&s, (const unsigned char *const *)v, n, 3, 2,
		    chunk, 13);
	for (i = 0; i < 3; i++)
		free(v[i]);
	nt_trie_free(t);
}

/* Empty streams, and streams shorter than a chunk, restart offsets. */
static void
t_streams(void **state)
{
	static const char *const k[] = { "Kyiv", NULL };
	struct nt_trie *t = make_trie(k, 0);
	struct setup s = { { t }, 1, NULL, 0 };
	unsigned char *v[4];
	size_t n[4] = { 0, 4, 0, 9 }, i;

	(void)state;
	v[0] = exact("", 0);
	v[1] = exact("Kyiv", 4);
	v[2] = exact("", 0);
	v[3] = exact(" Kyiv Kyi", 9);
	for (i = 1; i <= 3; i++) {
		expect_same(&s, (const unsigned char *const *)v, n, 4, i, 0, 1);
		expect_same(&s, (const unsigned char *const *)v, n, 4, i, 2, 3);
	}
	for (i = 0; i < 4; i++)
		free(v[i]);
	nt_trie_free(t);
}

/*
 * Random texts of 6 to 15 KB (a walk reaches about 5 KB) of names, their pieces, white space, marks, quotes,
 * invalid bytes and NUL, under two layers and a veto, each flag set:
 * threaded output equals one matcher's for every chunk size and thread
 * count tried.
 */
static void
t_random_texts(void **state)
{
	static const char *const atoms[] = { "Kyiv", "Kiev", " ", "  ", "\n",
		"\n\n", "North", "Korea", "Z\xc3\xbc", "rich", "u\xcc\x88",
		"\xcc\x88", ".", "\xe2\x80\x99", "\x80", "\0", "New", "York",
		"City", "s", "\xc3\xa9", "\xe3\x80\x80", "-", "St", "Hall",
		"\xce\xa9", "the", "The" };
	static const char *const a[] = { "Kyiv", "North Korea", "New York",
		"York City", "Z\xc3\xbcrich", "St. Kyiv", "City Hall",
		"The North", "s", NULL };
	static const char *const b[] = { "New York City", "Korea", "Kiev",
		"\xc3\xa9 \xce\xa9", "the city", NULL };
	static const char *const stop[] = { "Korea", "New York City", NULL };
	static const unsigned flags[] = { 0, NT_NORM_CASEFOLD,
		NT_NORM_STRIPMARK | NT_NORM_CASEFOLD, NT_NORM_LINES };
	static const size_t chunks[] = { 29, 64, 300, 2000 };
	unsigned char buf[16000];
	uint32_t seed = 7;
	size_t f, iter, n, x, c;

	(void)state;
	for (f = 0; f < sizeof(flags) / sizeof(flags[0]); f++) {
		struct nt_trie *ta = make_trie(a, flags[f]);
		struct nt_trie *tb = make_trie(b, flags[f]);
		struct nt_trie *ts = make_trie(stop, flags[f]);
		struct setup s = { { ta, tb }, 2, NULL, flags[f] };

		for (iter = 0; iter < 8; iter++) {
			size_t want = 6000 + rnd(&seed) % 9000;

			for (n = 0; n < want;) {
				x = rnd(&seed) % (sizeof(atoms) /
				    sizeof(atoms[0]));
				c = x == 15 ? 1 : strlen(atoms[x]);
				memcpy(buf + n, atoms[x], c);
				n += c;
			}
			s.veto = iter % 2 ? ts : NULL;
			c = chunks[iter % (sizeof(chunks) / sizeof(chunks[0]))];
			expect_same1(&s, (const char *)buf, n, 0,
			    1 + iter % 3, c, 1 + rnd(&seed) % 700);
		}
		nt_trie_free(ta);
		nt_trie_free(tb);
		nt_trie_free(ts);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_match_over_a_cut),
		cmocka_unit_test(t_match_again_after_a_word),
		cmocka_unit_test(t_word_before_the_cut),
		cmocka_unit_test(t_no_cut),
		cmocka_unit_test(t_streams),
		cmocka_unit_test(t_random_texts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
