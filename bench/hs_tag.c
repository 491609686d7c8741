/*
 * hs_tag.c -- benchmark peer: tag gazetteer names with Hyperscan.
 *
 * Usage:
 *   hs_tag [-i] -g NAMES [FILE]         compile NAMES, tag FILE (or stdin)
 *   hs_tag [-i] -g NAMES -c OUT         compile NAMES into the file OUT
 *   hs_tag -G OUT [FILE]                load a file written by -c, tag FILE
 * NAMES: one name a line (`NAME` or `NAME<TAB>ID`, the ID is ignored),
 * `#` comment lines and blank lines skipped.  -i: HS_FLAG_CASELESS (ASCII
 * case only).  Output: `START<TAB>END<TAB>TEXT` per match, byte offsets.
 *
 * All names are compiled as pure literals (hs_compile_lit_multi), so a
 * match's start is its end minus the literal's length and no start-of-match
 * tracking is needed.  Hyperscan reports every occurrence of every literal;
 * this harness keeps those that are word-bounded (the byte before and after
 * is not a word character: Unicode L*, M*, N*, Pc via utf8proc, as nertag's
 * spec says) and then selects leftmost-longest non-overlapping matches.
 *
 * The input is scanned in block mode, 1 MiB at a time.  A match can only be
 * decided once every literal that starts at the same place has been seen,
 * so candidates that start within maxlen + 4 bytes of the end of the
 * buffered text are deferred: those bytes (and 4 bytes of left context) are
 * carried into the next buffer and scanned again.  Memory is bounded by the
 * chunk size, whatever the line length.
 *
 * The -c file is: "HSTAG001", u64 count, u32 maxlen, u32 0, u32 len[count],
 * then the bytes of hs_serialize_database().
 */
#include <sys/stat.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hs/hs.h>
#include <utf8proc.h>

#define CHUNK	(1u << 20)

struct cand {
	size_t s, e;		/* offsets into the buffer, end exclusive */
};

struct scan {
	const unsigned char *buf;
	size_t n;		/* bytes in buf */
	uint64_t base;		/* absolute offset of buf[0] */
	uint64_t commit;	/* no match may start before this */
	uint64_t horizon;	/* candidates starting here or later wait */
	int eof;		/* buf ends at the end of the input */
	const uint32_t *len;
	struct cand *c;
	size_t nc, cap;
};

static uint32_t *lens;
static uint64_t nlit;
static uint32_t maxlen;

static char outbuf[1 << 16];
static size_t outn;

static void
out_flush(void)
{
	if (outn > 0 && fwrite(outbuf, 1, outn, stdout) != outn)
		err(1, "write");
	outn = 0;
}

static void
out_bytes(const void *p, size_t n)
{
	if (n > sizeof(outbuf) - outn) {
		out_flush();
		if (n > sizeof(outbuf)) {
			if (fwrite(p, 1, n, stdout) != n)
				err(1, "write");
			return;
		}
	}
	memcpy(outbuf + outn, p, n);
	outn += n;
}

static void
out_u64(uint64_t v)
{
	char tmp[24];
	int i = sizeof(tmp);

	do {
		tmp[--i] = '0' + v % 10;
		v /= 10;
	} while (v > 0);
	out_bytes(tmp + i, sizeof(tmp) - i);
}

static int
is_word_cp(utf8proc_int32_t c)
{
	if (c < 0x80)
		return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
		    (c >= 'A' && c <= 'Z') || c == '_';
	switch (utf8proc_category(c)) {
	case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL:
	case UTF8PROC_CATEGORY_LT: case UTF8PROC_CATEGORY_LM:
	case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_MN:
	case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
	case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL:
	case UTF8PROC_CATEGORY_NO: case UTF8PROC_CATEGORY_PC:
		return 1;
	default:
		return 0;
	}
}

/* Is the character starting at buf[i] (i < n) a word character? */
static int
word_at(const unsigned char *buf, size_t n, size_t i)
{
	utf8proc_int32_t c;

	if (buf[i] < 0x80)
		return is_word_cp(buf[i]);
	if (utf8proc_iterate(buf + i, n - i, &c) < 0)
		return 0;	/* invalid UTF-8 is never a word character */
	return is_word_cp(c);
}

/* Is the character ending just before buf[i] (i > 0) a word character? */
static int
word_before(const unsigned char *buf, size_t i)
{
	size_t j = i - 1;
	utf8proc_int32_t c;

	if (buf[j] < 0x80)
		return is_word_cp(buf[j]);
	while (j > 0 && i - j < 4 && (buf[j] & 0xC0) == 0x80)
		j--;
	if (utf8proc_iterate(buf + j, i - j, &c) != (utf8proc_ssize_t)(i - j))
		return 0;	/* invalid UTF-8 is never a word character */
	return is_word_cp(c);
}

