/* nertag - fuzz target: xml output untags to the input, spans are exact. */
/*
 * Input: a flags byte, then names one a line, 0x01, and the text, which may
 * hold anything: markup characters, entities, invalid UTF-8, NUL.  One
 * matcher run feeds every output format at once.  The xml output, untagged
 * in pieces, must give back the text byte for byte; every tsv span's TEXT
 * must be exactly the input bytes at its offsets; and the inline, -o, jsonl
 * and --offsets=chars outputs must be exactly what those spans say, byte
 * for byte, as rebuilt here from the rules in the man page.  Last, the text
 * as one record, KEY<TAB>TEXT with TEXT escaped, fed in pieces through the
 * record splitter: its tsv (or, for an odd length, inline) output must be
 * the key, a tab, and the plain output's line (or the inline output with
 * its \\ TAB LF CR escaped).  And --untag of the text itself must not
 * depend on how it is cut into pieces.
 *
 * The flags byte: bits 0-1 are -i and --ignore-accents; bits 2-5 the
 * window size (1 to 16 bytes); bits 6-7 the size of the pieces untagged.
 */
#include <sys/mman.h>

#include <unistd.h>

#include "common.h"
#include "lexicon.h"
#include "output.h"
#include "records.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { O_XML, O_INLINE, O_TSV, O_JSONL, O_ONLY, O_CHARS, NOUT };

static const char *const fmt[NOUT] = { "xml", "inline", "tsv", "jsonl",
	"only", "tsv" };

/*
 * Output buffers, big enough for the worst case of MAXTEXT bytes: a match
 * at every byte, each a jsonl line of some 65 bytes
 * ({"start":399,"end":400,"label":"T","text":"]","id":"id<&\"15>"}).
 */
#define OUTCAP	(96 * MAXTEXT + 4096)

struct tee {
	struct nt_out *o[NOUT];
};

static void
tee_text(void *ctx, const unsigned char *p, size_t n)
{
	struct tee *t = ctx;
	size_t i;

	for (i = 0; i < NOUT; i++)
		nt_out_text(t->o[i], p, n);
}

static void
tee_span(void *ctx, const unsigned char *p, size_t n, const struct nt_span *s)
{
	struct tee *t = ctx;
	size_t i;

	for (i = 0; i < NOUT; i++)
		nt_out_span(t->o[i], p, n, s);
}

/* Read back what was written to the memory file fd, and close it. */
static size_t
slurp(int fd, unsigned char *buf, size_t cap)
{
	ssize_t r = pread(fd, buf, cap, 0);

	close(fd);
	if (r < 0 || (size_t)r == cap)
		abort();
	return (size_t)r;
}

/* Every format's output of the text, in one run of the matcher. */
static void
render(const struct nt_lexicon *lex, unsigned flags, size_t block,
    const uint8_t *text, size_t n, unsigned char out[NOUT][OUTCAP],
    size_t len[NOUT])
{
	const struct nt_trie *tries[1] = { nt_lex_trie(lex, 0) };
	struct nt_out_config oc;
	struct nt_match_config mc;
	struct nt_matcher *m;
	struct tee t;
	int fd[NOUT];
	size_t i;

	for (i = 0; i < NOUT; i++) {
		memset(&oc, 0, sizeof(oc));
		oc.fd = fd[i] = memfd_create("out", 0);
		oc.format = nt_out_format(fmt[i]);
		oc.chars = i == O_CHARS;
		oc.lex = lex;
		t.o[i] = nt_out_new(&oc);
	}
	memset(&mc, 0, sizeof(mc));
	mc.tries = tries;
	mc.ntries = 1;
	mc.flags = flags;
	mc.block = block;
	mc.text = tee_text;
	mc.span = tee_span;
	mc.ctx = &t;
	m = nt_match_new(&mc);
	nt_match_feed(m, text, n);
	nt_match_finish(m);
	nt_match_free(m);
	for (i = 0; i < NOUT; i++) {
		if (nt_out_flush(t.o[i]) != 0)
			abort();
		nt_out_free(t.o[i]);
		len[i] = slurp(fd[i], out[i], OUTCAP);
	}
}

/*
 * --untag of n bytes in pieces: the bytes written, and in *why and *line
 * where it stopped (NULL if it did not).
 */
