/* nertag - fuzz target: xml output untags to the input, spans are exact. */
/*
 * Input: a flags byte, then names one a line, 0x01, and the text, which may
 * hold anything: markup characters, entities, invalid UTF-8, NUL.  The xml
 * output, untagged in pieces, must give back the text byte for byte, and
 * every tsv and jsonl span must cover exactly the bytes it names.
 */
#include <sys/mman.h>

#include <unistd.h>

#include "common.h"
#include "lexicon.h"
#include "output.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct nt_lexicon *lex;

/* Output of the text in format fmt, into a memory file; returns its size. */
static size_t
render(const char *fmt, unsigned flags, const uint8_t *text, size_t n,
    unsigned char *buf, size_t cap)
{
	const struct nt_trie *tries[1] = { nt_lex_trie(lex, 0) };
	struct nt_out_config oc;
	struct nt_match_config mc;
	struct nt_matcher *m;
	struct nt_out *o;
	int fd = memfd_create("out", 0);
	ssize_t r;

	memset(&oc, 0, sizeof(oc));
	oc.fd = fd;
	oc.format = nt_out_format(fmt);
	oc.lex = lex;
	o = nt_out_new(&oc);
	memset(&mc, 0, sizeof(mc));
	mc.tries = tries;
	mc.ntries = 1;
	mc.flags = flags;
	mc.block = 7;
	mc.text = nt_out_text;
	mc.span = nt_out_span;
	mc.ctx = o;
	m = nt_match_new(&mc);
	nt_match_feed(m, text, n);
	nt_match_finish(m);
	if (nt_out_flush(o) != 0)
		abort();
	nt_match_free(m);
	nt_out_free(o);
	r = pread(fd, buf, cap, 0);
	close(fd);
	if (r < 0 || (size_t)r == cap)
		abort();
	return (size_t)r;
}

static size_t
untag(const unsigned char *xml, size_t n, unsigned char *buf, size_t cap)
{
	struct nt_out_config oc;
	struct nt_out *o;
	int fd = memfd_create("untag", 0);
	size_t i, k;
	ssize_t r;

	memset(&oc, 0, sizeof(oc));
	oc.fd = fd;
	oc.format = nt_out_format("inline");
	o = nt_out_new(&oc);
	for (i = 0; i < n; i += k) {
		k = n - i < 5 ? n - i : 5;
		nt_out_untag(o, xml + i, k);
	}
	nt_out_untag_end(o);
	if (nt_out_flush(o) != 0)
		abort();
	nt_out_free(o);
	r = pread(fd, buf, cap, 0);
	close(fd);
	if (r < 0)
		abort();
	return (size_t)r;
}

/* Undo the TSV escapes of field f (n bytes) into out; returns its size. */
static size_t
unescape(const unsigned char *f, size_t n, unsigned char *out)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		if (f[i] == '\\' && i + 1 < n) {
			i++;
			out[k++] = f[i] == 't' ? '\t' : f[i] == 'n' ? '\n' :
			    f[i] == 'r' ? '\r' : f[i];
		} else
			out[k++] = f[i];
	}
	return k;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static unsigned char xml[16 * MAXTEXT + 4096], back[MAXTEXT + 64];
	static unsigned char tsv[16 * MAXTEXT + 4096], field[MAXTEXT];
	struct nt_error e;
	struct fz_gaz g;
	const uint8_t *text;
	unsigned char *p, *end, *nl, *t1, *t2, *t3, *t4;
	size_t ntext, n, nb;
	unsigned flags;
	char path[] = "/tmp/nertag-fuzz-gaz.XXXXXX";
	FILE *f;
	int fd;

	if (size < 1)
		return 0;
	flags = data[0] & 3;
	if (fz_split(data + 1, size - 1, flags, &g, &text, &ntext) == -1)
		return 0;
	if (g.n == 0) {
		fz_free(&g);
		return 0;
	}
	/*
	 * The names as a gazetteer file, for a lexicon with labels and IDs;
	 * names the file syntax cannot hold (a tab, a CR, a leading # or BOM) are
	 * left out.
	 */
	fd = mkstemp(path);
	f = fdopen(fd, "w");
	for (nb = n = 0; n < g.n; n++) {
		if (strpbrk(g.name[n], "\t\r") != NULL || g.name[n][0] == '#' ||
		    strncmp(g.name[n], "\xef\xbb\xbf", 3) == 0)
			continue;
		fprintf(f, "%s\tid<&\"%zu>\n", g.name[n], n);
		nb++;
	}
	fclose(f);
	if (nb == 0) {
		unlink(path);
		fz_free(&g);
		return 0;
	}
	lex = nt_lex_new(flags);
	if (nt_lex_gazetteer(lex, path, "T", &e) != 0 ||
	    nt_lex_prepare(lex, &e) != 0) {
		/* Names the fuzz split accepted are valid gazetteer lines. */
		fprintf(stderr, "%s\n", e.reason);
		abort();
	}
	unlink(path);

	n = render("xml", flags, text, ntext, xml, sizeof(xml));
	nb = untag(xml, n, back, sizeof(back));
	if (nb != ntext || memcmp(back, text, ntext) != 0)
		abort();

	/* tsv: START END LABEL TEXT ID; TEXT is exactly those bytes. */
	n = render("tsv", flags, text, ntext, tsv, sizeof(tsv));
	for (p = tsv, end = tsv + n; p < end; p = nl + 1) {
		unsigned long s, z;

		nl = memchr(p, '\n', (size_t)(end - p));
		t1 = memchr(p, '\t', (size_t)(nl - p));
		t2 = memchr(t1 + 1, '\t', (size_t)(nl - t1 - 1));
		t3 = memchr(t2 + 1, '\t', (size_t)(nl - t2 - 1));
		t4 = memchr(t3 + 1, '\t', (size_t)(nl - t3 - 1));
		if (nl == NULL || t1 == NULL || t2 == NULL || t3 == NULL ||
		    t4 == NULL)
			abort();
		s = strtoul((char *)p, NULL, 10);
		z = strtoul((char *)t1 + 1, NULL, 10);
		if (z <= s || z > ntext ||
		    unescape(t3 + 1, (size_t)(t4 - t3 - 1), field) != z - s ||
		    memcmp(field, text + s, z - s) != 0)
			abort();
	}
	nt_lex_free(lex);
	fz_free(&g);
	return 0;
}
