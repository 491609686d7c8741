/* nertag - output.c.  SPDX-License-Identifier: MIT */
/*
 * Output formats, picked from a table of {name, text, span} functions, and
 * the buffered writer under them.  Every byte a format writes is either an
 * input byte or markup it added; where the two could be confused (xml) the
 * input's own markup characters are escaped, which is what makes --untag
 * exact.  Offsets are byte offsets from the matcher, or code points counted
 * here as the bytes go by (an invalid byte counts as one).
 *
 * The writer checks every write(2), retries after EINTR and short writes,
 * and after the first failure writes nothing more: the caller sees the
 * error, stops reading and reports it once.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gazetteer.h"
#include "normalize.h"
#include "output.h"
#include "util.h"

#define OUTBUF	(128 * 1024)

struct nt_out {
	struct nt_out_config cfg;
	unsigned char *buf;
	size_t len;
	int err;		/* errno of the first write error */
	uint64_t chars;		/* code points passed since offsets restart */
	const char *file;	/* for the FILE column */
	size_t filelen;
	char *key;		/* the record's key */
	size_t keylen, keycap;
	char *ukey;		/* the key with its TSV escapes undone (jsonl) */
	size_t ukeylen, ukeycap;
	/* --untag */
	int tag;		/* where in a tag: U_* */
	unsigned attr;		/* bytes of ' id="' read */
	char ent[8];		/* an entity being read */
	size_t entlen;
	unsigned long line;	/* of the input, from 1 */
	const char *bad;	/* why the input is not nertag's xml, or NULL */
	/*
	 * The label of the tag being read, and of the element the text is
	 * in (elablen 0 if none): the writer never nests elements and closes
	 * each with its own label, so input that does otherwise is not its.
	 */
	char tlab[NT_LABEL_MAX], elab[NT_LABEL_MAX];
	size_t tlablen, elablen;
	unsigned long eline;	/* where that element opened */
};

/* --untag: the places in a tag, <LABEL> </LABEL> <LABEL id="ID">. */
enum { U_TEXT, U_OPEN, U_SLASH, U_LABEL, U_CLOSE, U_ATTR, U_VALUE, U_END };

enum { F_INLINE, F_XML, F_TSV, F_JSONL, F_ONLY };

struct format {
	const char *name;
	void (*text)(struct nt_out *, const unsigned char *, size_t);
	void (*span)(struct nt_out *, const unsigned char *, size_t,
	    const struct nt_span *, const struct nt_lex_entry *);
};

static void text_raw(struct nt_out *, const unsigned char *, size_t);
static void text_xml(struct nt_out *, const unsigned char *, size_t);
static void text_none(struct nt_out *, const unsigned char *, size_t);
static void span_inline(struct nt_out *, const unsigned char *, size_t,
    const struct nt_span *, const struct nt_lex_entry *);
static void span_tsv(struct nt_out *, const unsigned char *, size_t,
    const struct nt_span *, const struct nt_lex_entry *);
static void span_jsonl(struct nt_out *, const unsigned char *, size_t,
    const struct nt_span *, const struct nt_lex_entry *);
static void span_only(struct nt_out *, const unsigned char *, size_t,
    const struct nt_span *, const struct nt_lex_entry *);

static const struct format formats[] = {
	[F_INLINE] = { "inline", text_raw, span_inline },
	[F_XML] = { "xml", text_xml, span_inline },
	[F_TSV] = { "tsv", text_none, span_tsv },
	[F_JSONL] = { "jsonl", text_none, span_jsonl },
	[F_ONLY] = { "only", text_none, span_only },
};

static const char *const colors[] = {
	"\033[1;31m", "\033[1;32m", "\033[1;34m", "\033[1;35m", "\033[1;36m",
	"\033[1;33m"
};

int
nt_out_format(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (strcmp(name, formats[i].name) == 0)
			return (int)i;
	return -1;
}

/* --untag starts afresh: line 1, outside any tag or entity. */
static void
untag_reset(struct nt_out *o)
{
	o->line = 1;
	o->tag = U_TEXT;
	o->entlen = 0;
	o->bad = NULL;
	o->elablen = 0;
}

struct nt_out *
nt_out_new(const struct nt_out_config *cfg)
{
	struct nt_out *o = xcalloc(1, sizeof(*o));

	untag_reset(o);
	o->cfg = *cfg;
	o->buf = xmalloc(OUTBUF);
	return o;
}

