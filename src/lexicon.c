/* nertag - lexicon.c.  SPDX-License-Identifier: MIT */
/*
 * The lexicon turns gazetteers, stop lists and compiled indexes into what
 * the matcher walks: a list of layers in priority order, each a trie whose
 * values index a table of entries (label, ID).  Gazetteers given one after
 * another share one layer; each compiled index is a layer of its own,
 * mapped from its file and used in place, so that loading it costs no
 * parsing and no building.
 *
 * The compiled index file (all integers in the writer's byte order, which
 * the header records; sections start at multiples of 32):
 *
 *	header		magic "NERTAGIX", version, byte order, flags, counts,
 *			section offsets and lengths, file length, checksum
 *	labels		nlabels NUL-terminated label names
 *	idend		nentries uint32: where each entry's ID ends in ids (it
 *			starts where the one before ends)
 *	runs		nruns x {first entry, label number} (uint32): the entries
 *			of one file are consecutive and share a label
 *	ids		the ID bytes
 *	trie		nt_trie_image(), written from nt_trie_image_pieces()
 *	stops		the normalised keys of the stop lists it was compiled
 *			with, each NUL-terminated: a stop list applies to every
 *			gazetteer in use, so they stop the others' names too
 *	sums		one uint64 checksum per 64 KiB block of the bytes from
 *			the end of the header to the start of sums
 *
 * Four bytes an entry besides its ID keep an index under 64 bytes a name.
 * The header's checksum covers the header (its own field taken as zero)
 * and the sums, and is checked at load with the small sections; the blocks
 * of the large ones are checked as they are first read (verify.c), so that
 * a 55 MB index starts in the time a small one does.  A file that is
 * truncated, foreign, of another version or byte order, or built with other
 * normalisation flags is refused at load; a damaged one is refused at load
 * or where the damage is first read, never used.
 */
#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700	/* realpath() */
#endif
#include <sys/mman.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lexicon.h"
#include "normalize.h"
#include "util.h"
#include "verify.h"

#define MAGIC		"NERTAGIX"
#define VERSION		14
#define BYTE_ORDER_MARK	0x01020304u

#define NSECT		7
#define STOPS		5	/* the stop-listed keys, each NUL-ended */
#define SUMS		6	/* the section of block checksums */

struct run {			/* entries from first on have label */
	uint32_t first;
	uint32_t label;
};
#define MAXLABELS	255	/* a label number is one byte */

struct header {
	char magic[8];
	uint32_t version;
	uint32_t byteorder;
	uint32_t flags;		/* normalisation flags it was built with */
	uint32_t nlabels;
	uint32_t nentries;
	uint32_t pad;
	uint64_t off[NSECT];	/* labels, idend, runs, ids, trie, stops, sums */
	uint64_t len[NSECT];
	uint64_t filelen;
	uint64_t checksum;	/* of the header and the sums */
	uint64_t reserved[4];	/* zero */
};

_Static_assert(sizeof(struct header) % 32 == 0, "sections align to 32");

struct layer {
	struct nt_trie *trie;
	const uint32_t *idend;		/* nent: end of each ID in ids */
	const struct run *run;		/* nrun label runs, by first entry */
	uint32_t *ownidend;		/* when built here */
	struct run *ownrun;
	size_t nent, entcap, nrun, runcap;
	const char *ids;		/* nids bytes */
	char *ownids;
	size_t nids, idscap;
	unsigned *labelmap;		/* layer label -> lexicon label */
	size_t nlabels;
	void *map;			/* a mapped index, maplen bytes */
	size_t maplen;
	struct nt_guard *guard;		/* checks map's blocks, or NULL */
	char *path;			/* of the index, for messages */
	int built;			/* from gazetteers, not an index */
	/*
	 * An index's stop-listed keys, read (and their blocks checked) only
	 * when other layers need them: alone, its names were stopped when it
	 * was compiled, and a large stop list would slow its start.
	 */
	const unsigned char *stops;
	size_t stopslen;
};

struct nt_lexicon {
	unsigned flags;
	struct layer *layer;
	size_t nlayers, layercap;
	char **label;			/* lexicon labels */
	size_t *labellen;		/* their lengths */
	size_t nlabels, labelcap, lencap;
	struct nt_trie *exclude;	/* stop-listed names, or NULL */
	/*
	 * The keys of the stop lists read as text, each NUL-ended, for an
	 * index compiled from them to carry: a stop list applies to every
	 * gazetteer in use, so one compiled from a folder must stop the
	 * names of the others it is used with.  textstops is set if there
	 * are such keys, indexstops counts the indexes that carry some and
	 * nindex the indexes: one index alone had its own names stopped when
	 * it was compiled, and its matches need no veto.
	 */
	unsigned char *stops;
	size_t stopslen, stopscap;
	int textstops;
	size_t indexstops, nindex;
	int damaged;			/* a guard found a damaged block */
	int any_index;
	int prepared;
};

/* The context of one gazetteer file while it is parsed. */
struct adding {
	struct nt_lexicon *x;
	struct layer *l;
	uint32_t label;			/* layer label number */
	int stoplist;
};

