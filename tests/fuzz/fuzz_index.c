/* nertag - fuzz target: compiled indexes a user could have damaged. */
/*
 * Two ways in.  The whole input as an index file: it must be refused with
 * a reason (the checksum, the header, the sizes), never crash.  And the
 * input as damage to a valid trie image, which the checksum would catch:
 * nt_trie_from_image() either refuses it or every walk, lookup and filter
 * over it stays inside the image.
 */
#include "common.h"
#include "lexicon.h"

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
	return 0;
}
