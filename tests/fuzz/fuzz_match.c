/* nertag - fuzz target: the stream matcher against the reference matcher. */
/*
 * Input: a flags byte, a byte for the window and piece sizes, then names
 * one a line, a 0x01 byte, and the text.  The stream matcher, fed in small
 * pieces through a small window, must find exactly the spans that tests/ref
 * finds.
 *
 * The flags byte: bits 0-2 are enum nt_norm_flag (-i, --ignore-accents, a
 * line feed as a barrier); bit 3 makes the last name a stop name; bit 4
 * puts the second half of the names in a second, lower-priority trie (as
 * two -g options do); bit 5 applies the stop name when the tries are built
 * (as a stop list does for gazetteers) instead of as the matcher's veto
 * trie (as for compiled indexes); bits 6-7 repeat the text 1, 4, 16 or 64
 * times (up to MAXSTREAM bytes), so that the stream outgrows the window and
 * the window moves.
 *
 * The same stream then goes through the threaded driver (-j), cut every
 * few dozen bytes: it must pass on the same bytes and the same spans.
 */
#include "common.h"
#include "parallel.h"
#include "ref.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Add names[from, to) to t, each valued its index + 1. */
static void
add_names(struct nt_trie *t, char *const *names, size_t from, size_t to,
    unsigned flags)
{
	unsigned char *k;
	size_t i, kl;

	for (i = from; i < to; i++) {
		k = nt_norm_string((const unsigned char *)names[i],
		    strlen(names[i]), flags, &kl);
		if (k != NULL && kl > 0)
			nt_trie_add(t, k, kl, (uint32_t)i + 1);
		free(k);
	}
}

/*
 * The stream through nt_par with two threads and chunks of chunk bytes:
 * what want, one matcher's run, has.
 */
static void
par_same(const struct nt_trie *const *tries, size_t ntries,
    const struct nt_trie *veto, unsigned flags, size_t block, size_t chunk,
    size_t piece, const uint8_t *text, size_t n, const struct fz_run *want)
{
	static struct fz_run r;
	struct nt_match_config cfg;
	struct nt_par *p;
	size_t i, k;

	fz_config(&cfg, tries, ntries, veto, flags, block, &r);
	r.len = r.nspan = 0;
	p = nt_par_new(&cfg, 2, chunk);
	for (i = 0; i < n; i += k) {
		k = n - i < piece ? n - i : piece;
		nt_par_feed(p, text + i, k);
	}
	nt_par_finish(p);
	nt_par_free(p);
	if (r.len != n || (n > 0 && memcmp(r.out, text, n) != 0)) {
		fprintf(stderr, "threaded: %zu bytes passed on of %zu\n", r.len,
		    n);
		abort();
	}
	for (i = 0; i < r.nspan && i < want->nspan; i++)
		if (want->span[i].start != r.span[i].start ||
		    want->span[i].end != r.span[i].end ||
		    want->span[i].layer != r.span[i].layer ||
		    want->span[i].value != r.span[i].value)
			break;
	if (i < r.nspan || i < want->nspan) {
		fprintf(stderr, "threaded, chunk %zu: span %zu of %zu/%zu "
		    "differs\n", chunk, i, want->nspan, r.nspan);
		abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ref_span want[MAXSTREAM];
	static struct fz_run r;
	static uint8_t text[MAXSTREAM];
	struct nt_trie *tries[2], *stop = NULL;
	struct fz_gaz g;
	const uint8_t *t1;
	size_t ntext, nwant, i, block, piece, nnames, nstop = 0, half, ntries;
	size_t n1, times;
	unsigned flags, nflags;

	if (size < 2)
		return 0;
	flags = data[0] & 7;
	nflags = flags & (NT_NORM_CASEFOLD | NT_NORM_STRIPMARK);
	block = data[1] & 0x80 ? 0 : 1 + (data[1] & 0x1F);
	piece = 1 + (data[1] >> 5 & 3) * 5;
	if (fz_split(data + 2, size - 2, nflags, &g, &t1, &n1) == -1)
		return 0;
	times = (size_t)1 << (data[0] >> 6) * 2;
	for (ntext = 0; times-- > 0 && ntext + n1 <= MAXSTREAM; ntext += n1)
		memcpy(text + ntext, t1, n1);
	nnames = g.n;
	if ((data[0] & 8) && nnames > 0) {
		nnames--;
		nstop = 1;
		stop = nt_trie_new();
		add_names(stop, g.name, nnames, nnames + 1, nflags);
		nt_trie_prepare(stop);
	}
	half = (data[0] & 16) ? nnames / 2 : nnames;
	ntries = (data[0] & 16) ? 2 : 1;
	tries[0] = nt_trie_new();
	add_names(tries[0], g.name, 0, half, nflags);
	tries[1] = nt_trie_new();
	add_names(tries[1], g.name, half, nnames, nflags);
	for (i = 0; i < 2; i++)
		if (stop != NULL && (data[0] & 32))
			nt_trie_prepare_except(tries[i], stop);
		else
			nt_trie_prepare(tries[i]);
	fz_match_layers((const struct nt_trie *const *)tries, ntries,
	    (data[0] & 32) ? NULL : stop, flags, block, piece, text, ntext,
	    &r);
	par_same((const struct nt_trie *const *)tries, ntries,
	    (data[0] & 32) ? NULL : stop, flags, block, 2 + (size * 7 + data[0]) %
	    97, piece, text, ntext, &r);
	nwant = ref_match((const char *const *)g.name, nnames,
	    (const char *const *)g.name + nnames, nstop, text, ntext, flags,
	    want, MAXSTREAM);
	if (nwant != r.nspan)
		goto differ;
	for (i = 0; i < nwant; i++)
		if (want[i].start != r.span[i].start ||
		    want[i].end != r.span[i].end ||
		    want[i].name + 1 != r.span[i].value ||
		    (want[i].name >= half) != r.span[i].layer)
			goto differ;
	nt_trie_free(tries[0]);
	nt_trie_free(tries[1]);
	nt_trie_free(stop);
	fz_free(&g);
	return 0;
differ:
	fprintf(stderr, "flags %#x block %zu piece %zu: %zu names (layer 1 "
	    "from %zu), %zu stop, text %zu bytes\n", data[0], block, piece,
	    nnames, half, nstop, ntext);
	for (i = 0; i < g.n; i++)
		fprintf(stderr, "  name %zu: \"%s\"\n", i, g.name[i]);
	for (i = 0; i < nwant; i++)
		fprintf(stderr, "  ref  %zu-%zu name %zu\n", want[i].start,
		    want[i].end, want[i].name);
	for (i = 0; i < r.nspan; i++)
		fprintf(stderr, "  got  %llu-%llu name %u layer %zu\n",
		    (unsigned long long)r.span[i].start,
		    (unsigned long long)r.span[i].end, r.span[i].value - 1,
		    r.span[i].layer);
	abort();
}