static int
on_match(unsigned int id, unsigned long long from, unsigned long long to,
    unsigned int flags, void *ctx)
{
	struct scan *sc = ctx;
	size_t s = to - sc->len[id], e = to;

	(void)from;
	(void)flags;
	if (sc->base + s < sc->commit || sc->base + s >= sc->horizon)
		return 0;
	if (sc->base + s > 0 && word_before(sc->buf, s))
		return 0;
	if (e < sc->n && word_at(sc->buf, sc->n, e))
		return 0;
	if (sc->nc == sc->cap) {
		sc->cap = sc->cap ? 2 * sc->cap : 1024;
		sc->c = realloc(sc->c, sc->cap * sizeof(*sc->c));
		if (sc->c == NULL)
			err(1, NULL);
	}
	sc->c[sc->nc].s = s;
	sc->c[sc->nc].e = e;
	sc->nc++;
	return 0;
}

static int
cand_cmp(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;

	if (x->s != y->s)
		return x->s < y->s ? -1 : 1;
	if (x->e != y->e)
		return x->e > y->e ? -1 : 1;	/* longest first */
	return 0;
}

static void
tag(hs_database_t *db, int fd)
{
	hs_scratch_t *scratch = NULL;
	struct scan sc = { 0 };
	size_t cap = CHUNK + maxlen + 16, i;
	unsigned char *buf = malloc(cap);
	ssize_t r;

	if (buf == NULL)
		err(1, NULL);
	if (hs_alloc_scratch(db, &scratch) != HS_SUCCESS)
		errx(1, "hs_alloc_scratch failed");
	sc.buf = buf;
	sc.len = lens;
	for (;;) {
		while (!sc.eof && sc.n < cap) {
			r = read(fd, buf + sc.n, cap - sc.n);
			if (r < 0) {
				if (errno == EINTR)
					continue;
				err(1, "read");
			}
			if (r == 0)
				sc.eof = 1;
			sc.n += r;
		}
		sc.horizon = sc.eof ? sc.base + sc.n :
		    sc.base + sc.n - maxlen - 4;
		sc.nc = 0;
		if (sc.n > 0 && hs_scan(db, (const char *)buf, sc.n, 0,
		    scratch, on_match, &sc) != HS_SUCCESS)
			errx(1, "hs_scan failed");
		qsort(sc.c, sc.nc, sizeof(*sc.c), cand_cmp);
		for (i = 0; i < sc.nc; i++) {
			if (sc.base + sc.c[i].s < sc.commit)
				continue;
			out_u64(sc.base + sc.c[i].s);
			out_bytes("\t", 1);
			out_u64(sc.base + sc.c[i].e);
			out_bytes("\t", 1);
			out_bytes(buf + sc.c[i].s, sc.c[i].e - sc.c[i].s);
			out_bytes("\n", 1);
			sc.commit = sc.base + sc.c[i].e;
		}
		if (sc.eof)
			break;
		if (sc.commit < sc.horizon)
			sc.commit = sc.horizon;
		{
			uint64_t keep = sc.commit >= 4 ? sc.commit - 4 : 0;
			size_t k = keep - sc.base;

			if (k > sc.n)
				k = sc.n;
			memmove(buf, buf + k, sc.n - k);
			sc.n -= k;
			sc.base += k;
		}
	}
	out_flush();
	hs_free_scratch(scratch);
	free(sc.c);
	free(buf);
}

static char *
slurp(const char *path, size_t *np)
{
	struct stat st;
	char *p;
	size_t n = 0;
	ssize_t r;
	int fd;

	if ((fd = open(path, O_RDONLY)) < 0 || fstat(fd, &st) < 0)
		err(1, "%s", path);
	if ((p = malloc(st.st_size + 1)) == NULL)
		err(1, NULL);
	while (n < (size_t)st.st_size) {
		r = read(fd, p + n, st.st_size - n);
		if (r <= 0)
			err(1, "%s", path);
		n += r;
	}
	close(fd);
	p[n] = '\0';
	*np = n;
	return p;
}