/* A stop-listed key (normalised), for the matcher. */
static void
stop_key(struct nt_lexicon *x, const unsigned char *key, size_t klen)
{
	if (x->exclude == NULL)
		x->exclude = nt_trie_new();
	nt_trie_add(x->exclude, key, klen, 1);
}

struct nt_lexicon *
nt_lex_new(unsigned flags)
{
	struct nt_lexicon *x = xcalloc(1, sizeof(*x));

	x->flags = flags;
	return x;
}

static unsigned
lexicon_label(struct nt_lexicon *x, const char *name)
{
	size_t i;

	for (i = 0; i < x->nlabels; i++)
		if (strcmp(x->label[i], name) == 0)
			return (unsigned)i;
	xgrow(&x->label, &x->labelcap, x->nlabels + 1, sizeof(*x->label));
	xgrow(&x->labellen, &x->lencap, x->nlabels + 1, sizeof(*x->labellen));
	/* Padded with NULs to 16 bytes: see struct nt_lex_entry. */
	x->labellen[x->nlabels] = strlen(name);
	x->label[x->nlabels] = xcalloc(x->labellen[x->nlabels] / 16 + 1, 16);
	memcpy(x->label[x->nlabels], name, x->labellen[x->nlabels]);
	return (unsigned)x->nlabels++;
}

/* The layer label number of name in l, adding it if new. */
static uint32_t
layer_label(struct nt_lexicon *x, struct layer *l, const char *name)
{
	unsigned g = lexicon_label(x, name);
	size_t i;

	for (i = 0; i < l->nlabels; i++)
		if (l->labelmap[i] == g)
			return (uint32_t)i;
	l->labelmap = xreallocarray(l->labelmap, l->nlabels + 1,
	    sizeof(*l->labelmap));
	l->labelmap[l->nlabels] = g;
	return (uint32_t)l->nlabels++;
}

static struct layer *
new_layer(struct nt_lexicon *x)
{
	struct layer *l;

	xgrow(&x->layer, &x->layercap, x->nlayers + 1, sizeof(*x->layer));
	l = &x->layer[x->nlayers++];
	memset(l, 0, sizeof(*l));
	return l;
}

/*
 * The n bytes at p (valid UTF-8) without the white space around them, as
 * normalisation sees it: any, no-break spaces and a stray CR included.
 */
static const char *
trim_space(const char *p, size_t n, size_t *len)
{
	const unsigned char *s = (const unsigned char *)p;
	size_t i, k, first = n, last = 0;
	int32_t cp;

	/* Most names begin and end with an ASCII letter: nothing to do. */
	if (n > 0 && s[0] < 0x80 && s[n - 1] < 0x80 &&
	    nt_norm_ascii_class[s[0]] != NT_CLASS_SPACE &&
	    nt_norm_ascii_class[s[n - 1]] != NT_CLASS_SPACE) {
		*len = n;
		return p;
	}
	for (i = 0; i < n; i += k) {
		if (s[i] < 0x80) {
			k = 1;
			cp = s[i];
		} else if ((k = nt_norm_decode(s + i, n - i, &cp)) == 0)
			k = 1, cp = -1;
		if (nt_norm_class(cp) != NT_CLASS_SPACE) {
			if (first == n)
				first = i;
			last = i + k;
		}
	}
	*len = first < n ? last - first : 0;
	return p + (first < n ? first : n);
}

static const char *
add_entry(void *ctx, const char *name, size_t namelen, const char *id,
    size_t idlen, unsigned long line)
{
	struct adding *a = ctx;
	struct layer *l = a->l;
	struct nt_trie *t;
	unsigned char *key;
	size_t klen;

	(void)line;
	key = nt_norm_string((const unsigned char *)name, namelen,
	    a->x->flags, &klen);
	if (key == NULL) {
		const char *why = nt_norm_barrier((const unsigned char *)name,
		    namelen, a->x->flags);

		return why != NULL ? why : "entry cannot be normalised";
	} else if (klen == 0) {
		free(key);
		return "entry is empty after normalisation";
	} else if (klen > NT_TRIE_KEY_MAX) {
		free(key);
		return "entry longer than 1024 bytes after normalisation";
	}
	if (a->stoplist) {
		/* Kept for an index compiled from these lists, too. */
		stop_key(a->x, key, klen);
		xgrow(&a->x->stops, &a->x->stopscap, a->x->stopslen + klen + 1,
		    1);
		memcpy(a->x->stops + a->x->stopslen, key, klen);
		a->x->stops[a->x->stopslen + klen] = '\0';
		a->x->stopslen += klen + 1;
		a->x->textstops = 1;
		free(key);
		return NULL;
	}
	if (id == NULL) {
		/* Without an ID, the ID is the name as written. */
		id = trim_space(name, namelen, &idlen);
	}
	if (l->nent >= UINT32_MAX - 1 || l->nids > UINT32_MAX - idlen) {
		free(key);
		return "too many entries";
	}
	xgrow(&l->ownidend, &l->entcap, l->nent + 1, sizeof(*l->ownidend));
	xgrow(&l->ownids, &l->idscap, l->nids + idlen, 1);
	memcpy(l->ownids + l->nids, id, idlen);
	l->nids += idlen;
	l->ownidend[l->nent] = (uint32_t)l->nids;
	l->nent++;
	t = l->trie;
	nt_trie_add(t, key, klen, (uint32_t)l->nent);
	free(key);
	return NULL;
}

