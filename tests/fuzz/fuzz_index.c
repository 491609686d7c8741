/* nertag - fuzz target: compiled indexes a user could have damaged. */
/*
 * Three ways in.  The whole input as an index file: it must be refused with
 * a reason (the checksum, the header, the sizes), never crash.  The input
 * as damage to a valid trie image, which the checksum would catch:
 * nt_trie_from_image() either refuses it or every walk, lookup and filter
 * over it stays inside the image.  And the input as damage to a whole
 * valid index, sealed again with a correct checksum (as a buggy or hostile
 * writer would) and loaded from a file with nt_lex_index(): refused, or
 * every match and every entry it reports stays inside the file.  Half the
 * time only the header is sealed again, not the block checksums, so that
 * the damage must be caught where a walk first reads it.
 */
#include <sys/stat.h>

#include <unistd.h>

#include "common.h"
#include "lexicon.h"
#include "verify.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const names[] = { "North", "North Korea", "Korea",
	"Kyiv", "Kiev", "S\xc3\xa3o Paulo", "New York", "New York City", "X",
	".net", NULL };
static const char text[] = "North Korea, Kiev and New York City; S\xc3\xa3o "
    "Paulo.net X Kyivs";

static void
nop_text(void *ctx, const unsigned char *p, size_t n)
{
	(void)ctx;
	(void)p;
	(void)n;
}

static void
nop_span(void *ctx, const unsigned char *p, size_t n, const struct nt_span *s)
{
	(void)ctx;
	(void)p;
	(void)n;
	(void)s;
}

/*
 * The index checksums, as lexicon.c documents them: the header (its
 * checksum field, bytes 152 to 159, taken as zero) and the block sums
 * (the section whose offset is at byte 80) under one checksum, and a
 * checksum for each 64 KiB block from the header's end to the sums.
 */
#define HDR_SIZE	192
#define HDR_SUMSOFF	80
#define HDR_CHECKSUM	152

static void
seal(unsigned char *p, size_t n, int blocks)
{
	struct nt_sum s;
	uint64_t off, h, v;
	size_t i, k;

	memcpy(&off, p + HDR_SUMSOFF, 8);
	if (off < HDR_SIZE || off > n || (n - off) % 32 != 0)
		return;
	for (i = HDR_SIZE, k = 0; blocks && i < off; i += 65536, k++) {
		if (off + 8 * k + 8 > n)
			break;
		v = nt_sum_of(p + i, off - i < 65536 ? (size_t)(off - i) :
		    65536);
		memcpy(p + off + 8 * k, &v, 8);
	}
	memset(p + HDR_CHECKSUM, 0, 8);
	nt_sum_init(&s);
	nt_sum_add(&s, p, HDR_SIZE);
	nt_sum_add(&s, p + off, (size_t)(n - off));
	h = nt_sum_end(&s);
	memcpy(p + HDR_CHECKSUM, &h, 8);
}

struct touch {
	const struct nt_lexicon *lex;
	unsigned long sum;
};

/* Read every byte of each match's label and ID: ASan sees any overread. */
static void
touch_span(void *ctx, const unsigned char *p, size_t n,
    const struct nt_span *s)
{
	struct touch *t = ctx;
	struct nt_lex_entry ent;
	size_t i;

	(void)p;
	(void)n;
	(void)nt_lex_entry(t->lex, s->layer, s->value, &ent);
	for (i = 0; ent.label[i] != '\0'; i++)
		t->sum += (unsigned char)ent.label[i];
	for (i = 0; i < ent.idlen; i++)
		t->sum += (unsigned char)ent.id[i];
}

/* A valid index of two labels with IDs, built once, and a temp file. */
static unsigned char *good;
static size_t ngood;
static char dir[] = "/tmp/nertag-fuzz-index.XXXXXX";
static char ipath[sizeof(dir) + 16];

static void
clean_at_exit(void)
{
	unlink(ipath);
	rmdir(dir);
}

