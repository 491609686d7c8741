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
 *	entries		nentries x {label, id offset, id length} (uint32)
 *	ids		the ID bytes
 *	trie		nt_trie_image()
 *
 * The checksum covers everything after the header.  A file that is
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

struct ent {
	uint32_t label;		/* layer's label number */
	uint32_t idoff;		/* in ids */
	uint32_t idlen;
};

struct header {
	char magic[8];
	uint32_t version;
	uint32_t byteorder;
	uint32_t flags;		/* normalisation flags it was built with */
	uint32_t nlabels;
	uint32_t nentries;
	uint32_t pad;
	uint64_t off[4];	/* labels, entries, ids, trie */
	uint64_t len[4];
	uint64_t filelen;
	uint64_t checksum;	/* of the bytes after the header */
};

struct layer {
	struct nt_trie *trie;
	const struct ent *ent;		/* nent entries */
	struct ent *ownent;		/* when built here */
	size_t nent, entcap;
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
	struct ent *e;
	size_t klen;

	(void)line;
	key = nt_norm_string((const unsigned char *)name, namelen,
	    a->x->flags, &klen);
	if (key == NULL) {
		return "white-space run longer than 128 bytes";
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
	xgrow(&l->ownent, &l->entcap, l->nent + 1, sizeof(*l->ownent));
	xgrow(&l->ownids, &l->idscap, l->nids + idlen, 1);
	e = &l->ownent[l->nent++];
	e->label = a->label;
	e->idoff = (uint32_t)l->nids;
	e->idlen = (uint32_t)idlen;
	memcpy(l->ownids + l->nids, id, idlen);
	l->nids += idlen;
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
		uint32_t lab;
		size_t i;

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
		for (i = l->nent - (size_t)count; i < l->nent; i++)
			l->ownent[i].label = lab;
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

/* A checksum of n bytes (n a multiple of 8), word at a time. */
static uint64_t
checksum(const unsigned char *p, size_t n)
{
	uint64_t h = 0x243F6A8885A308D3u, w;
	size_t i;

	for (i = 0; i + 8 <= n; i += 8) {
		memcpy(&w, p + i, 8);
		h = (h ^ w) * 0x9E3779B97F4A7C15u;
		h ^= h >> 29;
	}
	for (; i < n; i++)
		h = (h ^ p[i]) * 0x100000001B3u;
	return h;
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
	const struct ent *ent;
	const char *lab, *end;
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
	for (k = 0; k < 4; k++)
		if (h.off[k] < sizeof(h) || h.off[k] % 8 != 0 ||
		    h.len[k] > n || h.off[k] > n - h.len[k])
			goto corrupt;
	if (checksum(p + sizeof(h), n - sizeof(h)) != h.checksum)
		goto corrupt;
	if (h.flags != flags) {
		nt_error_set(e, path, 0, "index built with %s%s%s, but "
		    "matching now uses %s%s%s: compile it with the same "
		    "options",
		    h.flags & NT_NORM_CASEFOLD ? "-i" : "no -i",
		    h.flags & NT_NORM_STRIPMARK ? ", --ignore-accents" : "", "",
		    flags & NT_NORM_CASEFOLD ? "-i" : "no -i",
		    flags & NT_NORM_STRIPMARK ? ", --ignore-accents" : "", "");
		return -1;
	}
	/* Labels: nlabels valid names, each NUL-terminated. */
	lab = (const char *)p + h.off[0];
	end = lab + h.len[0];
	for (i = 0; i < h.nlabels; i++) {
		const char *z = memchr(lab, '\0', (size_t)(end - lab));

		if (z == NULL || !nt_gaz_valid_label(lab, (size_t)(z - lab)))
			goto corrupt;
		if (l != NULL)
			layer_label(x, l, lab);
		lab = z + 1;
	}
	if (h.len[1] != (uint64_t)h.nentries * sizeof(struct ent))
		goto corrupt;
	ent = (const void *)(p + h.off[1]);
	for (i = 0; i < h.nentries; i++)
		if (ent[i].label >= h.nlabels || ent[i].idlen > h.len[2] ||
		    ent[i].idoff > h.len[2] - ent[i].idlen)
			goto corrupt;
	t = nt_trie_from_image(p + h.off[3], (size_t)h.len[3]);
	if (t == NULL || nt_trie_max_value(t) > h.nentries) {
		nt_trie_free(t);
		goto corrupt;
	}
	if (l == NULL) {
		nt_trie_free(t);
		return 0;
	}
	l->trie = t;
	l->ent = ent;
	l->nent = h.nentries;
	l->ids = (const char *)p + h.off[2];
	l->nids = (size_t)h.len[2];
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
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
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
		l->ent = l->ownent;
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

void
nt_lex_entry(const struct nt_lexicon *x, size_t layer, uint32_t value,
    struct nt_lex_entry *ent)
{
	const struct layer *l = &x->layer[layer];
	const struct ent *e = &l->ent[value - 1];

	ent->label_no = l->labelmap[e->label];
	ent->label = x->label[ent->label_no];
	ent->id = l->ids + e->idoff;
	ent->idlen = e->idlen;
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

static size_t
pad8(size_t n)
{
	return (n + 7) & ~(size_t)7;
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

int
nt_lex_write_index(const struct nt_lexicon *x, const char *path,
    struct nt_error *e)
{
	const struct layer *l;
	struct header h;
	unsigned char *img;
	size_t i, pos, len[4], total;
	char *tmp;
	int fd, saved;

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
	len[0] = 0;
	for (i = 0; i < l->nlabels; i++)
		len[0] += strlen(x->label[l->labelmap[i]]) + 1;
	len[1] = l->nent * sizeof(struct ent);
	len[2] = l->nids;
	len[3] = nt_trie_image_size(l->trie);
	pos = pad8(sizeof(h));
	for (i = 0; i < 4; i++) {
		h.off[i] = pos;
		h.len[i] = len[i];
		pos += pad8(len[i]);
	}
	total = pos;
	h.filelen = total;
	img = xcalloc(1, total);
	pos = (size_t)h.off[0];
	for (i = 0; i < l->nlabels; i++) {
		const char *s = x->label[l->labelmap[i]];

		memcpy(img + pos, s, strlen(s) + 1);
		pos += strlen(s) + 1;
	}
	if (len[1] != 0)
		memcpy(img + h.off[1], l->ent, len[1]);
	if (len[2] != 0)
		memcpy(img + h.off[2], l->ids, len[2]);
	nt_trie_image(l->trie, img + h.off[3]);
	h.checksum = checksum(img + sizeof(h), total - sizeof(h));
	memcpy(img, &h, sizeof(h));

	tmp = xmalloc(strlen(path) + 16);
	snprintf(tmp, strlen(path) + 16, "%s.tmpXXXXXX", path);
	if ((fd = mkstemp(tmp)) == -1) {
		nt_error_set(e, path, 0, "%s", strerror(errno));
		free(tmp);
		free(img);
		return -1;
	}
	if (write_all(fd, img, total) == -1 || fchmod(fd, 0644) == -1 ||
	    close(fd) == -1 || rename(tmp, path) == -1) {
		saved = errno;
		close(fd);
		unlink(tmp);
		nt_error_set(e, path, 0, "%s", strerror(saved));
		free(tmp);
		free(img);
		return -1;
	}
	free(tmp);
	free(img);
	return 0;
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
		free(l->ownent);
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