/* Read one gazetteer (stoplist == 0) or stop-list file. */
static int
add_file(struct nt_lexicon *x, const char *path, const char *label,
    int stoplist, struct nt_error *e)
{
	struct adding a;
	char *buf, *own = NULL, *decl = NULL;
	const char *why;
	size_t n;
	long count;

	if (nt_gaz_slurp(path, &buf, &n, e) == -1)
		return -1;
	a.x = x;
	a.stoplist = stoplist;
	a.l = NULL;
	a.label = 0;
	if (!stoplist) {
		if (x->nlayers == 0 || !x->layer[x->nlayers - 1].built) {
			a.l = new_layer(x);
			a.l->built = 1;
			a.l->trie = nt_trie_new();
		} else
			a.l = &x->layer[x->nlayers - 1];
	}
	/*
	 * The label is known only once the declaration has been read; entries
	 * are labelled with a placeholder and fixed up afterwards.
	 */
	if (a.l != NULL) {
		/* A line is rarely under 8 bytes: room for all, copied once. */
		nt_trie_reserve(a.l->trie, a.l->nent + n / 8, n + n / 4);
		xgrow(&a.l->ownids, &a.l->idscap, a.l->nids + n, 1);
		xgrow(&a.l->ownidend, &a.l->entcap, a.l->nent + n / 8,
		    sizeof(*a.l->ownidend));
	}
	count = nt_gaz_parse(buf, n, path, add_entry, &a, &decl, e);
	free(buf);
	if (count == -1)
		return -1;
	if (count == 0 && !stoplist) {
		free(decl);
		nt_error_set(e, path, 0, "no entries");
		return -1;
	}
	if (!stoplist) {
		struct layer *l = a.l;
		uint32_t lab, first;

		if (label == NULL)
			label = decl != NULL ? decl :
			    (own = nt_gaz_label_from_path(path));
		if ((why = nt_gaz_label_problem(label,
		    strlen(label))) != NULL) {
			nt_error_set(e, path, 0, "invalid label '%s': %s (name "
			    "the file, or declare '# label: NAME')", label,
			    why);
			free(decl);
			free(own);
			return -1;
		}
		lab = layer_label(x, l, label);
		if (lab >= MAXLABELS) {
			nt_error_set(e, path, 0, "more than %d labels",
			    MAXLABELS);
			free(decl);
			free(own);
			return -1;
		}
		/* The file's entries, just added, form one run. */
		first = (uint32_t)(l->nent - (size_t)count);
		if (l->nrun == 0 || l->ownrun[l->nrun - 1].label != lab) {
			xgrow(&l->ownrun, &l->runcap, l->nrun + 1,
			    sizeof(*l->ownrun));
			l->ownrun[l->nrun].first = first;
			l->ownrun[l->nrun].label = lab;
			l->nrun++;
		}
	}
	free(decl);
	free(own);
	return 0;
}

int
nt_lex_exclude(struct nt_lexicon *x, const char *path, struct nt_error *e)
{
	return add_file(x, path, NULL, 1, e);
}

int
nt_lex_gazetteer(struct nt_lexicon *x, const char *path, const char *label,
    struct nt_error *e)
{
	struct stat st;
	char **list;
	size_t n, i;
	int r = 0;

	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		if (nt_gaz_list(path, ".exclude", &list, &n, e) == -1)
			return -1;
		for (i = 0; i < n && r == 0; i++)
			r = add_file(x, list[i], NULL, 1, e);
		nt_gaz_list_free(list, n);
		if (r == -1 || nt_gaz_list(path, ".txt", &list, &n, e) == -1)
			return -1;
		if (n == 0) {
			nt_gaz_list_free(list, n);
			nt_error_set(e, path, 0, "no gazetteer (*.txt) in "
			    "this folder");
			return -1;
		}
		for (i = 0; i < n && r == 0; i++)
			r = add_file(x, list[i], label, 0, e);
		nt_gaz_list_free(list, n);
		return r;
	}
	return add_file(x, path, label, 0, e);
}

/* Sections start at multiples of 32, the checksum's step. */
static size_t
pad32(size_t n)
{
	return (n + 31) & ~(size_t)31;
}

/*
 * The checksum of an index image's header, with the checksum field taken
 * as zero, and of its block sums (off, up to the end of the file).
 */
static uint64_t
head_checksum(const unsigned char *p, uint64_t off, uint64_t n)
{
	struct header h;
	struct nt_sum s;

	memcpy(&h, p, sizeof(h));
	h.checksum = 0;
	nt_sum_init(&s);
	nt_sum_add(&s, (const unsigned char *)&h, sizeof(h));
	nt_sum_add(&s, p + off, (size_t)(n - off));
	return nt_sum_end(&s);
}