static size_t
untag(const unsigned char *xml, size_t n, size_t piece, unsigned char *buf,
    size_t cap, const char **why, unsigned long *line)
{
	struct nt_out_config oc;
	struct nt_out *o;
	int fd = memfd_create("untag", 0), bad = 0;
	size_t i, k;

	memset(&oc, 0, sizeof(oc));
	oc.fd = fd;
	oc.format = nt_out_format("inline");
	o = nt_out_new(&oc);
	for (i = 0; i < n && !bad; i += k) {
		k = n - i < piece ? n - i : piece;
		bad = nt_out_untag(o, xml + i, k) == -1;
	}
	if (!bad)
		bad = nt_out_untag_end(o) == -1;
	*why = nt_out_untag_error(o, line);
	if ((*why != NULL) != bad || nt_out_flush(o) != 0)
		abort();
	nt_out_free(o);
	return slurp(fd, buf, cap);
}

/*
 * Strict UTF-8, written out again for the test: the length of the valid
 * character at p (n bytes left), or 0 for an invalid byte.
 */
static size_t
utf8_len(const unsigned char *p, size_t n)
{
	size_t len, i;
	uint32_t cp;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xC2 && p[0] <= 0xDF)
		len = 2, cp = p[0] & 0x1Fu;
	else if (p[0] >= 0xE0 && p[0] <= 0xEF)
		len = 3, cp = p[0] & 0x0Fu;
	else if (p[0] >= 0xF0 && p[0] <= 0xF4)
		len = 4, cp = p[0] & 0x07u;
	else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3Fu);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
		return 0;
	return len;
}

/* Code points in p (n bytes), an invalid byte counting as one. */
static size_t
chars(const unsigned char *p, size_t n)
{
	size_t i, k, c = 0;

	for (i = 0; i < n; i += k, c++)
		if ((k = utf8_len(p + i, n - i)) == 0)
			k = 1;
	return c;
}

/* Append n bytes at p to the buffer b (*len bytes, OUTCAP at most). */
static void
add(unsigned char *b, size_t *len, const void *p, size_t n)
{
	if (*len + n > OUTCAP)
		abort();
	memcpy(b + *len, p, n);
	*len += n;
}

static void
adds(unsigned char *b, size_t *len, const char *s)
{
	add(b, len, s, strlen(s));
}

/* p as a TSV field: \ TAB LF CR NUL as \\ \t \n \r \0 (jq's U+0000). */
static void
add_tsv(unsigned char *b, size_t *len, const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		switch (p[i]) {
		case '\\': adds(b, len, "\\\\"); break;
		case '\t': adds(b, len, "\\t"); break;
		case '\n': adds(b, len, "\\n"); break;
		case '\r': adds(b, len, "\\r"); break;
		case '\0': adds(b, len, "\\0"); break;
		default: add(b, len, p + i, 1);
		}
}

/* p as an xml attribute value or text. */
static void
add_xml(unsigned char *b, size_t *len, const unsigned char *p, size_t n,
    int attr)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] == '&')
			adds(b, len, "&amp;");
		else if (p[i] == '<')
			adds(b, len, "&lt;");
		else if (p[i] == '>')
			adds(b, len, "&gt;");
		else if (attr && p[i] == '"')
			adds(b, len, "&quot;");
		else if (attr && p[i] == '\t')
			adds(b, len, "&#9;");
		else if (attr && p[i] == '\n')
			adds(b, len, "&#10;");
		else if (attr && p[i] == '\r')
			adds(b, len, "&#13;");
		else
			add(b, len, p + i, 1);
}

/* p as a JSON string: invalid UTF-8 as U+FFFD, C0, DEL and C1 escaped. */
static void
add_json(unsigned char *b, size_t *len, const unsigned char *p, size_t n)
{
	size_t i, k;
	char u[8];

	adds(b, len, "\"");
	for (i = 0; i < n; i += k) {
		k = 1;
		if (p[i] == '"' || p[i] == '\\') {
			adds(b, len, "\\");
			add(b, len, p + i, 1);
		} else if (p[i] == '\n')
			adds(b, len, "\\n");
		else if (p[i] == '\t')
			adds(b, len, "\\t");
		else if (p[i] == '\r')
			adds(b, len, "\\r");
		else if (p[i] < 0x20 || p[i] == 0x7F) {
			snprintf(u, sizeof(u), "\\u%04x", p[i]);
			adds(b, len, u);
		} else if ((k = utf8_len(p + i, n - i)) == 0) {
			k = 1;
			adds(b, len, "\xef\xbf\xbd");
		} else if (p[i] == 0xC2 && p[i + 1] < 0xA0) {
			/* C1 controls, U+0080-U+009F. */
			snprintf(u, sizeof(u), "\\u%04x", p[i + 1]);
			adds(b, len, u);
		} else
			add(b, len, p + i, k);
	}
	adds(b, len, "\"");
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
			    f[i] == 'r' ? '\r' : f[i] == '0' ? '\0' : f[i];
		} else
			out[k++] = f[i];
	}
	return k;
}