static int
write_out(struct nt_out *o)
{
	const unsigned char *p = o->buf;
	size_t n = o->len;
	ssize_t r;

	if (o->cfg.sink != NULL) {
		if (n > 0)
			o->cfg.sink(o->cfg.sink_ctx, p, n);
		o->len = 0;
		return 0;
	}
	while (n > 0 && o->err == 0) {
		r = write(o->cfg.fd, p, n);
		if (r == -1) {
			if (errno != EINTR)
				o->err = errno;
			continue;
		}
		p += r;
		n -= (size_t)r;
	}
	o->len = 0;
	return o->err == 0 ? 0 : -1;
}

int
nt_out_flush(struct nt_out *o)
{
	if (o->err != 0) {
		o->len = 0;
		return -1;
	}
	return write_out(o);
}

int
nt_out_error(const struct nt_out *o)
{
	return o->err;
}

static void
put(struct nt_out *o, const void *p, size_t n)
{
	const unsigned char *s = p;
	size_t k;

	if (o->err != 0)
		return;
	while (n > 0) {
		if (o->len == OUTBUF && write_out(o) == -1)
			return;
		k = OUTBUF - o->len;
		if (k > n)
			k = n;
		memcpy(o->buf + o->len, s, k);
		o->len += k;
		s += k;
		n -= k;
	}
	if (o->cfg.line_buffered && memchr(p, '\n', (size_t)(s - (const
	    unsigned char *)p)) != NULL)
		write_out(o);
}

static void
puts_(struct nt_out *o, const char *s)
{
	put(o, s, strlen(s));
}

static void
putc_(struct nt_out *o, unsigned char c)
{
	if (o->len < OUTBUF && !o->cfg.line_buffered && o->err == 0)
		o->buf[o->len++] = c;
	else
		put(o, &c, 1);
}

/*
 * Decimal digits by hand: snprintf was a tenth of the time of tsv output.
 * Eight digits are split out of one number in a register, two lanes of
 * four, then four of two, then eight of one, each split a multiply by a
 * reciprocal and a shift that are exact in this range (checked for every
 * number below 10^8), and stored at once: digits stored one by one were
 * read back before the stores had landed, and a table of digit pairs took
 * four loads and two divisions.
 */

/* The eight digits of w < 10^8, leading zeros too, first in the low byte. */
static inline uint64_t
digits8(uint32_t w)
{
	uint64_t x = w, q, y;

	q = (x * 109951163u) >> 40;		/* x / 10^4 */
	y = q | (x - q * 10000) << 32;
	q = (y * 10486) >> 20 & 0x0000007F0000007Fu;	/* / 100 a lane */
	y = q | (y - q * 100) << 16;
	q = (y * 103) >> 10 & 0x000F000F000F000Fu;	/* / 10 a lane */
	y = q | (y - q * 10) << 8;
	return y + 0x3030303030303030u;
}

/* x with its low byte first in memory, whatever the machine's order. */
static inline void
store_le64(unsigned char *d, uint64_t x)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	x = __builtin_bswap64(x);
#endif
	memcpy(d, &x, 8);
}

/*
 * The digits of v < 10^8 at d, without leading zeros (one 0 for 0), which
 * has room for 8 bytes; returns their number.  The leading zeros are the
 * low bytes whose digit is 0; a bit in the last byte stops the count there.
 */
static inline size_t
u32_at(unsigned char *d, uint32_t v)
{
	uint64_t x = digits8(v);
	size_t z = (size_t)__builtin_ctzll((x & 0x0F0F0F0F0F0F0F0Fu) |
	    (uint64_t)1 << 56) / 8;

	store_le64(d, x >> 8 * z);
	return 8 - z;
}

/*
 * The decimal digits of v at d, which has room for 20 bytes (some past
 * the digits may be written); returns their number.
 */
static size_t
u64_at(unsigned char *d, uint64_t v)
{
	size_t n;

	if (v < 100000000)
		return u32_at(d, (uint32_t)v);
	if (v < 10000000000000000u)
		n = u32_at(d, (uint32_t)(v / 100000000));
	else {
		n = u32_at(d, (uint32_t)(v / 10000000000000000u));
		store_le64(d + n, digits8((uint32_t)(v / 100000000 %
		    100000000)));
		n += 8;
	}
	store_le64(d + n, digits8((uint32_t)(v % 100000000)));
	return n + 8;
}