/* The normalisation options in flags, as a message names them. */
static const char *
flag_words(uint32_t flags)
{
	static const char *const w[] = {
		"neither -i nor --ignore-accents", "-i only",
		"--ignore-accents only", "-i and --ignore-accents"
	};

	return w[(flags & NT_NORM_CASEFOLD ? 1 : 0) |
	    (flags & NT_NORM_STRIPMARK ? 2 : 0)];
}

/*
 * Check an index image and fill l from it (l may be NULL to check only).
 * x (may be NULL) receives its labels.  With whole, every block is checked
 * now; otherwise the small sections are, and the rest on first use.
 */
static int
use_image(struct nt_lexicon *x, struct layer *l, const unsigned char *p,
    size_t n, unsigned flags, int whole, const char *path,
    struct nt_error *e)
{
	struct header h;
	const struct run *run;
	const char *lab, *end;
	struct nt_guard *g = NULL;
	struct nt_trie *t;
	size_t nrun, i, k;
	uint64_t dlen;
	int scratch = 0;

	if (n < sizeof(h) || memcmp(p, MAGIC, 8) != 0) {
		nt_error_set(e, path, 0, "not a nertag index");
		return -1;
	}
	memcpy(&h, p, sizeof(h));
	if (h.byteorder != BYTE_ORDER_MARK) {
		nt_error_set(e, path, 0, "index built on a machine of "
		    "another byte order");
		return -1;
	}
	if (h.version != VERSION) {
		nt_error_set(e, path, 0, "index version %u, this nertag "
		    "reads version %u: compile it again", h.version, VERSION);
		return -1;
	}
	if (h.filelen != n) {
		nt_error_set(e, path, 0, "index truncated or extended "
		    "(%zu bytes, expected %llu)", n,
		    (unsigned long long)h.filelen);
		return -1;
	}
	/* Checksums read whole 32-byte pieces: so are all files. */
	if (n % 32 != 0 || h.pad != 0 || h.reserved[0] != 0 ||
	    h.reserved[1] != 0 || h.reserved[2] != 0 || h.reserved[3] != 0)
		goto corrupt;
	for (k = 0; k < NSECT; k++)
		if (h.off[k] < sizeof(h) || h.off[k] % 32 != 0 ||
		    h.len[k] > n || h.off[k] > n - h.len[k])
			goto corrupt;
	/* The sums come last and guard everything between them and here. */
	dlen = h.off[SUMS] - sizeof(h);
	if (h.len[SUMS] != 8 * (uint64_t)nt_guard_blocks((size_t)dlen) ||
	    h.off[SUMS] + pad32((size_t)h.len[SUMS]) != n)
		goto corrupt;
	for (k = 0; k < SUMS; k++)
		if (h.off[k] + h.len[k] > h.off[SUMS])
			goto corrupt;
	if (head_checksum(p, h.off[SUMS], n) != h.checksum)
		goto corrupt;
	if (h.flags != flags) {
		nt_error_set(e, path, 0, "index built with %s, but matching "
		    "now uses %s: compile it with the same options",
		    flag_words(h.flags), flag_words(flags));
		return -1;
	}
	/* Damage found while loading is reported here, not later. */
	g = nt_guard_new(p + sizeof(h), (size_t)dlen,
	    (const void *)(p + h.off[SUMS]), &scratch);
	if (whole && !nt_guard_check_all(g))
		goto corrupt;
	/* Labels: nlabels valid names, each NUL-terminated. */
	lab = (const char *)p + h.off[0];
	end = lab + h.len[0];
	if (h.nlabels == 0 || h.nlabels > MAXLABELS ||
	    !nt_guard_ok(g, lab, (size_t)h.len[0]))
		goto corrupt;
	for (i = 0; i < h.nlabels; i++) {
		const char *z = memchr(lab, '\0', (size_t)(end - lab));

		if (z == NULL || !nt_gaz_valid_label(lab, (size_t)(z - lab)))
			goto corrupt;
		if (l != NULL)
			layer_label(x, l, lab);
		lab = z + 1;
	}
	/*
	 * Entries are checked where they are read (nt_lex_entry()), not
	 * here, so that loading takes no time that grows with the index.
	 */
	if (h.len[1] != (uint64_t)h.nentries * 4 || h.len[2] % 8 != 0 ||
	    h.len[2] == 0 || h.len[3] > UINT32_MAX ||
	    !nt_guard_ok(g, p + h.off[2], (size_t)h.len[2]))
		goto corrupt;
	run = (const void *)(p + h.off[2]);
	nrun = (size_t)(h.len[2] / 8);
	/* One run a gazetteer file: few, so checked here. */
	for (i = 0; i < nrun; i++)
		if (run[i].label >= h.nlabels || run[0].first != 0 ||
		    (i > 0 && run[i].first <= run[i - 1].first))
			goto corrupt;
	t = nt_trie_from_image_guarded(p + h.off[4], (size_t)h.len[4], g);
	if (t == NULL || nt_trie_max_value(t) > h.nentries) {
		nt_trie_free(t);
		goto corrupt;
	}
	if (l == NULL || scratch) {
		nt_trie_free(t);
		if (scratch)
			goto corrupt;
		nt_guard_free(g);
		return 0;
	}
	l->stops = (const unsigned char *)p + h.off[STOPS];
	l->stopslen = (size_t)h.len[STOPS];
	x->indexstops += l->stopslen > 0;
	g->damaged = &x->damaged;
	l->trie = t;
	l->guard = g;
	l->idend = (const void *)(p + h.off[1]);
	l->run = run;
	l->nrun = nrun;
	l->nent = h.nentries;
	l->ids = (const char *)p + h.off[3];
	l->nids = (size_t)h.len[3];
	return 0;
corrupt:
	nt_guard_free(g);
	nt_error_set(e, path, 0, "index is damaged (checksum or structure "
	    "wrong): compile it again");
	return -1;
}