/* The record "k<TAB>TEXT\n" in format f, fed in pieces of piece bytes. */
static size_t
render_record(const struct nt_lexicon *lex, unsigned flags, size_t block,
    const char *f, const uint8_t *text, size_t n, size_t piece,
    unsigned char *buf, size_t cap)
{
	static unsigned char in[2 * MAXTEXT + 8];
	const struct nt_trie *tries[1] = { nt_lex_trie(lex, 0) };
	struct nt_out_config oc;
	struct nt_match_config mc;
	struct nt_matcher *m;
	struct nt_records *r;
	struct nt_out *o;
	size_t i, k, len = 0;
	int fd = memfd_create("rec", 0);

	in[len++] = 'k';
	in[len++] = '\t';
	for (i = 0; i < n; i++)
		switch (text[i]) {
		case '\\': in[len++] = '\\'; in[len++] = '\\'; break;
		case '\t': in[len++] = '\\'; in[len++] = 't'; break;
		case '\n': in[len++] = '\\'; in[len++] = 'n'; break;
		case '\r': in[len++] = '\\'; in[len++] = 'r'; break;
		default: in[len++] = text[i];
		}
	in[len++] = '\n';
	memset(&oc, 0, sizeof(oc));
	oc.fd = fd;
	oc.format = nt_out_format(f);
	oc.records = 1;
	oc.lex = lex;
	o = nt_out_new(&oc);
	memset(&mc, 0, sizeof(mc));
	mc.tries = tries;
	mc.ntries = 1;
	mc.flags = flags;
	mc.block = block;
	mc.text = nt_out_text;
	mc.span = nt_out_span;
	mc.ctx = o;
	m = nt_match_new(&mc);
	r = nt_rec_new(m, o);
	for (i = 0; i < len; i += k) {
		k = len - i < piece ? len - i : piece;
		nt_rec_feed(r, in + i, k);
	}
	nt_rec_finish(r);
	nt_rec_free(r);
	nt_match_free(m);
	if (nt_out_flush(o) != 0)
		abort();
	nt_out_free(o);
	return slurp(fd, buf, cap);
}