static void
put_u64(struct nt_out *o, uint64_t v)
{
	unsigned char b[24];

	put(o, b, u64_at(b, v));
}

/* Count code points, for --offsets=chars. */
static void
count(struct nt_out *o, const unsigned char *p, size_t n)
{
	size_t i, k;
	int32_t cp;

	if (!o->cfg.chars)
		return;
	for (i = 0; i < n; i += k) {
		if (p[i] < 0x80)
			k = 1;
		else if ((k = nt_norm_decode(p + i, n - i, &cp)) == 0)
			k = 1;
		o->chars++;
	}
}

/*
 * Write p with the escapes of a TSV field (\\ \t \n \r, and \0 for a NUL
 * byte, as jq's @tsv writes U+0000); also used for the text of records,
 * which must stay on one line.
 */
static void
put_tsv(struct nt_out *o, const unsigned char *p, size_t n)
{
	size_t i, run = 0;

	for (i = 0; i < n; i++) {
		const char *e;

		switch (p[i]) {
		case '\\': e = "\\\\"; break;
		case '\t': e = "\\t"; break;
		case '\n': e = "\\n"; break;
		case '\r': e = "\\r"; break;
		case '\0': e = "\\0"; break;	/* as jq writes U+0000 */
		default: continue;
		}
		put(o, p + run, i - run);
		put(o, e, 2);
		run = i + 1;
	}
	put(o, p + run, n - run);
}

static void
put_raw(struct nt_out *o, const unsigned char *p, size_t n)
{
	put(o, p, n);
}

/* Input text as it is, or TSV-escaped inside a record. */
static void
put_text(struct nt_out *o, const unsigned char *p, size_t n)
{
	if (o->cfg.records)
		put_tsv(o, p, n);
	else
		put(o, p, n);
}

/*
 * p with & < > escaped: as text, or with XML_ATTR as an attribute value
 * (quotes and line ends too); the rest through put_text(), or with XML_RAW
 * as it is (a record's key, whose TSV escapes are kept as read).
 */
enum { XML_ATTR = 1, XML_RAW = 2 };

static void
put_xml(struct nt_out *o, const unsigned char *p, size_t n, int how)
{
	size_t i, run = 0;
	int attr = how & XML_ATTR;
	void (*out)(struct nt_out *, const unsigned char *, size_t) =
	    how & XML_RAW ? put_raw : put_text;

	for (i = 0; i < n; i++) {
		const char *e;

		switch (p[i]) {
		case '&': e = "&amp;"; break;
		case '<': e = "&lt;"; break;
		case '>': e = "&gt;"; break;
		case '"': e = attr ? "&quot;" : NULL; break;
		case '\t': e = attr ? "&#9;" : NULL; break;
		case '\n': e = attr ? "&#10;" : NULL; break;
		case '\r': e = attr ? "&#13;" : NULL; break;
		default: e = NULL; break;
		}
		if (e == NULL)
			continue;
		out(o, p + run, i - run);
		puts_(o, e);
		run = i + 1;
	}
	out(o, p + run, n - run);
}

static void
text_raw(struct nt_out *o, const unsigned char *p, size_t n)
{
	put_text(o, p, n);
}

static void
text_xml(struct nt_out *o, const unsigned char *p, size_t n)
{
	put_xml(o, p, n, 0);
}

static void
text_none(struct nt_out *o, const unsigned char *p, size_t n)
{
	(void)o;
	(void)p;
	(void)n;
}

void
nt_out_text(void *ctx, const unsigned char *p, size_t n)
{
	struct nt_out *o = ctx;

	count(o, p, n);
	formats[o->cfg.format].text(o, p, n);
}

void
nt_out_span(void *ctx, const unsigned char *p, size_t n,
    const struct nt_span *s)
{
	struct nt_out *o = ctx;
	struct nt_lex_entry ent;
	struct nt_span cs;

	/* A damaged index: write nothing more; the caller reports it. */
	if (nt_lex_entry(o->cfg.lex, s->layer, s->value, &ent) == -1)
		return;
	if (o->cfg.chars) {
		cs = *s;
		cs.start = o->chars;
		count(o, p, n);
		cs.end = o->chars;
		s = &cs;
	}
	formats[o->cfg.format].span(o, p, n, s, &ent);
}

/*
 * n bytes from p to d, a short run in moves of fixed size that may
 * overlap (a call of memcpy() cost more than the move for a name).
 */