int
nt_lex_check_image(const void *p, size_t n, unsigned flags,
    struct nt_error *e)
{
	return use_image(NULL, NULL, p, n, flags, 1, "index", e);
}

/*
 * The mapped indexes and their paths, for nt_lex_mapped_path(), which a
 * signal handler calls: a fixed table, an entry written whole before its
 * count includes it.
 */
#define MAXMAPS	128
static struct {
	const char *base;
	size_t len;
	const char *path;
} maps[MAXMAPS];
static volatile size_t nmaps;

static void
map_note(const void *base, size_t len, const char *path)
{
	if (nmaps < MAXMAPS) {
		maps[nmaps].base = base;
		maps[nmaps].len = len;
		maps[nmaps].path = path;
		nmaps++;
	}
}

static void
map_forget(const void *base)
{
	size_t i;

	for (i = 0; i < nmaps; i++)
		if (maps[i].base == base)
			maps[i].len = 0;
}

const char *
nt_lex_mapped_path(const void *addr)
{
	const char *a = addr;
	size_t i;

	for (i = 0; i < nmaps; i++)
		if (a >= maps[i].base && a < maps[i].base + maps[i].len)
			return maps[i].path;
	return NULL;
}

static int
add_index(struct nt_lexicon *x, const char *path, int whole,
    struct nt_error *e)
{
	struct stat st;
	struct layer *l;
	void *map;
	int fd;

	/* A FIFO is opened without waiting for a writer, then refused. */
	if ((fd = nt_gaz_open(path, O_NONBLOCK, &st, e)) == -1)
		return -1;
	if (!S_ISREG(st.st_mode)) {
		nt_error_set(e, path, 0, "not a regular file");
		close(fd);
		return -1;
	}
	if (st.st_size < (off_t)sizeof(struct header)) {
		close(fd);
		nt_error_set(e, path, 0, "not a nertag index (too short)");
		return -1;
	}
	map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED) {
		nt_error_set(e, path, 0, "%s", strerror(errno));
		return -1;
	}
	l = new_layer(x);
	l->map = map;
	l->maplen = (size_t)st.st_size;
	if (use_image(x, l, map, l->maplen, x->flags, whole, path, e) == -1) {
		munmap(map, l->maplen);
		x->nlayers--;
		free(l->labelmap);
		return -1;
	}
	l->path = xmemdup(path, strlen(path));
	map_note(map, l->maplen, l->path);
	x->any_index = 1;
	x->nindex++;
	return 0;
}

int
nt_lex_index(struct nt_lexicon *x, const char *path, struct nt_error *e)
{
	return add_index(x, path, 0, e);
}

int
nt_lex_index_whole(struct nt_lexicon *x, const char *path,
    struct nt_error *e)
{
	return add_index(x, path, 1, e);
}

int
nt_lex_damage(const struct nt_lexicon *x, struct nt_error *e)
{
	const struct nt_guard *g;
	size_t i;

	if (!x->damaged)
		return 0;
	for (i = 0; i < x->nlayers; i++) {
		g = x->layer[i].guard;
		if (g == NULL || g->state[g->bad_block] != 2)
			continue;
		nt_error_set(e, x->layer[i].path, 0, "index is damaged "
		    "(block %zu, bytes %zu to %zu after the header, fails its "
		    "checksum): compile it again", g->bad_block,
		    g->bad_block << NT_BLOCK_SHIFT,
		    ((g->bad_block + 1) << NT_BLOCK_SHIFT) - 1);
		return -1;
	}
	nt_error_set(e, "", 0, "an index is damaged: compile it again");
	return -1;
}

const int *
nt_lex_damaged_flag(const struct nt_lexicon *x)
{
	return &x->damaged;
}

size_t
nt_lex_guarded(const struct nt_lexicon *x)
{
	size_t i, n = 0;

	for (i = 0; i < x->nlayers; i++)
		if (x->layer[i].guard != NULL)
			n += x->layer[i].guard->len;
	return n;
}

