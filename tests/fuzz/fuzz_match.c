/* nertag - fuzz target: the stream matcher against the reference matcher. */
/*
 * Input: a flags byte (-i, --ignore-accents, --line-buffered), a byte for
 * the window and piece sizes, then names one a line, a 0x01 byte, and the
 * text.  The stream matcher, fed in small random pieces through a small
 * window, must find exactly the spans that tests/ref finds.
 */
#include "common.h"
#include "ref.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ref_span want[MAXSPANS];
	struct fz_gaz g;
	struct fz_run r;
	const uint8_t *text;
	size_t ntext, nwant, i, block, piece;
	unsigned flags;

	if (size < 2)
		return 0;
	flags = data[0] & 7;
	block = data[1] & 0x80 ? 0 : 1 + (data[1] & 0x1F);
	piece = 1 + (data[1] >> 5 & 3) * 5;
	if (fz_split(data + 2, size - 2, flags, &g, &text, &ntext) == -1)
		return 0;
	fz_match(&g, flags, block, piece, text, ntext, &r);
	nwant = ref_match((const char *const *)g.name, g.n, text, ntext, flags,
	    want, MAXSPANS);
	if (nwant != r.nspan)
		goto differ;
	for (i = 0; i < nwant; i++)
		if (want[i].start != r.span[i].start ||
		    want[i].end != r.span[i].end ||
		    want[i].name + 1 != r.span[i].value)
			goto differ;
	fz_free(&g);
	return 0;
differ:
	fprintf(stderr, "flags %u block %zu piece %zu: %zu names, text %zu "
	    "bytes\n", flags, block, piece, g.n, ntext);
	for (i = 0; i < g.n; i++)
		fprintf(stderr, "  name %zu: \"%s\"\n", i, g.name[i]);
	for (i = 0; i < nwant; i++)
		fprintf(stderr, "  ref  %zu-%zu name %zu\n", want[i].start,
		    want[i].end, want[i].name);
	for (i = 0; i < r.nspan; i++)
		fprintf(stderr, "  got  %llu-%llu name %u\n",
		    (unsigned long long)r.span[i].start,
		    (unsigned long long)r.span[i].end, r.span[i].value - 1);
	abort();
}