static inline void
copy_at(unsigned char *d, const unsigned char *p, size_t n)
{
	uint64_t a, b;
	uint32_t c, f;

	if (n > 16)
		memcpy(d, p, n);
	else if (n >= 8) {
		memcpy(&a, p, 8);
		memcpy(&b, p + n - 8, 8);
		memcpy(d, &a, 8);
		memcpy(d + n - 8, &b, 8);
	} else if (n >= 4) {
		memcpy(&c, p, 4);
		memcpy(&f, p + n - 4, 4);
		memcpy(d, &c, 4);
		memcpy(d + n - 4, &f, 4);
	} else
		while (n-- > 0)
			*d++ = *p++;
}

/* A label at d, in one move if short (its buffer is padded: lexicon.h). */
static inline size_t
label_at(unsigned char *d, const struct nt_lex_entry *e)
{
	if (e->labellen <= 16)
		memcpy(d, e->label, 16);
	else
		memcpy(d, e->label, e->labellen);
	return e->labellen;
}

static void
span_inline(struct nt_out *o, const unsigned char *p, size_t n,
    const struct nt_span *s, const struct nt_lex_entry *e)
{
	int xml = o->cfg.format == F_XML;
	int same = e->idlen == n && memcmp(e->id, p, n) == 0;
	const unsigned char *q;
	const char *color;
	unsigned char *d;
	int on;

	(void)s;
	/*
	 * The common case, a name whose ID is itself, written into the
	 * buffer in one pass as the tsv writer does.
	 */
	if (same && !xml && !o->cfg.color && !o->cfg.records &&
	    !o->cfg.line_buffered && o->err == 0 &&
	    2 * e->labellen + n + 5 + 16 <= OUTBUF - o->len) {
		d = o->buf + o->len;
		*d++ = '<';
		d += label_at(d, e);
		*d++ = '>';
		copy_at(d, p, n);
		d += n;
		*d++ = '<';
		*d++ = '/';
		d += label_at(d, e);
		*d++ = '>';
		o->len = (size_t)(d - o->buf);
		return;
	}
	color = o->cfg.color ? colors[e->label_no % (sizeof(colors) /
	    sizeof(colors[0]))] : NULL;
	if (color != NULL)
		puts_(o, color);
	putc_(o, '<');
	puts_(o, e->label);
	if (!same) {
		puts_(o, " id=\"");
		put_xml(o, (const unsigned char *)e->id, e->idlen, XML_ATTR);
		putc_(o, '"');
	}
	putc_(o, '>');
	/*
	 * Colour ends before a line feed and starts again after it, so that
	 * a pager (less -R) that shows a line without the ones before it
	 * shows it in its colour, and an empty line gets none.
	 */
	on = 1;
	while (color != NULL && !o->cfg.records &&
	    (q = memchr(p, '\n', n)) != NULL) {
		if (q > p && !on)
			puts_(o, color);
		put(o, p, (size_t)(q - p));
		if (q > p || on)
			puts_(o, "\033[m");
		putc_(o, '\n');
		on = 0;
		n -= (size_t)(q - p) + 1;
		p = q + 1;
	}
	if (color != NULL && !on)
		puts_(o, color);
	if (xml)
		put_xml(o, p, n, 0);
	else
		put_text(o, p, n);
	puts_(o, "</");
	puts_(o, e->label);
	putc_(o, '>');
	if (color != NULL)
		puts_(o, "\033[m");
}

/* The FILE and KEY columns that lead a line, where they apply. */
static void
lead(struct nt_out *o)
{
	if (o->cfg.show_file) {
		put_tsv(o, (const unsigned char *)o->file, o->filelen);
		putc_(o, '\t');
	}
	if (o->cfg.records) {
		put(o, o->key, o->keylen);
		putc_(o, '\t');
	}
}

/*
 * p as a TSV field at d (room for 2 * n bytes); returns its length.  Eight
 * bytes at a time while none of them may need an escape (none below 0x0E,
 * none a backslash), as names seldom do.
 */
#define ONES	0x0101010101010101u
#define HIGHS	0x8080808080808080u

static inline int
tsv_clean(uint64_t v)
{
	uint64_t b = v ^ (ONES * '\\');

	return ((((v - ONES * 0x0E) & ~v) | ((b - ONES) & ~b)) & HIGHS) == 0;
}