void
nt_lex_check_all(struct nt_lexicon *x)
{
	size_t i;

	for (i = 0; i < x->nlayers; i++)
		if (x->layer[i].guard != NULL)
			nt_guard_check_all(x->layer[i].guard);
}

/*
 * Add an index's stop-listed keys to the lexicon's: each non-empty, at
 * most a key long, NUL-ended, in blocks that pass their checksums.
 */
static int
index_stops(struct nt_lexicon *x, const struct layer *l, struct nt_error *e)
{
	const unsigned char *p = l->stops;
	size_t i, k, n = l->stopslen;

	if (n == 0)
		return 0;
	if (!nt_guard_ok(l->guard, p, n) || p[n - 1] != '\0')
		goto corrupt;
	for (i = 0; i < n; i += k + 1) {
		k = strlen((const char *)p + i);
		if (k == 0 || k > NT_TRIE_KEY_MAX)
			goto corrupt;	/* the run stops: keys added are moot */
		stop_key(x, p + i, k);
	}
	return 0;
corrupt:
	nt_error_set(e, l->path, 0, "index is damaged (checksum or structure "
	    "wrong): compile it again");
	return -1;
}

int
nt_lex_prepare(struct nt_lexicon *x, struct nt_error *e)
{
	size_t i;

	if (x->nlayers == 0) {
		nt_error_set(e, "", 0, "no gazetteers");
		return -1;
	}
	for (i = 0; x->nlayers > 1 && i < x->nlayers; i++)
		if (index_stops(x, &x->layer[i], e) == -1)
			return -1;
	if (x->exclude != NULL)
		nt_trie_prepare(x->exclude);
	for (i = 0; i < x->nlayers; i++) {
		struct layer *l = &x->layer[i];

		if (!l->built)
			continue;
		nt_trie_prepare_except(l->trie, x->exclude);
		l->idend = l->ownidend;
		l->run = l->ownrun;
		l->ids = l->ownids;
	}
	x->prepared = 1;
	return 0;
}

size_t
nt_lex_layers(const struct nt_lexicon *x)
{
	return x->nlayers;
}

const struct nt_trie *
nt_lex_trie(const struct nt_lexicon *x, size_t layer)
{
	return x->layer[layer].trie;
}

const struct nt_trie *
nt_lex_veto(const struct nt_lexicon *x)
{
	/*
	 * Gazetteers had the stop lists applied when they were built, and an
	 * index its own when it was compiled: a veto is needed only where an
	 * index meets keys from elsewhere.
	 */
	if (!x->any_index || (!x->textstops && (x->indexstops == 0 ||
	    (x->indexstops == 1 && x->nindex == 1))))
		return NULL;
	return x->exclude;
}

/* The label number of entry i: that of the last run starting at or before. */
static uint32_t
label_of(const struct layer *l, uint32_t i)
{
	size_t lo = 0, hi = l->nrun, mid;

	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (l->run[mid].first <= i)
			lo = mid;
		else
			hi = mid;
	}
	return l->nrun > 0 && l->run[lo].label < l->nlabels ?
	    l->run[lo].label : 0;
}

/* Entry value of l, whose ID is ids[start, end). */
static void
fill_entry(const struct nt_lexicon *x, const struct layer *l, uint32_t value,
    uint32_t start, uint32_t end, struct nt_lex_entry *ent)
{
	ent->label_no = l->labelmap[label_of(l, value - 1)];
	ent->label = x->label[ent->label_no];
	ent->labellen = x->labellen[ent->label_no];
	ent->id = l->ids + start;
	ent->idlen = end - start;
}

int
nt_lex_entry(const struct nt_lexicon *x, size_t layer, uint32_t value,
    struct nt_lex_entry *ent)
{
	const struct layer *l = &x->layer[layer];
	uint32_t start, end;
	int good = 1;

	/*
	 * Asked at every match: where the entry's bytes need no guard (built
	 * here, or an index already checked whole) and are consistent, take
	 * them without the questions below.
	 */
	if (value - 1 < l->nent && (l->guard == NULL || l->guard->all)) {
		start = value >= 2 ? l->idend[value - 2] : 0;
		end = l->idend[value - 1];
		if (start <= end && end <= l->nids) {
			fill_entry(x, l, value, start, end, ent);
			return 0;
		}
	}
	/*
	 * A damaged index gives an empty ID and its first label, no crash;
	 * a damaged block also returns -1.
	 */
	if (value >= 2 && value - 2 < l->nent)
		good = nt_guard_ok(l->guard, &l->idend[value - 2], 8);
	else if (value == 1 && l->nent > 0)
		good = nt_guard_ok(l->guard, &l->idend[0], 4);
	start = good && value >= 2 && value - 2 < l->nent ?
	    l->idend[value - 2] : 0;
	end = good && value >= 1 && value - 1 < l->nent ?
	    l->idend[value - 1] : 0;
	if (end > l->nids || start > end)
		start = end = 0;
	else if (!nt_guard_ok(l->guard, l->ids + start, end - start)) {
		good = 0;
		start = end = 0;
	}
	fill_entry(x, l, value, start, end, ent);
	return good ? 0 : -1;
}