static hs_database_t *
compile_names(const char *path, unsigned flag)
{
	size_t n, cap = 0, i;
	char *text = slurp(path, &n), *p, *end, *nl, *tab;
	const char **expr = NULL;
	unsigned *flags, *ids;
	size_t *lz;
	hs_database_t *db;
	hs_compile_error_t *ce;

	for (p = text, end = text + n; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', end - p)) == NULL)
			nl = end;
		*nl = '\0';
		if (nl > p && nl[-1] == '\r')
			nl[-1] = '\0';
		if ((tab = strchr(p, '\t')) != NULL)
			*tab = '\0';
		if (*p == '\0' || *p == '#')
			continue;
		if (nlit == cap) {
			cap = cap ? 2 * cap : 4096;
			expr = realloc(expr, cap * sizeof(*expr));
			if (expr == NULL)
				err(1, NULL);
		}
		expr[nlit++] = p;
	}
	if (nlit == 0)
		errx(1, "%s: no names", path);
	flags = malloc(nlit * sizeof(*flags));
	ids = malloc(nlit * sizeof(*ids));
	lz = malloc(nlit * sizeof(*lz));
	lens = malloc(nlit * sizeof(*lens));
	if (!flags || !ids || !lz || !lens)
		err(1, NULL);
	for (i = 0; i < nlit; i++) {
		flags[i] = flag;
		ids[i] = i;
		lz[i] = lens[i] = strlen(expr[i]);
		if (lens[i] > maxlen)
			maxlen = lens[i];
	}
	if (hs_compile_lit_multi(expr, flags, ids, lz, nlit, HS_MODE_BLOCK,
	    NULL, &db, &ce) != HS_SUCCESS)
		errx(1, "%s: hs_compile_lit_multi: %s", path, ce->message);
	free(flags);
	free(ids);
	free(lz);
	free(expr);
	free(text);
	return db;
}

static void
save(hs_database_t *db, const char *path)
{
	char *bytes;
	size_t size;
	uint64_t n = nlit;
	uint32_t hdr[2] = { maxlen, 0 };
	FILE *f;

	if (hs_serialize_database(db, &bytes, &size) != HS_SUCCESS)
		errx(1, "hs_serialize_database failed");
	if ((f = fopen(path, "wb")) == NULL)
		err(1, "%s", path);
	if (fwrite("HSTAG001", 1, 8, f) != 8 || fwrite(&n, 8, 1, f) != 1 ||
	    fwrite(hdr, 4, 2, f) != 2 ||
	    fwrite(lens, 4, nlit, f) != nlit ||
	    fwrite(bytes, 1, size, f) != size || fclose(f) != 0)
		err(1, "%s", path);
	free(bytes);
}

static hs_database_t *
load(const char *path)
{
	size_t n, off;
	char *p = slurp(path, &n);
	uint64_t cnt;
	hs_database_t *db = NULL;

	if (n < 24 || memcmp(p, "HSTAG001", 8) != 0)
		errx(1, "%s: not an hs_tag database", path);
	memcpy(&cnt, p + 8, 8);
	memcpy(&maxlen, p + 16, 4);
	off = 24 + cnt * 4;
	if (off > n)
		errx(1, "%s: truncated", path);
	nlit = cnt;
	if ((lens = malloc(cnt * 4 + 1)) == NULL)
		err(1, NULL);
	memcpy(lens, p + 24, cnt * 4);
	if (hs_deserialize_database(p + off, n - off, &db) != HS_SUCCESS)
		errx(1, "%s: hs_deserialize_database failed", path);
	free(p);
	return db;
}

static void
usage(void)
{
	fprintf(stderr, "usage: hs_tag [-i] -g NAMES [-c OUT | FILE]\n"
	    "       hs_tag -G DB [FILE]\n");
	exit(2);
}

int
main(int argc, char *argv[])
{
	const char *names = NULL, *dbpath = NULL, *outpath = NULL;
	unsigned flag = 0;
	hs_database_t *db;
	int ch, fd = 0;

	while ((ch = getopt(argc, argv, "G:c:g:i")) != -1) {
		switch (ch) {
		case 'G':
			dbpath = optarg;
			break;
		case 'c':
			outpath = optarg;
			break;
		case 'g':
			names = optarg;
			break;
		case 'i':
			flag = HS_FLAG_CASELESS;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if ((names == NULL) == (dbpath == NULL) || argc > 1 ||
	    (outpath != NULL && (names == NULL || argc > 0)))
		usage();
	db = names ? compile_names(names, flag) : load(dbpath);
	if (outpath != NULL) {
		save(db, outpath);
	} else {
		if (argc == 1 && strcmp(argv[0], "-") != 0 &&
		    (fd = open(argv[0], O_RDONLY)) < 0)
			err(1, "%s", argv[0]);
		tag(db, fd);
		if (fflush(stdout) != 0 || ferror(stdout))
			err(1, "write");
	}
	hs_free_database(db);
	free(lens);
	return 0;
}