static size_t
tsv_at(unsigned char *d, const unsigned char *p, size_t n)
{
	unsigned char *start = d;
	uint64_t v;
	size_t i = 0;

	if (n >= 8) {
		for (; i + 8 < n; i += 8) {
			memcpy(&v, p + i, 8);
			if (!tsv_clean(v))
				break;
			memcpy(d + i, &v, 8);
		}
		/* The last eight bytes, over some already copied. */
		if (i + 8 >= n) {
			memcpy(&v, p + n - 8, 8);
			if (tsv_clean(v)) {
				memcpy(d + n - 8, &v, 8);
				return n;
			}
		}
		d += i;
	} else if (n >= 4) {
		/*
		 * Short names are most names: two four-byte loads that may
		 * overlap cover the field without reading past it.
		 */
		uint32_t a, b;

		memcpy(&a, p, 4);
		memcpy(&b, p + n - 4, 4);
		if (tsv_clean((uint64_t)a << 32 | b)) {
			memcpy(d, &a, 4);
			memcpy(d + n - 4, &b, 4);
			return n;
		}
	}
	for (; i < n; i++) {
		unsigned char c = p[i];

		if (c > '\\' || (c != '\\' && c != '\t' && c != '\n' &&
		    c != '\r')) {
			*d++ = c;
			continue;
		}
		*d++ = '\\';
		*d++ = c == '\t' ? 't' : c == '\n' ? 'n' : c == '\r' ? 'r' :
		    '\\';
	}
	return (size_t)(d - start);
}

static void
span_tsv(struct nt_out *o, const unsigned char *p, size_t n,
    const struct nt_span *s, const struct nt_lex_entry *e)
{
	size_t lablen = e->labellen, need;
	unsigned char *d;

	/*
	 * A whole line that fits in the buffer's free room is written there
	 * in one pass: piece by piece, the line cost more than the match.
	 */
	need = 2 * 20 + 5 + 16 + lablen + 2 * n + 2 * e->idlen +
	    (o->cfg.show_file ? 2 * o->filelen + 1 : 0) +
	    (o->cfg.records ? o->keylen + 1 : 0);
	if (!o->cfg.line_buffered && o->err == 0 && need <= OUTBUF - o->len) {
		d = o->buf + o->len;
		if (o->cfg.show_file) {
			d += tsv_at(d, (const unsigned char *)o->file,
			    o->filelen);
			*d++ = '\t';
		}
		if (o->cfg.records) {
			memcpy(d, o->key, o->keylen);
			d += o->keylen;
			*d++ = '\t';
		}
		d += u64_at(d, s->start);
		*d++ = '\t';
		d += u64_at(d, s->end);
		*d++ = '\t';
		d += label_at(d, e);
		*d++ = '\t';
		d += tsv_at(d, p, n);
		*d++ = '\t';
		d += tsv_at(d, (const unsigned char *)e->id, e->idlen);
		*d++ = '\n';
		o->len = (size_t)(d - o->buf);
		return;
	}
	lead(o);
	put_u64(o, s->start);
	putc_(o, '\t');
	put_u64(o, s->end);
	putc_(o, '\t');
	puts_(o, e->label);
	putc_(o, '\t');
	put_tsv(o, p, n);
	putc_(o, '\t');
	put_tsv(o, (const unsigned char *)e->id, e->idlen);
	putc_(o, '\n');
}

static void
span_only(struct nt_out *o, const unsigned char *p, size_t n,
    const struct nt_span *s, const struct nt_lex_entry *e)
{
	(void)s;
	lead(o);
	puts_(o, e->label);
	putc_(o, '\t');
	put_tsv(o, p, n);
	putc_(o, '\n');
}

/*
 * A JSON string: invalid UTF-8 becomes U+FFFD, controls are escaped, DEL
 * and the C1 controls (U+0080-U+009F) too, which JSON allows raw but a
 * terminal may obey.
 */
static void
put_json(struct nt_out *o, const unsigned char *p, size_t n)
{
	size_t i, k;
	int32_t cp;
	char b[8];

	putc_(o, '"');
	for (i = 0; i < n; i += k) {
		unsigned char c = p[i];

		k = 1;
		if (c == '"' || c == '\\') {
			putc_(o, '\\');
			putc_(o, c);
		} else if (c == '\n')
			puts_(o, "\\n");
		else if (c == '\t')
			puts_(o, "\\t");
		else if (c == '\r')
			puts_(o, "\\r");
		else if (c < 0x20 || c == 0x7F) {
			snprintf(b, sizeof(b), "\\u%04x", c);
			puts_(o, b);
		} else if (c < 0x80) {
			putc_(o, c);
		} else {
			k = nt_norm_decode(p + i, n - i, &cp);
			if (k == 0 || cp < 0) {
				k = 1;
				puts_(o, "\xEF\xBF\xBD");
			} else if (cp < 0xA0) {
				snprintf(b, sizeof(b), "\\u%04x", (unsigned)cp);
				puts_(o, b);
			} else
				put(o, p + i, k);
		}
	}
	putc_(o, '"');
}