size_t
nt_lex_labels(const struct nt_lexicon *x)
{
	return x->nlabels;
}

size_t
nt_lex_names(const struct nt_lexicon *x)
{
	size_t i, n = 0;

	for (i = 0; i < x->nlayers; i++)
		n += nt_trie_keys(x->layer[i].trie);
	return n;
}

static int
write_all(int fd, const unsigned char *p, size_t n)
{
	ssize_t r;

	while (n > 0) {
		r = write(fd, p, n);
		if (r == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

/*
 * An index file as the pieces of memory it is written from, in order,
 * padding included: the trie is written from its arrays where they lie
 * rather than copied into an image first, which for a large index cost
 * as much as the writing.
 */
#define MAXPIECES	(NSECT * 2 + NT_TRIE_PIECES)
struct plan {
	const unsigned char *p[MAXPIECES];
	size_t len[MAXPIECES];
	size_t n;
};

static void
plan_add(struct plan *pl, const void *p, size_t len)
{
	if (len == 0)
		return;
	pl->p[pl->n] = p;
	pl->len[pl->n] = len;
	pl->n++;
}

/* Block checksums of the pieces, fed in any sizes, as verify.c reads them. */
struct blockfeed {
	struct nt_sum cur;
	unsigned char buf[32];
	size_t fill;		/* bytes waiting in buf */
	size_t inblock;		/* bytes summed into cur */
	uint64_t *sums;
	size_t n, cap;
};

static void
block_end(struct blockfeed *b)
{
	xgrow(&b->sums, &b->cap, b->n + 1, sizeof(*b->sums));
	b->sums[b->n++] = nt_sum_end(&b->cur);
	b->inblock = 0;
}

/* n bytes, a multiple of 32, cut at block ends. */
static void
block_whole(struct blockfeed *b, const unsigned char *p, size_t n)
{
	const size_t block = (size_t)1 << NT_BLOCK_SHIFT;
	size_t k;

	while (n > 0) {
		if (b->inblock == 0)
			nt_sum_init(&b->cur);
		k = block - b->inblock;
		if (k > n)
			k = n;
		nt_sum_add(&b->cur, p, k);
		b->inblock += k;
		p += k;
		n -= k;
		if (b->inblock == block)
			block_end(b);
	}
}

static void
block_feed(struct blockfeed *b, const unsigned char *p, size_t n)
{
	size_t k;

	if (b->fill > 0) {
		k = 32 - b->fill < n ? 32 - b->fill : n;
		memcpy(b->buf + b->fill, p, k);
		b->fill += k;
		p += k;
		n -= k;
		if (b->fill < 32)
			return;
		block_whole(b, b->buf, 32);
		b->fill = 0;
	}
	k = n & ~(size_t)31;
	block_whole(b, p, k);
	memcpy(b->buf, p + k, n - k);
	b->fill = n - k;
}

/*
 * The file an index for path is renamed onto, as a malloc'ed path: path
 * itself, or the file a symbolic link there names, so that the link is
 * kept; *mode gets the mode the new file should have, the old file's or
 * 0666 less the umask.  NULL with *e filled for what a rename would
 * destroy: a FIFO, a device, a folder, or a link to nothing.
 */
static char *
index_target(const char *path, mode_t *mode, struct nt_error *e)
{
	struct stat st;
	char *real;

	*mode = umask(0);
	umask(*mode);
	*mode = 0666 & ~*mode;
	if (lstat(path, &st) == -1)
		return xmemdup(path, strlen(path));	/* a new file */
	if (S_ISLNK(st.st_mode)) {
		if ((real = realpath(path, NULL)) == NULL) {
			nt_error_set(e, path, 0, errno == ENOENT ?
			    "not writing through a dangling symbolic link" :
			    "%s", strerror(errno));
			return NULL;
		}
		if (stat(real, &st) == 0 && S_ISREG(st.st_mode)) {
			*mode = st.st_mode & 07777;
			return real;
		}
		free(real);
	} else if (S_ISREG(st.st_mode)) {
		*mode = st.st_mode & 07777;
		return xmemdup(path, strlen(path));
	}
	nt_error_set(e, path, 0, "%s", S_ISDIR(st.st_mode) ?
	    "is a directory" : "not a regular file");
	return NULL;
}

int
nt_lex_write_index(const struct nt_lexicon *x, const char *path,
    struct nt_error *e)
{
	static const unsigned char zero[32];
	const struct layer *l;
	const unsigned char *sect[NSECT];
	struct nt_trie_pieces tp;
	struct header h;
	struct blockfeed bf;
	struct nt_sum sum;
	struct plan pl;
	unsigned char *labels, *sums;
	size_t i, k, pos, len;
	char *tmp, *target;
	mode_t mode;
	int fd, saved, bad;

	if (x->nlayers != 1 || !x->layer[0].built) {
		nt_error_set(e, path, 0, "an index is compiled from "
		    "gazetteers (-g) only");
		return -1;
	}
	if ((target = index_target(path, &mode, e)) == NULL)
		return -1;
	l = &x->layer[0];
	memset(&h, 0, sizeof(h));
	memcpy(h.magic, MAGIC, 8);
	h.version = VERSION;
	h.byteorder = BYTE_ORDER_MARK;
	h.flags = x->flags;
	h.nlabels = (uint32_t)l->nlabels;
	h.nentries = (uint32_t)l->nent;
	for (len = 0, i = 0; i < l->nlabels; i++)
		len += strlen(x->label[l->labelmap[i]]) + 1;
	labels = xmalloc(len);
	for (pos = 0, i = 0; i < l->nlabels; i++) {
		const char *s = x->label[l->labelmap[i]];

		memcpy(labels + pos, s, strlen(s) + 1);
		pos += strlen(s) + 1;
	}
	nt_trie_image_pieces(l->trie, &tp);
	sect[0] = labels;
	h.len[0] = len;
	sect[1] = (const void *)l->idend;
	h.len[1] = l->nent * 4;
	sect[2] = (const void *)l->run;
	h.len[2] = l->nrun * sizeof(*l->run);
	sect[3] = (const void *)l->ids;
	h.len[3] = l->nids;
	sect[4] = NULL;
	h.len[4] = nt_trie_image_size(l->trie);
	/* NULL in sect stands for the trie's pieces. */
	sect[STOPS] = x->stops != NULL ? x->stops : zero;
	h.len[STOPS] = x->stopslen;
	pos = sizeof(h);
	pl.n = 0;
	for (i = 0; i < SUMS; i++) {
		h.off[i] = pos;
		pos += pad32((size_t)h.len[i]);
		if (sect[i] != NULL)
			plan_add(&pl, sect[i], (size_t)h.len[i]);
		else
			for (k = 0; k < tp.n; k++)
				plan_add(&pl, tp.p[k], tp.len[k]);
		plan_add(&pl, zero, pad32((size_t)h.len[i]) -
		    (size_t)h.len[i]);
	}
	/* Every block of what lies between the header and the sums. */
	memset(&bf, 0, sizeof(bf));
	for (i = 0; i < pl.n; i++)
		block_feed(&bf, pl.p[i], pl.len[i]);
	if (bf.inblock > 0)
		block_end(&bf);
	h.off[SUMS] = pos;
	h.len[SUMS] = 8 * bf.n;
	len = pad32((size_t)h.len[SUMS]);
	/* The sums' padding, zero, in their own array. */
	xgrow(&bf.sums, &bf.cap, len / 8, sizeof(*bf.sums));
	memset(bf.sums + bf.n, 0, len - 8 * bf.n);
	sums = (unsigned char *)bf.sums;
	plan_add(&pl, sums, len);
	h.filelen = pos + len;
	/* The header, its checksum field zero, and the sums with padding. */
	nt_sum_init(&sum);
	nt_sum_add(&sum, (const unsigned char *)&h, sizeof(h));
	nt_sum_add(&sum, sums, len);
	h.checksum = nt_sum_end(&sum);

	tmp = xmalloc(strlen(target) + 16);
	snprintf(tmp, strlen(target) + 16, "%s.tmpXXXXXX", target);
	if ((fd = mkstemp(tmp)) == -1) {
		nt_error_set(e, target, 0, "%s", strerror(errno));
		free(tmp);
		free(target);
		free(labels);
		free(bf.sums);
		return -1;
	}
	bad = write_all(fd, (const unsigned char *)&h, sizeof(h));
	for (i = 0; i < pl.n && bad == 0; i++)
		bad = write_all(fd, pl.p[i], pl.len[i]);
	saved = errno;
	if (bad == 0 && fchmod(fd, mode) == -1)
		bad = -1, saved = errno;
	if (close(fd) == -1 && bad == 0)
		bad = -1, saved = errno;
	if (bad == 0 && rename(tmp, target) == -1)
		bad = -1, saved = errno;
	if (bad != 0) {
		unlink(tmp);
		nt_error_set(e, target, 0, "%s", strerror(saved));
	}
	free(tmp);
	free(target);
	free(labels);
	free(bf.sums);
	return bad;
}

void
nt_lex_free(struct nt_lexicon *x)
{
	size_t i;

	if (x == NULL)
		return;
	for (i = 0; i < x->nlayers; i++) {
		struct layer *l = &x->layer[i];

		nt_trie_free(l->trie);
		free(l->ownidend);
		free(l->ownrun);
		free(l->ownids);
		free(l->labelmap);
		if (l->map != NULL) {
			map_forget(l->map);
			munmap(l->map, l->maplen);
		}
		nt_guard_free(l->guard);
		free(l->path);
	}
	free(x->layer);
	for (i = 0; i < x->nlabels; i++)
		free(x->label[i]);
	free(x->label);
	free(x->labellen);
	nt_trie_free(x->exclude);
	free(x->stops);
	free(x);
}
