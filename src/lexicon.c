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
 * the header records; sections 8-byte aligned):
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
 *
 * Four bytes an entry besides its ID keep an index under 64 bytes a name.
 * The checksum covers the whole file, its own field taken as zero.  A file that is
 * truncated, damaged, foreign, of another version or byte order, or built
 * with other normalisation flags is refused with a message, never used.
 */
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

#define MAGIC		"NERTAGIX"
#define VERSION		1
#define BYTE_ORDER_MARK	0x01020304u

#define NSECT		5

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
	uint64_t off[NSECT];	/* labels, idend, runs, ids, trie */
	uint64_t len[NSECT];
	uint64_t filelen;
	uint64_t checksum;	/* of the bytes after the header */
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
	int built;			/* from gazetteers, not an index */
};

struct nt_lexicon {
	unsigned flags;
	struct layer *layer;
	size_t nlayers, layercap;
	char **label;			/* lexicon labels */
	size_t nlabels, labelcap;
	struct nt_trie *exclude;	/* stop-listed names, or NULL */
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
	x->label[x->nlabels] = xmemdup(name, strlen(name));
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
		if (a->x->exclude == NULL)
			a->x->exclude = nt_trie_new();
		nt_trie_add(a->x->exclude, key, klen, 1);
		free(key);
		return NULL;
	}
	if (id == NULL) {
		/* Without an ID, the ID is the name as written. */
		while (namelen > 0 && (*name == ' ' || *name == '\t'))
			name++, namelen--;
		while (namelen > 0 && (name[namelen - 1] == ' ' ||
		    name[namelen - 1] == '\t'))
			namelen--;
		id = name;
		idlen = namelen;
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
		if (!nt_gaz_valid_label(label, strlen(label))) {
			nt_error_set(e, path, 0, "invalid label '%s' (name "
			    "the file, or declare '# label: NAME')", label);
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

/*
 * A checksum in the manner of Fletcher's: per lane, a sum of 8-byte words
 * and a sum of those sums, so that it sees changed, swapped and moved words.
 * Additions only, in four independent lanes, so that the compiler
 * vectorises it and a large index is checked at memory speed.  It catches
 * damage; it is no defence against forgery.  Feed it pieces whose sizes
 * are multiples of 32.
 */
struct sum {
	uint64_t a[4], b[4];
};

static void
sum_init(struct sum *s)
{
	int k;

	for (k = 0; k < 4; k++) {
		s->a[k] = (uint64_t)k + 1;
		s->b[k] = 0;
	}
}

static void
sum_add(struct sum *s, const unsigned char *p, size_t n)
{
	uint64_t w[4], a[4], b[4];
	size_t i;
	int k;

	/* Local sums: s may alias p as far as the compiler knows. */
	memcpy(a, s->a, sizeof(a));
	memcpy(b, s->b, sizeof(b));
	for (i = 0; i + 32 <= n; i += 32) {
		memcpy(w, p + i, 32);
		for (k = 0; k < 4; k++) {
			a[k] += w[k];
			b[k] += a[k];
		}
	}
	memcpy(s->a, a, sizeof(a));
	memcpy(s->b, b, sizeof(b));
}

static uint64_t
sum_end(const struct sum *s)
{
	uint64_t h = 0;
	int k;

	for (k = 0; k < 4; k++)
		h = (h ^ s->a[k] ^ (s->b[k] << 1 | s->b[k] >> 63)) *
		    0x9E3779B97F4A7C15u;
	return h;
}

/*
 * The checksum of an index image of n bytes: its header, with the checksum
 * field taken as zero, then everything after it.
 */
static uint64_t
checksum(const unsigned char *p, size_t n)
{
	struct header h;
	struct sum s;

	memcpy(&h, p, sizeof(h));
	h.checksum = 0;
	sum_init(&s);
	sum_add(&s, (const unsigned char *)&h, sizeof(h));
	sum_add(&s, p + sizeof(h), n - sizeof(h));
	return sum_end(&s);
}

/*
 * Check an index image and fill l from it (l may be NULL to check only).
 * x (may be NULL) receives its labels.
 */
static int
use_image(struct nt_lexicon *x, struct layer *l, const unsigned char *p,
    size_t n, unsigned flags, const char *path, struct nt_error *e)
{
	struct header h;
	const struct run *run;
	const char *lab, *end;
	size_t nrun;
	struct nt_trie *t;
	size_t i, k;

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
	/* The checksum reads whole 32-byte pieces: so are all files. */
	if (n % 32 != 0)
		goto corrupt;
	for (k = 0; k < NSECT; k++)
		if (h.off[k] < sizeof(h) || h.off[k] % 32 != 0 ||
		    h.len[k] > n || h.off[k] > n - h.len[k])
			goto corrupt;
	if (h.pad != 0 || checksum(p, n) != h.checksum)
		goto corrupt;
	if (h.flags != flags) {
		nt_error_set(e, path, 0, "index built with %s%s, but "
		    "matching now uses %s%s: compile it with the same "
		    "options",
		    h.flags & NT_NORM_CASEFOLD ? "-i" : "no -i",
		    h.flags & NT_NORM_STRIPMARK ? ", --ignore-accents" : "",
		    flags & NT_NORM_CASEFOLD ? "-i" : "no -i",
		    flags & NT_NORM_STRIPMARK ? ", --ignore-accents" : "");
		return -1;
	}
	/* Labels: nlabels valid names, each NUL-terminated. */
	lab = (const char *)p + h.off[0];
	end = lab + h.len[0];
	if (h.nlabels == 0 || h.nlabels > MAXLABELS)
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
	    h.len[2] == 0 || h.len[3] > UINT32_MAX)
		goto corrupt;
	run = (const void *)(p + h.off[2]);
	nrun = (size_t)(h.len[2] / 8);
	/* One run a gazetteer file: few, so checked here. */
	for (i = 0; i < nrun; i++)
		if (run[i].label >= h.nlabels || run[0].first != 0 ||
		    (i > 0 && run[i].first <= run[i - 1].first))
			goto corrupt;
	t = nt_trie_from_image(p + h.off[4], (size_t)h.len[4]);
	if (t == NULL || nt_trie_max_value(t) > h.nentries) {
		nt_trie_free(t);
		goto corrupt;
	}
	if (l == NULL) {
		nt_trie_free(t);
		return 0;
	}
	l->trie = t;
	l->idend = (const void *)(p + h.off[1]);
	l->run = run;
	l->nrun = nrun;
	l->nent = h.nentries;
	l->ids = (const char *)p + h.off[3];
	l->nids = (size_t)h.len[3];
	return 0;
corrupt:
	nt_error_set(e, path, 0, "index is damaged (checksum or structure "
	    "wrong): compile it again");
	return -1;
}

int
nt_lex_check_image(const void *p, size_t n, unsigned flags,
    struct nt_error *e)
{
	return use_image(NULL, NULL, p, n, flags, "index", e);
}

int
nt_lex_index(struct nt_lexicon *x, const char *path, struct nt_error *e)
{
	struct stat st;
	struct layer *l;
	void *map;
	int fd;

	if ((fd = open(path, O_RDONLY)) == -1) {
		nt_error_set(e, path, 0, "%s", strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == -1) {
		nt_error_set(e, path, 0, "%s", strerror(errno));
		close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		nt_error_set(e, path, 0, "%s", S_ISDIR(st.st_mode) ?
		    "is a directory" : "not a regular file");
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
	if (use_image(x, l, map, l->maplen, x->flags, path, e) == -1) {
		munmap(map, l->maplen);
		x->nlayers--;
		free(l->labelmap);
		return -1;
	}
	x->any_index = 1;
	return 0;
}

int
nt_lex_prepare(struct nt_lexicon *x, struct nt_error *e)
{
	size_t i;

	if (x->nlayers == 0) {
		nt_error_set(e, "", 0, "no gazetteers");
		return -1;
	}
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
	/* Gazetteers had the stop lists applied when they were built. */
	return x->any_index ? x->exclude : NULL;
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

void
nt_lex_entry(const struct nt_lexicon *x, size_t layer, uint32_t value,
    struct nt_lex_entry *ent)
{
	const struct layer *l = &x->layer[layer];
	uint32_t start, end, lab;

	/* A damaged index gives an empty ID and its first label, no crash. */
	start = value >= 2 && value - 2 < l->nent ? l->idend[value - 2] : 0;
	end = value >= 1 && value - 1 < l->nent ? l->idend[value - 1] : 0;
	if (end > l->nids || start > end)
		start = end = 0;
	lab = label_of(l, value - 1);
	ent->label_no = l->labelmap[lab];
	ent->label = x->label[ent->label_no];
	ent->id = l->ids + start;
	ent->idlen = end - start;
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

/* Sections start at multiples of 32, the checksum's step. */
static size_t
pad32(size_t n)
{
	return (n + 31) & ~(size_t)31;
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

/* The checksum of pieces of any size, taken 32 bytes at a time. */
struct sumfeed {
	struct sum s;
	unsigned char buf[32];
	size_t fill;
};

static void
sum_feed(struct sumfeed *f, const unsigned char *p, size_t n)
{
	size_t k;

	if (f->fill > 0) {
		k = 32 - f->fill < n ? 32 - f->fill : n;
		memcpy(f->buf + f->fill, p, k);
		f->fill += k;
		p += k;
		n -= k;
		if (f->fill < 32)
			return;
		sum_add(&f->s, f->buf, 32);
		f->fill = 0;
	}
	k = n & ~(size_t)31;
	sum_add(&f->s, p, k);
	memcpy(f->buf, p + k, n - k);
	f->fill = n - k;
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
	struct sumfeed sum;
	struct plan pl;
	unsigned char *labels;
	size_t i, k, pos, len;
	char *tmp;
	int fd, saved, bad;

	if (x->nlayers != 1 || !x->layer[0].built) {
		nt_error_set(e, path, 0, "an index is compiled from "
		    "gazetteers (-g) only");
		return -1;
	}
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
	pos = sizeof(h);
	pl.n = 0;
	for (i = 0; i < NSECT; i++) {
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
	h.filelen = pos;
	/* The header first, its checksum field zero, as checksum() sees it. */
	sum_init(&sum.s);
	sum.fill = 0;
	sum_feed(&sum, (const unsigned char *)&h, sizeof(h));
	for (i = 0; i < pl.n; i++)
		sum_feed(&sum, pl.p[i], pl.len[i]);
	h.checksum = sum_end(&sum.s);

	tmp = xmalloc(strlen(path) + 16);
	snprintf(tmp, strlen(path) + 16, "%s.tmpXXXXXX", path);
	if ((fd = mkstemp(tmp)) == -1) {
		nt_error_set(e, path, 0, "%s", strerror(errno));
		free(tmp);
		free(labels);
		return -1;
	}
	bad = write_all(fd, (const unsigned char *)&h, sizeof(h));
	for (i = 0; i < pl.n && bad == 0; i++)
		bad = write_all(fd, pl.p[i], pl.len[i]);
	saved = errno;
	if (bad == 0 && fchmod(fd, 0644) == -1)
		bad = -1, saved = errno;
	if (close(fd) == -1 && bad == 0)
		bad = -1, saved = errno;
	if (bad == 0 && rename(tmp, path) == -1)
		bad = -1, saved = errno;
	if (bad != 0) {
		unlink(tmp);
		nt_error_set(e, path, 0, "%s", strerror(saved));
	}
	free(tmp);
	free(labels);
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
		if (l->map != NULL)
			munmap(l->map, l->maplen);
	}
	free(x->layer);
	for (i = 0; i < x->nlabels; i++)
		free(x->label[i]);
	free(x->label);
	nt_trie_free(x->exclude);
	free(x);
}