static void
span_jsonl(struct nt_out *o, const unsigned char *p, size_t n,
    const struct nt_span *s, const struct nt_lex_entry *e)
{
	putc_(o, '{');
	if (o->cfg.show_file) {
		puts_(o, "\"file\":");
		put_json(o, (const unsigned char *)o->file, o->filelen);
		putc_(o, ',');
	}
	if (o->cfg.records) {
		puts_(o, "\"key\":");
		put_json(o, (const unsigned char *)o->ukey, o->ukeylen);
		putc_(o, ',');
	}
	puts_(o, "\"start\":");
	put_u64(o, s->start);
	puts_(o, ",\"end\":");
	put_u64(o, s->end);
	puts_(o, ",\"label\":");
	put_json(o, (const unsigned char *)e->label, e->labellen);
	puts_(o, ",\"text\":");
	put_json(o, p, n);
	puts_(o, ",\"id\":");
	put_json(o, (const unsigned char *)e->id, e->idlen);
	puts_(o, "}\n");
}

void
nt_out_file(struct nt_out *o, const char *name)
{
	o->file = name;
	o->filelen = strlen(name);
	o->chars = 0;
	untag_reset(o);
}

void
nt_out_record(struct nt_out *o, const char *key, size_t n)
{
	size_t i;

	xgrow(&o->key, &o->keycap, n + 1, 1);
	memcpy(o->key, key, n);
	o->keylen = n;
	/* JSON holds the key itself: undo \t \n \r \0 \\ as for the text. */
	xgrow(&o->ukey, &o->ukeycap, n + 1, 1);
	for (o->ukeylen = i = 0; i < n; i++) {
		char c = key[i];

		if (c == '\\' && i + 1 < n && key[i + 1] != '\0' &&
		    strchr("tnr0\\", key[i + 1]) != NULL) {
			c = key[++i];
			c = c == 't' ? '\t' : c == 'n' ? '\n' : c == 'r' ? '\r' :
			    c == '0' ? '\0' : c;
		}
		o->ukey[o->ukeylen++] = c;
	}
	o->chars = 0;
	if (o->cfg.format == F_INLINE) {
		put(o, key, n);
		putc_(o, '\t');
	} else if (o->cfg.format == F_XML) {
		/* Its markup escaped, so that --untag gives it back. */
		put_xml(o, (const unsigned char *)key, n, XML_RAW);
		putc_(o, '\t');
	}
}

void
nt_out_record_end(struct nt_out *o)
{
	if (o->cfg.format == F_INLINE || o->cfg.format == F_XML)
		putc_(o, '\n');
}

void
nt_out_raw(struct nt_out *o, const void *p, size_t n)
{
	put(o, p, n);
}

/* The end of an entity that --untag does not know: pass it on as it is. */
static void
untag_unknown(struct nt_out *o)
{
	put(o, o->ent, o->entlen);
	o->entlen = 0;
}

static int
label_byte(unsigned char c, int first)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' ||
	    (!first && ((c >= '0' && c <= '9') || c == '-' || c == '.'));
}

/*
 * The next state of a tag after byte c, or -1 if no tag that nertag
 * writes goes on so: the xml format escapes every '<' and '>' of the
 * text, so one that is not part of such a tag means the input is not its
 * output, and dropping what follows would lose text.
 */
static int
tag_step(struct nt_out *o, unsigned char c)
{
	switch (o->tag) {
	case U_OPEN:
		return c == '/' ? U_SLASH : label_byte(c, 1) ? U_LABEL : -1;
	case U_SLASH:
		return label_byte(c, 1) ? U_CLOSE : -1;
	case U_LABEL:
	case U_CLOSE:
		if (label_byte(c, 0))
			return o->tag;
		if (c == '>')
			return U_TEXT;
		o->attr = 0;
		return c == ' ' && o->tag == U_LABEL ? U_ATTR : -1;
	case U_ATTR:
		if (c != (unsigned char)"id=\""[o->attr++])
			return -1;
		return o->attr == 4 ? U_VALUE : U_ATTR;
	case U_VALUE:
		if (c == '"')
			return U_END;
		return c == '<' || c == '>' || c == '\n' ? -1 : U_VALUE;
	default:
		return c == '>' ? U_TEXT : -1;
	}
}