static void
make_index(void)
{
	static const char per[] = "# label: PER\nKim Jong-un\tQ56226\n"
	    "Emmanuel Macron\tQ3052772\nX\n";
	static const char loc[] = "Kyiv\tQ1899\nKiev\tQ1899\nNorth Korea\n"
	    "Korea\tQ18097\nS\xc3\xa3o Paulo\tQ174\n.net\tdot net\n";
	char path[sizeof(dir) + 16];
	struct nt_lexicon *x;
	struct nt_error e;
	struct stat st;
	FILE *f;

	if (mkdtemp(dir) == NULL) {
		perror(dir);
		abort();
	}
	atexit(clean_at_exit);
	snprintf(path, sizeof(path), "%s/a.txt", dir);
	f = fopen(path, "w");
	fputs(per, f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/b.txt", dir);
	f = fopen(path, "w");
	fputs(loc, f);
	fclose(f);
	/* A stop list, so that the index carries stop-listed keys too. */
	snprintf(path, sizeof(path), "%s/c.exclude", dir);
	f = fopen(path, "w");
	fputs("Korea\nNowhere\nS\xc3\xa3o\n", f);
	fclose(f);
	x = nt_lex_new(0);
	snprintf(ipath, sizeof(ipath), "%s/LOC", dir);
	if (nt_lex_gazetteer(x, dir, NULL, &e) != 0 ||
	    nt_lex_prepare(x, &e) != 0 ||
	    nt_lex_write_index(x, ipath, &e) != 0) {
		fprintf(stderr, "%s: %s\n", e.path, e.reason);
		abort();
	}
	nt_lex_free(x);
	if (stat(ipath, &st) != 0)
		abort();
	ngood = (size_t)st.st_size;
	good = malloc(ngood);
	f = fopen(ipath, "rb");
	if (fread(good, 1, ngood, f) != ngood)
		abort();
	fclose(f);
	snprintf(path, sizeof(path), "%s/a.txt", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/b.txt", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/c.exclude", dir);
	unlink(path);
}

/* Damage the good index by (offset, offset, xor) triples, seal and load. */
static void
damaged_index(const uint8_t *data, size_t size)
{
	const struct nt_trie *tries[4];
	struct nt_match_config mc;
	struct nt_matcher *m;
	struct nt_lexicon *x;
	struct nt_error e;
	struct touch t;
	unsigned char *copy;
	size_t i, n;
	FILE *f;

	if (good == NULL)
		make_index();
	copy = malloc(ngood);
	memcpy(copy, good, ngood);
	for (i = 0; i + 2 < size; i += 3)
		copy[(data[i] | (size_t)data[i + 1] << 8) % ngood] ^=
		    data[i + 2];
	seal(copy, ngood, size % 2 == 0);
	f = fopen(ipath, "wb");
	if (f == NULL || fwrite(copy, 1, ngood, f) != ngood || fclose(f) != 0) {
		perror(ipath);
		abort();
	}
	x = nt_lex_new(0);
	if (nt_lex_index(x, ipath, &e) == 0) {
		if (nt_lex_prepare(x, &e) != 0 || nt_lex_layers(x) != 1)
			abort();
		n = nt_lex_layers(x);
		for (i = 0; i < n; i++)
			tries[i] = nt_lex_trie(x, i);
		memset(&mc, 0, sizeof(mc));
		mc.tries = tries;
		mc.ntries = n;
		mc.veto = nt_lex_veto(x);
		mc.text = nop_text;
		mc.span = touch_span;
		mc.ctx = &t;
		mc.damaged = nt_lex_damaged_flag(x);
		t.lex = x;
		t.sum = 0;
		m = nt_match_new(&mc);
		nt_match_feed(m, text, sizeof(text) - 1);
		nt_match_finish(m);
		/* The matcher stops exactly when the lexicon says damaged. */
		if (nt_match_failed(m) != (nt_lex_damage(x, &e) == -1))
			abort();
		nt_match_free(m);
		(void)nt_lex_names(x);
	} else if (size < 3 || e.reason[0] == '\0' ||
	    strcmp(e.path, ipath) != 0) {
		/* Undamaged, it must load: else seal() is wrong. */
		fprintf(stderr, "%s: %s\n", e.path, e.reason);
		abort();
	}
	nt_lex_free(x);
	/*
	 * Twice over, its stop-listed keys are read for the other layer:
	 * refused with a reason, or loaded, never a crash.
	 */
	x = nt_lex_new(0);
	if (nt_lex_index(x, ipath, &e) == 0 && nt_lex_index(x, ipath, &e) == 0 &&
	    nt_lex_prepare(x, &e) != 0 && e.reason[0] == '\0')
		abort();
	nt_lex_free(x);
	unlink(ipath);
	free(copy);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static unsigned char *img;
	static size_t nimg;
	struct nt_error e;
	struct nt_trie *t;
	unsigned char *copy, pairs[8192], first[256];
	const char *const *k;
	size_t i;

	/* As a whole file. */
	copy = malloc(size + 8);
	memcpy(copy, data, size);
	if (nt_lex_check_image(copy, size, 0, &e) == 0 && size < 128)
		abort();
	free(copy);

	/* As damage to a good trie image: (offset, xor) byte pairs. */
	if (img == NULL) {
		t = nt_trie_new();
		for (i = 0, k = names; *k != NULL; k++, i++)
			nt_trie_add(t, (const unsigned char *)*k, strlen(*k),
			    (uint32_t)i + 1);
		nt_trie_prepare(t);
		nimg = nt_trie_image_size(t);
		img = malloc(nimg);
		nt_trie_image(t, img);
		nt_trie_free(t);
	}
	copy = malloc(nimg);
	memcpy(copy, img, nimg);
	for (i = 0; i + 1 < size; i += 2)
		copy[data[i] % nimg] ^= data[i + 1];
	t = nt_trie_from_image(copy, nimg);
	if (t != NULL) {
		const struct nt_trie *tries[1] = { t };
		struct nt_match_config mc;
		struct nt_matcher *m;

		for (k = names; *k != NULL; k++) {
			(void)nt_trie_lookup(t, (const unsigned char *)*k,
			    strlen(*k));
			(void)nt_trie_first_word(t, (const unsigned char *)*k,
			    strlen(*k));
		}
		nt_trie_first_pairs(t, pairs);
		nt_trie_first_bytes(t, first);
		memset(&mc, 0, sizeof(mc));
		mc.tries = tries;
		mc.ntries = 1;
		mc.text = nop_text;
		mc.span = nop_span;
		m = nt_match_new(&mc);
		nt_match_feed(m, text, sizeof(text) - 1);
		nt_match_finish(m);
		nt_match_free(m);
		nt_trie_free(t);
	}
	free(copy);

	damaged_index(data, size);
	return 0;
}