struct tspan {
	size_t start, end;
	const unsigned char *id;	/* in the tsv output, escaped */
	size_t idlen;
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static unsigned char out[NOUT][OUTCAP], want[OUTCAP];
	static unsigned char back[MAXTEXT + 64], field[OUTCAP];
	static struct tspan sp[MAXSPANS];
	size_t len[NOUT], ntext, n, nb, nsp, wl, i, fl, last;
	struct nt_lexicon *lex;
	struct nt_error e;
	struct fz_gaz g;
	const uint8_t *text;
	unsigned char *p, *end, *nl, *t1, *t2, *t3, *t4;
	unsigned flags;
	unsigned long line, line2;
	const char *why, *why2;
	char path[] = "/tmp/nertag-fuzz-gaz.XXXXXX", num[64];
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
	 * names the file syntax cannot hold (a tab, a CR, a leading # or BOM)
	 * are left out.
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
	render(lex, flags, 1 + (data[0] >> 2 & 15), text, ntext, out, len);

	/* xml: --untag gives the text back. */
	nb = untag(out[O_XML], len[O_XML], 1 + (size_t)(data[0] >> 6) * 3,
	    back, sizeof(back), &why, &line);
	if (why != NULL || nb != ntext || memcmp(back, text, ntext) != 0)
		abort();

	/*
	 * tsv: START END LABEL TEXT ID; spans in order, apart, and TEXT is
	 * exactly the input bytes at the offsets.
	 */
	last = 0;
	nsp = 0;
	for (p = out[O_TSV], end = p + len[O_TSV]; p < end; p = nl + 1) {
		unsigned long s, z;

		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			abort();
		t1 = memchr(p, '\t', (size_t)(nl - p));
		t2 = t1 ? memchr(t1 + 1, '\t', (size_t)(nl - t1 - 1)) : NULL;
		t3 = t2 ? memchr(t2 + 1, '\t', (size_t)(nl - t2 - 1)) : NULL;
		t4 = t3 ? memchr(t3 + 1, '\t', (size_t)(nl - t3 - 1)) : NULL;
		if (t4 == NULL || memchr(t4 + 1, '\t',
		    (size_t)(nl - t4 - 1)) != NULL)
			abort();
		s = strtoul((char *)p, NULL, 10);
		z = strtoul((char *)t1 + 1, NULL, 10);
		if (s < last || z <= s || z > ntext ||
		    t3 - t2 != 2 || t2[1] != 'T' ||
		    unescape(t3 + 1, (size_t)(t4 - t3 - 1), field) != z - s ||
		    memcmp(field, text + s, z - s) != 0 ||
		    nl - t4 < 7 || memcmp(t4 + 1, "id<&\"", 5) != 0 ||
		    nl[-1] != '>')
			abort();
		last = z;
		sp[nsp].start = s;
		sp[nsp].end = z;
		sp[nsp].id = t4 + 1;
		sp[nsp].idlen = (size_t)(nl - t4 - 1);
		nsp++;
	}

	/* The other formats, rebuilt from those spans. */
	for (wl = 0, last = 0, i = 0; i < nsp; i++) {
		/* inline */
		fl = unescape(sp[i].id, sp[i].idlen, field);
		add(want, &wl, text + last, sp[i].start - last);
		adds(want, &wl, "<T");
		if (fl != sp[i].end - sp[i].start ||
		    memcmp(field, text + sp[i].start, fl) != 0) {
			adds(want, &wl, " id=\"");
			add_xml(want, &wl, field, fl, 1);
			adds(want, &wl, "\"");
		}
		adds(want, &wl, ">");
		add(want, &wl, text + sp[i].start, sp[i].end - sp[i].start);
		adds(want, &wl, "</T>");
		last = sp[i].end;
	}
	add(want, &wl, text + last, ntext - last);
	if (wl != len[O_INLINE] || memcmp(want, out[O_INLINE], wl) != 0)
		abort();
	for (wl = 0, i = 0; i < nsp; i++) {
		/* jsonl */
		fl = unescape(sp[i].id, sp[i].idlen, field);
		snprintf(num, sizeof(num), "{\"start\":%zu,\"end\":%zu,",
		    sp[i].start, sp[i].end);
		adds(want, &wl, num);
		adds(want, &wl, "\"label\":\"T\",\"text\":");
		add_json(want, &wl, text + sp[i].start,
		    sp[i].end - sp[i].start);
		adds(want, &wl, ",\"id\":");
		add_json(want, &wl, field, fl);
		adds(want, &wl, "}\n");
	}
	if (wl != len[O_JSONL] || memcmp(want, out[O_JSONL], wl) != 0)
		abort();
	for (wl = 0, i = 0; i < nsp; i++) {
		/* -o */
		adds(want, &wl, "T\t");
		add_tsv(want, &wl, text + sp[i].start, sp[i].end - sp[i].start);
		adds(want, &wl, "\n");
	}
	if (wl != len[O_ONLY] || memcmp(want, out[O_ONLY], wl) != 0)
		abort();
	for (wl = 0, i = 0; i < nsp; i++) {
		/* --offsets=chars */
		snprintf(num, sizeof(num), "%zu\t%zu\tT\t",
		    chars(text, sp[i].start), chars(text, sp[i].end));
		adds(want, &wl, num);
		add_tsv(want, &wl, text + sp[i].start, sp[i].end - sp[i].start);
		adds(want, &wl, "\t");
		add(want, &wl, sp[i].id, sp[i].idlen);
		adds(want, &wl, "\n");
	}
	if (wl != len[O_CHARS] || memcmp(want, out[O_CHARS], wl) != 0)
		abort();

	/*
	 * --untag of the text itself, which need not be xml output: the
	 * same bytes, and the same verdict on the same line, whether it
	 * comes in one piece or byte by byte.
	 */
	n = untag(text, ntext, ntext > 0 ? ntext : 1, field, sizeof(field),
	    &why, &line);
	nb = untag(text, ntext, 1, want, sizeof(want), &why2, &line2);
	if (n != nb || memcmp(field, want, n) != 0 || n > ntext ||
	    why != why2 || line != line2)
		abort();

	/* The text as one record. */
	wl = 0;
	if (ntext % 2 == 0) {
		for (p = out[O_TSV], end = p + len[O_TSV]; p < end; p = nl + 1) {
			nl = memchr(p, '\n', (size_t)(end - p));
			adds(want, &wl, "k\t");
			add(want, &wl, p, (size_t)(nl + 1 - p));
		}
	} else {
		adds(want, &wl, "k\t");
		add_tsv(want, &wl, out[O_INLINE], len[O_INLINE]);
		adds(want, &wl, "\n");
	}
	n = render_record(lex, flags, 1 + (data[0] >> 2 & 15),
	    ntext % 2 == 0 ? "tsv" : "inline", text, ntext,
	    1 + (size_t)(data[0] >> 6) * 3, field, sizeof(field));
	if (n != wl || memcmp(field, want, wl) != 0) {
		fprintf(stderr, "record: want %zu bytes \"%.*s\"\ngot %zu "
		    "bytes \"%.*s\"\n", wl, (int)wl, want, n, (int)n, field);
		abort();
	}
	nt_lex_free(lex);
	fz_free(&g);
	return 0;
}