/*
 * A tag has been read whole (o->tag is where it ended): an opening one
 * starts an element, a closing one must end the element it is in.
 */
static int
untag_element(struct nt_out *o)
{
	if (!nt_gaz_valid_label(o->tlab, o->tlablen)) {
		o->bad = "a '<' that begins no tag nertag writes";
		return -1;
	}
	if (o->tag != U_CLOSE) {
		if (o->elablen > 0) {
			o->bad = "a tag opens inside another element";
			return -1;
		}
		memcpy(o->elab, o->tlab, o->tlablen);
		o->elablen = o->tlablen;
		o->eline = o->line;
		return 0;
	}
	if (o->elablen == 0) {
		o->bad = "a closing tag with no element open";
		return -1;
	}
	if (o->elablen != o->tlablen ||
	    memcmp(o->elab, o->tlab, o->tlablen) != 0) {
		o->bad = "a closing tag does not match the open element";
		return -1;
	}
	o->elablen = 0;
	return 0;
}

int
nt_out_untag(struct nt_out *o, const unsigned char *p, size_t n)
{
	size_t i, run = 0;
	int t;

	if (o->bad != NULL)
		return -1;
	for (i = 0; i < n; i++) {
		unsigned char c = p[i];

		o->line += c == '\n';
		if (o->tag != U_TEXT) {
			t = tag_step(o, c);
			/* A label byte is kept, up to the longest label. */
			if ((t == U_LABEL || t == U_CLOSE) &&
			    o->tlablen == sizeof(o->tlab))
				t = -1;
			if (t == -1) {
				o->line -= c == '\n';
				o->bad = "a '<' that begins no tag nertag writes";
				return -1;
			}
			if (t == U_LABEL || t == U_CLOSE)
				o->tlab[o->tlablen++] = (char)c;
			else if (t == U_TEXT && untag_element(o) == -1)
				return -1;
			o->tag = t;
			run = i + 1;
			continue;
		}
		if (o->entlen > 0 && c != ';' &&
		    (o->entlen == 4 || !(c >= 'a' && c <= 'z'))) {
			/* No entity the writer knows: its bytes are text. */
			untag_unknown(o);
			run = i;
		} else if (o->entlen > 0) {
			o->ent[o->entlen++] = (char)c;
			run = i + 1;
			if (c != ';')
				continue;
			if (o->entlen == 5 && memcmp(o->ent, "&amp;", 5) == 0)
				putc_(o, '&');
			else if (o->entlen == 4 && memcmp(o->ent, "&lt;", 4) == 0)
				putc_(o, '<');
			else if (o->entlen == 4 && memcmp(o->ent, "&gt;", 4) == 0)
				putc_(o, '>');
			else {
				untag_unknown(o);
				continue;
			}
			o->entlen = 0;
			continue;
		}
		if (c != '<' && c != '&')
			continue;
		put(o, p + run, i - run);
		run = i + 1;
		if (c == '<') {
			o->tag = U_OPEN;
			o->tlablen = 0;
		} else
			o->ent[o->entlen++] = '&';
	}
	put(o, p + run, n - run);
	return 0;
}

int
nt_out_untag_end(struct nt_out *o)
{
	if (o->entlen > 0)
		untag_unknown(o);
	if (o->tag != U_TEXT && o->bad == NULL)
		o->bad = "a tag is not closed at the end of the input";
	if (o->elablen > 0 && o->bad == NULL) {
		/* Where it opened: the end of the input says nothing. */
		o->bad = "an element is not closed at the end of the input";
		o->line = o->eline;
	}
	return o->bad != NULL ? -1 : 0;
}

const char *
nt_out_untag_error(struct nt_out *o, unsigned long *line)
{
	const char *why = o->bad;

	*line = o->line;
	untag_reset(o);
	return why;
}

void
nt_out_free(struct nt_out *o)
{
	if (o == NULL)
		return;
	free(o->buf);
	free(o->key);
	free(o->ukey);
	free(o);
}
