/* nertag - trie.c.  SPDX-License-Identifier: MIT */
/*
 * A keyword set over byte strings with the life cycle new, add, prepare,
 * walk, free, after GNU grep's kwset.  It knows nothing of Unicode, I/O or
 * labels: keys are opaque bytes (the matcher feeds it normalised UTF-8) and
 * values are small integers that the caller maps to entries.
 *
 * The prepared trie is a radix tree (chains of single children collapsed
 * into segments) in flat arrays, numbered breadth first so that every
 * node's edges and segment bytes lie in node order:
 *
 *	node[i].edge .. node[i+1].edge	its edges, sorted by key byte
 *	node[i].seg .. node[i+1].seg	the bytes that follow the edge into it
 *	node[i].val			the value of the key ending there, or 0
 *
 * A sentinel node closes both ranges.  Breadth-first numbering also gives
 * each node's children consecutive numbers in edge order, and every node
 * but the root is the child of one edge, so edge e leads to node e + 1: no
 * array of children is stored, and a step loads one line less.  Indexes
 * instead of pointers make the
 * arrays position independent, so a compiled index is this image written to
 * a file and mapped back; the root's edges are also copied into a dense
 * table for the step that every walk takes.
 *
 * Keys are collected first and sorted, then the tree is built top down from
 * the sorted list, which takes far less memory than growing a pointer trie.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__) && !defined(NT_NO_SIMD)
#include <emmintrin.h>
#endif

#include "trie.h"
#include "util.h"

struct node {
	uint32_t edge;		/* first edge; edges end at the next node's */
	uint32_t seg;		/* first segment byte; likewise */
	uint32_t val;		/* value of the key ending here, 0 if none */
};

struct rec {			/* a key collected by nt_trie_add() */
	uint64_t off;		/* in keybuf */
	uint32_t len;
	uint32_t val;
};				/* its index is its order of addition */

/*
 * A key while nt_trie_prepare() sorts it, and then builds from it.  Sixteen
 * bytes, so that the sort moves little, and the radix digits come from w
 * without a trip to keybuf for each one.
 */
struct skey {
	uint64_t w;		/* sorting: the key's 8 bytes from its depth
				   rounded down to 8, big-endian, 0 past the
				   end; sorted: its offset in the sorted copy */
	uint32_t len;
	uint32_t id;		/* sorting: its rec[] index; sorted: value */
};

struct nt_trie {
	/* The prepared arrays, owned (mem) or borrowed from an image. */
	const struct node *node;	/* nnodes + 1, the last a sentinel */
	const unsigned char *key;	/* nedges: key byte of each edge */
	const unsigned char *seg;	/* nseg: segment bytes */
	uint32_t nnodes, nedges, nseg, nkeys, maxval;
	uint32_t maxlen;		/* the longest key */
	const unsigned char *bloom;	/* first-word filter, nbloom words */
	uint32_t nbloom;		/* 64-bit words, or 0 for no filter */
	const unsigned char *anyw;	/* its ANY words, nany, after it */
	uint32_t nany;
	const unsigned char *pairw;	/* its PAIR words, npair, after those */
	uint32_t npair;
	uint32_t root[256];		/* root's child per byte, 0 if none */
	struct nt_guard *guard;		/* checks a mapped image, or NULL */
	/*
	 * The guard's verdict on the whole filter, 0 until first asked, 1
	 * good, 2 damaged: a pointer, so that a lookup (given a const trie)
	 * can record it.
	 */
	unsigned char *bloom_state;
	void *mem[6];			/* what this trie allocated */

	/* Before nt_trie_prepare(). */
	unsigned char *keybuf;
	size_t keylen, keycap;
	struct rec *rec;
	size_t nrec, reccap;
	int prepared;
};

#define HDR_WORDS	9

struct nt_trie *
nt_trie_new(void)
{
	struct nt_trie *t = xcalloc(1, sizeof(*t));

	t->bloom_state = t->mem[5] = xcalloc(1, 1);
	return t;
}

int
nt_trie_add(struct nt_trie *t, const unsigned char *key, size_t len,
    uint32_t value)
{
	struct rec *r;

	if (len == 0 || len > NT_TRIE_KEY_MAX || t->prepared || value == 0)
		return -1;
	if (t->nrec >= UINT32_MAX - 1)
		return -1;
	xgrow(&t->keybuf, &t->keycap, t->keylen + len, 1);
	xgrow(&t->rec, &t->reccap, t->nrec + 1, sizeof(*t->rec));
	memcpy(t->keybuf + t->keylen, key, len);
	r = &t->rec[t->nrec];
	r->off = t->keylen;
	r->len = (uint32_t)len;
	r->val = value;
	t->keylen += len;
	t->nrec++;
	return 0;
}

/*
 * Sorting.  Keys are ordered bytewise, a key before those it is a prefix
 * of, and equal keys in order of addition, so that the first added comes
 * first and wins.  An MSD radix sort on the bytes, in place (American
 * flag), with the digits read from the 8 bytes cached in each skey; the
 * cache is refilled from keybuf every 8 bytes of depth, which few groups
 * of keys reach.  Small groups are finished by insertion sort.
 */
struct sorting {
	const struct rec *rec;
	const unsigned char *kb;
};

#define SORT_SMALL	24	/* groups this small: insertion sort */

/* Fill s->w with its key's bytes [base, base + 8). */
static void
load_window(const struct sorting *st, struct skey *s, size_t base)
{
	const unsigned char *k = st->kb + st->rec[s->id].off;
	uint64_t w = 0;
	size_t i;

	for (i = base; i < base + 8; i++)
		w = w << 8 | (i < s->len ? k[i] : 0);
	s->w = w;
}

/* The digit of s at depth: 0 if the key ends there, else its byte + 1. */
static unsigned
digit(const struct skey *s, size_t depth)
{
	if (s->len <= depth)
		return 0;
	return (unsigned)(s->w >> (56 - 8 * (depth & 7)) & 0xFF) + 1;
}

/* Order of x and y, which share their first depth bytes. */
static int
skey_cmp(const struct sorting *st, const struct skey *x, const struct skey *y,
    size_t depth)
{
	size_t base = depth & ~(size_t)7, n;
	int c;

	/* Zero padding never inverts an order, only hides an end. */
	if (x->w != y->w)
		return x->w < y->w ? -1 : 1;
	n = x->len < y->len ? x->len : y->len;
	c = memcmp(st->kb + st->rec[x->id].off + base,
	    st->kb + st->rec[y->id].off + base, n - base);
	if (c != 0)
		return c;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static void
insertion_sort(const struct sorting *st, struct skey *a, size_t n,
    size_t depth)
{
	struct skey v;
	size_t i, j;

	for (i = 1; i < n; i++) {
		v = a[i];
		for (j = i; j > 0 && skey_cmp(st, &a[j - 1], &v, depth) > 0; j--)
			a[j] = a[j - 1];
		a[j] = v;
	}
}

static int
id_cmp(const void *a, const void *b)
{
	const struct skey *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

/*
 * Sort the n keys at a, which share their first depth bytes.  The largest
 * group is sorted by the loop, the others by recursion, each under half of
 * n: the stack stays shallow whatever the keys.
 */
static void
radix_sort(const struct sorting *st, struct skey *a, size_t n, size_t depth)
{
	size_t cnt[257], next[257], last[257], i, b, d, big, bigat;
	struct skey x, y;

	for (;;) {
		if (depth % 8 == 0 && depth > 0)
			for (i = 0; i < n; i++)
				load_window(st, &a[i], depth);
		if (n <= SORT_SMALL) {
			insertion_sort(st, a, n, depth);
			return;
		}
		memset(cnt, 0, sizeof(cnt));
		for (i = 0; i < n; i++)
			cnt[digit(&a[i], depth)]++;
		for (b = 0, i = 0; b < 257; b++) {
			next[b] = i;
			i += cnt[b];
			last[b] = i;
		}
		/* Each key straight to its group, swapping out the one there. */
		for (b = 0; b < 257; b++) {
			while (next[b] < last[b]) {
				x = a[next[b]];
				while ((d = digit(&x, depth)) != b) {
					y = a[next[d]];
					a[next[d]++] = x;
					x = y;
				}
				a[next[b]++] = x;
			}
		}
		/* Group b is a[last[b] - cnt[b] .. last[b]).  Ended keys are equal. */
		if (cnt[0] > 1)
			qsort(a, cnt[0], sizeof(*a), id_cmp);
		big = 0;
		bigat = 0;
		for (b = 1; b < 257; b++)
			if (cnt[b] > big) {
				big = cnt[b];
				bigat = b;
			}
		for (b = 1; b < 257; b++)
			if (b != bigat && cnt[b] > 1)
				radix_sort(st, a + last[b] - cnt[b], cnt[b],
				    depth + 1);
		if (big <= 1)
			return;
		a += last[bigat] - big;
		n = big;
		depth++;
	}
}

/* ASCII letters, digits and '_': the bytes of a first word. */
static int
wordbyte(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
	    (c >= 'a' && c <= 'z') || c == '_';
}

/* The length of the first word of key, if it can be told from the text. */
static size_t
first_word(const unsigned char *k, size_t n)
{
	size_t i = 0, l;

	while (i < n && (l = nt_word_char(k + i, n - i)) != 0)
		i += l;
	/*
	 * Other bytes >= 0x80 may be a mark or letter that a text spells
	 * another way; U+2000 to U+203F (E2 80 xx: quotes, dashes) are not.
	 */
	if (i < n && k[i] >= 0x80 && !(k[i] == 0xE2 && i + 1 < n &&
	    k[i + 1] == 0x80))
		return 0;
	return i;
}

/*
 * The first-word filter is made of Bloom filters.  A key puts two items
 * into it: the word alone (ANY), and the word with the key's next two
 * bytes, where a key that ends early has NT_FW_END in their place: "St.
 * Louis" puts (St, '.', ' '), "Kyiv" (Kyiv, END, END).  A text word is
 * first asked for ANY, which most words fail; one that passes is asked for
 * the three items its next two bytes allow, so that "The" before "cat"
 * does not walk because some name is "The Hague".  ANY has an array of its
 * own (nt_word_filter_any()), and (END, END) sets three bits beside a
 * word's ANY bits, so that one read answers both.  The other items go into
 * blocks of 512 bits (a cache line): a key that ends one byte after its
 * word into the block the word's hash picks, so that a word's next
 * questions read one line; the others into the block their own hash
 * picks, so that a word that begins thousands of names ("San") does not
 * fill its block and let every text word that shares it through.
 *
 * A key whose first word is followed by a space and a second word (a run
 * of nt_word_char() characters that begins with an ASCII one) puts in
 * that word whole instead of its next two bytes: "The Hague" puts (The,
 * Hague), in an array of its own too (PAIR), which the matcher reads
 * beside the ANY array for every word a space and a word follow.  Common
 * words begin many names, and two bytes do not tell "The cat" from "The
 * Colony"; the second word does.  Where the text's second
 * word is followed by an ASCII byte, the normalised text has that byte
 * there too (NFD joins nothing to it), so a key can begin there only if
 * its second word is the text's; so too where a character follows it
 * whose normal form cannot begin a word.  Where it runs into other bytes,
 * the filter says maybe.
 *
 * Words may hold Latin letters and marks (nt_word_char()), as they are in
 * normal form: where a name has U+00E8 (e grave), the word has "e" and
 * U+0300.  The matcher builds a text word's normal form from a table to
 * ask for it.
 */
#define BLOCK_BITS	512
#define BITS_PER_KEY	16
#define ANY_BITS	16
#define PAIR_BITS	16

/* An item's hash: the word's mixed hash and the code of what follows. */
static uint64_t
item_hash(uint64_t h, unsigned n1, unsigned n2)
{
	uint64_t c = 1 + n1 + 257 * (uint64_t)n2;

	return h ^ c * 0x9E3779B97F4A7C15u;
}

/*
 * The length of the second word of key k, whose first word is fw bytes
 * long: after a space, a run of nt_word_char() characters that begins with
 * an ASCII one.  0 if there is none.
 */
static size_t
second_word(const unsigned char *k, size_t fw, size_t n)
{
	size_t j = fw + 1, l;

	if (j >= n || k[fw] != ' ' || !wordbyte(k[j]))
		return 0;
	while (j < n && (l = nt_word_char(k + j, n - j)) != 0)
		j += l;
	return j - fw - 1;
}

/*
 * An item's four bits lie in one 64-bit word of its block, picked by the
 * item too (x's low 32 bits pick the block): one load and one compare.
 */
static inline uint64_t
item_mask(uint64_t x)
{
	return (uint64_t)1 << (x >> 35 & 63) | (uint64_t)1 << (x >> 41 & 63) |
	    (uint64_t)1 << (x >> 47 & 63) | (uint64_t)1 << (x >> 53 & 63);
}

/* Whether the bits of item x are set in blk; or sets them. */
static inline int
item_test(const unsigned char *blk, uint64_t x)
{
	uint64_t w, m = item_mask(x);

	memcpy(&w, blk + 8 * (x >> 32 & 7), sizeof(w));
	return (w & m) == m;
}

static void
item_set(unsigned char *blk, uint64_t x)
{
	uint64_t w;

	memcpy(&w, blk + 8 * (x >> 32 & 7), sizeof(w));
	w |= item_mask(x);
	memcpy(blk + 8 * (x >> 32 & 7), &w, sizeof(w));
}

/* Set mask m in the word of array a (of na words) that mixed hash x picks. */
static void
word_set(unsigned char *a, size_t na, uint64_t x, uint64_t m)
{
	unsigned char *p = a + 8 * nt_word_any_word(x, na);
	uint64_t w;

	memcpy(&w, p, sizeof(w));
	w |= m;
	memcpy(p, &w, sizeof(w));
}

/*
 * Build the first-word filter over the keys (sorted, so that keys with one
 * first word are mostly together and those words can be counted).  The
 * ANY words get ANY_BITS bits a distinct first word and a key that is a
 * word alone, two of them set for each first word (one false "maybe" in
 * about 60 words) and three for each such key; the PAIR words PAIR_BITS
 * bits a key with a second word, three set (a first word before the wrong
 * second word passes one time in about 80, END or PAIR); the blocks
 * BITS_PER_KEY bits for each other key, four set, which keys with a space
 * after their first word seldom need.
 */
enum { KEY_PAIR, KEY_END, KEY_BLOCK };

/*
 * Where the item of key k (n bytes, first word fw bytes) goes: PAIR if
 * it has a second word (its length to *w2), END if it is its first word
 * alone, else the blocks, with the two normalised bytes after the word in
 * *n1 and *n2.  A key that ends in a space (normalised names do not)
 * counts as ending with its word, so that a word before a space need not
 * be asked about (' ', END).
 */
static int
key_kind(const unsigned char *k, size_t fw, size_t n, size_t *w2,
    unsigned *n1, unsigned *n2)
{
	*n1 = fw < n ? k[fw] : NT_FW_END;
	*n2 = fw + 1 < n ? k[fw + 1] : NT_FW_END;
	if ((*w2 = second_word(k, fw, n)) != 0)
		return KEY_PAIR;
	if (*n2 == NT_FW_END && (*n1 == NT_FW_END || *n1 == ' '))
		return KEY_END;
	return KEY_BLOCK;
}

static void
build_bloom(struct nt_trie *t, const struct skey *key, size_t n)
{
	unsigned char *bloom, *anyw, *pairw;
	const unsigned char *k, *pk = NULL;
	unsigned n1, n2;
	uint64_t h, x, xa;
	size_t i, fw, nb, w2, nany, npair, pfw = 0, distinct = 0;
	size_t count[3] = { 0, 0, 0 };

	for (i = 0; i < n; i++) {
		k = t->keybuf + key[i].w;
		if ((fw = first_word(k, key[i].len)) == 0)
			continue;
		distinct += pk == NULL || fw != pfw || memcmp(k, pk, fw) != 0;
		pk = k;
		pfw = fw;
		count[key_kind(k, fw, key[i].len, &w2, &n1, &n2)]++;
	}
	nb = (BITS_PER_KEY * count[KEY_BLOCK] + BLOCK_BITS - 1) / BLOCK_BITS;
	if (nb == 0)
		nb = 1;
	/* At least a cache line each, whatever the keys. */
	nany = (ANY_BITS * (distinct + count[KEY_END]) + 63) / 64;
	if (nany < 8)
		nany = 8;
	npair = (PAIR_BITS * count[KEY_PAIR] + 63) / 64;
	if (npair < 8)
		npair = 8;
	bloom = xcalloc(nb * (BLOCK_BITS / 64) + nany + npair, 8);
	anyw = bloom + nb * (BLOCK_BITS / 8);
	pairw = anyw + 8 * nany;
	for (i = 0; i < n; i++) {
		k = t->keybuf + key[i].w;
		if ((fw = first_word(k, key[i].len)) == 0)
			continue;
		h = nt_word_hash(k, fw);
		xa = nt_word_any_mix(h);
		word_set(anyw, nany, xa, nt_word_any_mask(xa));
		switch (key_kind(k, fw, key[i].len, &w2, &n1, &n2)) {
		case KEY_PAIR:
			x = nt_word_pair_mix(xa, nt_word_any_mix(
			    nt_word_hash(k + fw + 1, w2)));
			word_set(pairw, npair, x, nt_word_mask3(x));
			break;
		case KEY_END:
			word_set(anyw, nany, xa, nt_word_mask3(xa));
			break;
		default:
			/* A key that ends a byte after its word: the word's block. */
			h = nt_word_mix(h);
			x = item_hash(h, n1, n2);
			item_set(bloom + BLOCK_BITS / 8 * nt_word_block(
			    n2 == NT_FW_END ? h : x, nb), x);
			break;
		}
	}
	t->bloom = t->mem[4] = bloom;
	t->nbloom = (uint32_t)(nb * (BLOCK_BITS / 64));
	t->anyw = anyw;
	t->nany = (uint32_t)nany;
	t->pairw = pairw;
	t->npair = (uint32_t)npair;
}

int
nt_trie_first_word(const struct nt_trie *t, const unsigned char *s, size_t n)
{
	unsigned n1 = NT_FW_ANY, n2 = NT_FW_ANY;
	uint64_t h, h2;
	const uint64_t *w2 = NULL;
	size_t fw, j, l;

	if ((fw = first_word(s, n)) == 0)
		return 1;	/* not a first word the filter knows */
	h = nt_word_hash(s, fw);
	if (fw < n)
		n1 = s[fw] == 0 ? NT_FW_END : s[fw];
	if (n1 < 256 && fw + 1 < n)
		n2 = s[fw + 1] == 0 ? NT_FW_END : s[fw + 1];
	if (n1 == ' ' && n2 < 256 && wordbyte((unsigned char)n2)) {
		for (j = fw + 1; j < n && (l = nt_word_char(s + j, n - j)) != 0;
		    j += l)
			;
		/* Known to end: by ASCII, or by two bytes that are no letter. */
		if (j < n && (s[j] < 0x80 || j + 1 < n)) {
			h2 = nt_word_hash(s + fw + 1, j - fw - 1);
			w2 = &h2;
		}
	}
	return nt_trie_first_word_hash(t, h) &&
	    nt_trie_first_word_next(t, h, n1, n2, w2);
}

/* The 64-bit words of the filter: the blocks, ANY and PAIR, in a row. */
static size_t
filter_words(const struct nt_trie *t)
{
	return (size_t)t->nbloom + t->nany + t->npair;
}

/*
 * Whether the filter may be read.  A mapped one is checked whole when it
 * is first asked, rather than a block at a time, so that the many lookups
 * after need no check; if any of it is damaged, it says maybe to all (the
 * walk that follows meets the damage too).  Once the guard has checked
 * the whole image (as before -j's threads share it), the answer is the
 * range test alone and nothing is noted, so that readers never write.
 */
static inline int
bloom_ok(const struct nt_trie *t)
{
	if (t->guard == NULL || *t->bloom_state == 1)
		return 1;
	if (t->guard->all)
		return nt_guard_ok(t->guard, t->bloom, 8 * filter_words(t));
	if (*t->bloom_state == 0)
		*t->bloom_state = nt_guard_ok(t->guard, t->bloom,
		    8 * filter_words(t)) ? 1 : 2;
	return *t->bloom_state == 1;
}

/* The block of the filter for mixed hash h. */
static inline const unsigned char *
bloom_at(const struct nt_trie *t, uint64_t h)
{
	return t->bloom + BLOCK_BITS / 8 *
	    nt_word_block(h, t->nbloom / (BLOCK_BITS / 64));
}

int
nt_trie_first_word_hash(const struct nt_trie *t, uint64_t h)
{
	struct nt_word_filter f;

	if (!nt_trie_word_filter(t, &f))
		return 1;
	return nt_word_filter_any(&f, h);
}

int
nt_trie_word_filter(const struct nt_trie *t, struct nt_word_filter *f)
{
	if (t->nbloom == 0 || !bloom_ok(t))
		return 0;
	f->anyw = t->anyw;
	f->nany = t->nany;
	f->pairw = t->pairw;
	f->npair = t->npair;
	return 1;
}

int
nt_trie_first_word_next(const struct nt_trie *t, uint64_t h, unsigned n1,
    unsigned n2, const uint64_t *w2)
{
	uint64_t x;

	if (t->nbloom == 0 || n1 == NT_FW_ANY || !bloom_ok(t))
		return 1;
	if (n1 == ' ' && n2 < 0x80 && wordbyte((unsigned char)n2))
		return w2 == NULL || nt_trie_first_word_space(t, h, *w2);
	x = nt_word_any_mix(h);
	if (nt_word_test(t->anyw, t->nany, x, nt_word_mask3(x)))
		return 1;
	if (n1 == NT_FW_END)
		return 0;
	h = nt_word_mix(h);
	if (n1 != ' ' && item_test(bloom_at(t, h), item_hash(h, n1,
	    NT_FW_END)))
		return 1;
	if (n2 == NT_FW_END)
		return 0;
	if (n2 == NT_FW_ANY)
		return 1;
	x = item_hash(h, n1, n2);
	return item_test(bloom_at(t, x), x);
}

int
nt_trie_first_word_space(const struct nt_trie *t, uint64_t h, uint64_t h2)
{
	return (int)(nt_trie_first_word_spaces(t, &h, &h2, 1) & 1);
}

uint64_t
nt_trie_first_word_spaces(const struct nt_trie *t, const uint64_t *h,
    const uint64_t *h2, size_t n)
{
	uint64_t pass = 0, x, y;
	size_t k;

	if (t->nbloom == 0 || !bloom_ok(t))
		return ~(uint64_t)0;
	/* No branch on the answers: the loads of all n pairs overlap. */
	for (k = 0; k < n; k++) {
		x = nt_word_any_mix(h[k]);
		y = nt_word_pair_mix(x, nt_word_any_mix(h2[k]));
		pass |= (uint64_t)(nt_word_test(t->anyw, t->nany, x,
		    nt_word_mask3(x)) | nt_word_test(t->pairw, t->npair, y,
		    nt_word_mask3(y))) << k;
	}
	return pass;
}

/*
 * Node n and the one after it, whose fields end n's ranges, may be read:
 * the guard (if any) has found their bytes good.
 */
static int
nodes_ok(const struct nt_trie *t, uint32_t n)
{
	return nt_guard_ok(t->guard, &t->node[n], 2 * sizeof(struct node));
}

/* Copy the root's edges into the dense table. */
static void
fill_root(struct nt_trie *t)
{
	uint32_t e;

	memset(t->root, 0, sizeof(t->root));
	if (!nodes_ok(t, 0) || t->node[1].edge > t->nedges ||
	    !nt_guard_ok(t->guard, t->key, t->node[1].edge))
		return;
	for (e = t->node[0].edge; e < t->node[1].edge; e++)
		if (e + 1 < t->nnodes)
			t->root[t->key[e]] = e + 1;
}

void
nt_trie_reserve(struct nt_trie *t, size_t keys, size_t bytes)
{
	if (t->prepared)
		return;
	xgrow(&t->keybuf, &t->keycap, bytes, 1);
	xgrow(&t->rec, &t->reccap, keys, sizeof(*t->rec));
}

void
nt_trie_prepare(struct nt_trie *t)
{
	nt_trie_prepare_except(t, NULL);
}

void
nt_trie_prepare_except(struct nt_trie *t, const struct nt_trie *except)
{
	struct node *node;
	unsigned char *key, *seg, *sorted;
	size_t ncap, ecap, scap, i, j, nn, ne, ns, o;
	const unsigned char *kb, *p, *prev;
	struct sorting st;
	struct skey *sk;

	if (t->prepared)
		return;
	t->prepared = 1;
	kb = t->keybuf;
	sk = xreallocarray(NULL, t->nrec, sizeof(*sk));
	st.rec = t->rec;
	st.kb = kb;
	for (i = 0; i < t->nrec; i++) {
		sk[i].len = t->rec[i].len;
		sk[i].id = (uint32_t)i;
		load_window(&st, &sk[i], 0);
	}
	radix_sort(&st, sk, t->nrec, 0);
	/*
	 * Drop repeated keys, keeping the first added, and excepted ones, and
	 * copy the rest in sorted order, so that the passes below read memory
	 * in sequence instead of jumping about keybuf.  Each skey is read
	 * before the one it becomes is written, at or before it.
	 */
	sorted = xmalloc(t->keylen + 1);
	prev = NULL;
	for (i = j = o = 0; i < t->nrec; i++) {
		const struct rec *r = &t->rec[sk[i].id];

		p = kb + r->off;
		if (prev != NULL && sk[j - 1].len == r->len &&
		    memcmp(prev, p, r->len) == 0)
			continue;
		if (except != NULL && nt_trie_lookup(except, p, r->len) != 0)
			continue;
		memcpy(sorted + o, p, r->len);
		prev = p;
		sk[j].w = o;
		sk[j].len = r->len;
		sk[j].id = r->val;
		o += r->len;
		j++;
	}
	free(t->rec);
	free(t->keybuf);
	t->rec = NULL;
	t->keybuf = sorted;
	kb = sorted;
	t->nkeys = (uint32_t)j;
	t->maxlen = 0;
	for (i = 0; i < j; i++)
		if (sk[i].len > t->maxlen)
			t->maxlen = sk[i].len;

	build_bloom(t, sk, j);

	ncap = 2 * j + 2;
	ecap = 2 * j + 2;
	scap = o + 1;
	node = xreallocarray(NULL, ncap + 1, sizeof(*node));
	key = xmalloc(ecap);
	seg = xmalloc(scap);
	/*
	 * The queue of the breadth-first build lives in the nodes not yet
	 * built: node i, before it is filled in, holds the range of sorted
	 * keys below it (lo in edge, hi in seg) and the depth they share (in
	 * val), which saves an array as large as the nodes.
	 */
	nn = 1;
	ne = ns = 0;
	node[0].edge = 0;
	node[0].seg = (uint32_t)j;
	node[0].val = 0;
	t->maxval = 0;
	for (i = 0; i < nn; i++) {
		uint32_t lo = node[i].edge, hi = node[i].seg,
		    d = node[i].val, e = d;

		node[i].edge = (uint32_t)ne;
		node[i].seg = (uint32_t)ns;
		node[i].val = 0;
		if (i != 0) {
			/* Sorted keys share a prefix iff the first and last do. */
			const struct skey *a = &sk[lo], *z = &sk[hi - 1];
			const unsigned char *ak = kb + a->w, *zk = kb + z->w;

			while (a->len > e && z->len > e && ak[e] == zk[e])
				e++;
			memcpy(seg + ns, ak + d, e - d);
			ns += e - d;
			if (a->len == e) {
				node[i].val = a->id;
				if (a->id > t->maxval)
					t->maxval = a->id;
				lo++;
			}
		}
		while (lo < hi) {
			unsigned char b = kb[sk[lo].w + e];
			uint32_t g = lo;

			while (g < hi && kb[sk[g].w + e] == b)
				g++;
			key[ne] = b;
			/* Edge e leads to node e + 1, which is not stored. */
			assert(nn == ne + 1);
			ne++;
			node[nn].edge = lo;
			node[nn].seg = g;
			node[nn].val = e + 1;
			nn++;
			lo = g;
		}
	}
	node[nn].edge = (uint32_t)ne;
	node[nn].seg = (uint32_t)ns;
	node[nn].val = 0;
	free(sk);
	free(t->keybuf);
	t->keybuf = NULL;
	t->nrec = t->reccap = t->keylen = t->keycap = 0;

	t->node = t->mem[0] = node;
	t->key = t->mem[2] = key;
	t->seg = t->mem[3] = seg;
	t->nnodes = (uint32_t)nn;
	t->nedges = (uint32_t)ne;
	t->nseg = (uint32_t)ns;
	fill_root(t);
}

size_t
nt_trie_keys(const struct nt_trie *t)
{
	return t->nkeys;
}

size_t
nt_trie_nodes(const struct nt_trie *t)
{
	return t->nnodes;
}

size_t
nt_trie_max_len(const struct nt_trie *t)
{
	return t->maxlen;
}

uint32_t
nt_trie_max_value(const struct nt_trie *t)
{
	return t->maxval;
}

void
nt_trie_start(struct nt_trie_pos *p)
{
	p->node = 0;
	p->off = 0;
}

/*
 * The child of node n along byte b, or 0.  Every index read from the arrays
 * is checked against their sizes, so that a walk over a damaged image stays
 * inside it; a prepared trie never fails these tests.
 */
static uint32_t
edge(const struct nt_trie *t, uint32_t n, unsigned char b)
{
	uint32_t lo = t->node[n].edge, hi = t->node[n + 1].edge, mid, c;

	if (n == 0)
		return t->root[b];
	if (hi > t->nedges || lo > hi ||
	    !nt_guard_ok(t->guard, t->key + lo, hi - lo))
		return 0;
	if (hi - lo <= 8) {
		for (; lo < hi; lo++)
			if (t->key[lo] == b)
				goto found;
		return 0;
	}
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (t->key[mid] < b)
			lo = mid + 1;
		else if (t->key[mid] > b)
			hi = mid;
		else {
			lo = mid;
			goto found;
		}
	}
	return 0;
found:
	c = lo + 1;
	return c < t->nnodes ? c : 0;
}

static int
step_guarded(const struct nt_trie *t, struct nt_trie_pos *p,
    const unsigned char *s, size_t n)
{
	uint32_t node = p->node, off = p->off, slen, c;
	const unsigned char *sg;

	while (n > 0) {
		if (!nodes_ok(t, node))
			return 0;
		sg = t->seg + t->node[node].seg;
		slen = t->node[node + 1].seg - t->node[node].seg;
		if (t->node[node + 1].seg > t->nseg || slen > t->nseg ||
		    !nt_guard_ok(t->guard, sg, slen))
			return 0;
		while (off < slen && n > 0) {
			if (sg[off] != *s)
				return 0;
			off++;
			s++;
			n--;
		}
		if (n == 0)
			break;
		if ((c = edge(t, node, *s)) == 0)
			return 0;
		node = c;
		off = 0;
		s++;
		n--;
	}
	p->node = node;
	p->off = off;
	return 1;
}

/*
 * The edge among lo .. hi - 1 (hi <= nedges) whose key byte is b, or hi:
 * sixteen at a time where SSE2 is, for most nodes one compare, where a
 * binary search over a wide node took seven mispredicted branches.
 */
static inline uint32_t
find_edge(const struct nt_trie *t, uint32_t lo, uint32_t hi, unsigned char b)
{
	const unsigned char *key = t->key;
#if defined(__SSE2__) && !defined(NT_NO_SIMD)
	__m128i bb = _mm_set1_epi8((char)b);
	unsigned m;

	/* Never a load past the array's end. */
	for (; lo < hi && t->nedges - lo >= 16; lo += 16) {
		m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128(
		    (const void *)(key + lo)), bb));
		if (hi - lo < 16)
			m &= (1u << (hi - lo)) - 1;
		if (m != 0)
			return lo + (uint32_t)__builtin_ctz(m);
	}
#endif
	for (; lo < hi; lo++)
		if (key[lo] == b)
			return lo;
	return hi;
}

/*
 * The same walk with no guard left to ask (memory built here, or a mapped
 * image whose every block was found good): only the indexes read are
 * checked, and segments are compared eight bytes at a time.  It also
 * hands back the value of the key that ends where it stops, which a walk
 * asks after every step, and which the last node's fields, in hand here,
 * tell.
 */
int
nt_trie_step_value(const struct nt_trie *t, struct nt_trie_pos *p,
    const unsigned char *s, size_t n, uint32_t *value)
{
	const struct node *nd = t->node;
	uint32_t node = p->node, off = p->off, lo, hi, c, v;
	const unsigned char *sg;
	size_t k;

	if (t->guard != NULL && !t->guard->all) {
		if (!step_guarded(t, p, s, n))
			return 0;
		*value = nt_trie_value(t, p);
		return 1;
	}
	for (;;) {
		lo = nd[node].seg;
		hi = nd[node + 1].seg;
		if (hi > t->nseg || lo > hi || off > hi - lo)
			return 0;
		sg = t->seg + lo + off;
		k = hi - lo - off;
		if (k > n)
			k = n;
		off += (uint32_t)k;
		n -= k;
		for (; k >= 8; k -= 8, sg += 8, s += 8) {
			uint64_t a, b;

			memcpy(&a, sg, 8);
			memcpy(&b, s, 8);
			if (a != b)
				return 0;
		}
		for (; k > 0; k--)
			if (*sg++ != *s++)
				return 0;
		if (n == 0)
			break;
		if (node == 0)
			c = t->root[*s];
		else {
			lo = nd[node].edge;
			hi = nd[node + 1].edge;
			if (hi > t->nedges || lo > hi ||
			    (lo = find_edge(t, lo, hi, *s)) == hi)
				return 0;
			c = lo + 1 < t->nnodes ? lo + 1 : 0;
		}
		if (c == 0)
			return 0;
		node = c;
		off = 0;
		s++;
		n--;
	}
	p->node = node;
	p->off = off;
	/* off is at the segment's end: a key may end here. */
	v = nd[node].val;
	*value = off == nd[node + 1].seg - nd[node].seg && v <= t->maxval ?
	    v : 0;
	return 1;
}

int
nt_trie_step(const struct nt_trie *t, struct nt_trie_pos *p,
    const unsigned char *s, size_t n)
{
	uint32_t v;

	return nt_trie_step_value(t, p, s, n, &v);
}

uint32_t
nt_trie_value(const struct nt_trie *t, const struct nt_trie_pos *p)
{
	if (p->node >= t->nnodes || !nodes_ok(t, p->node) ||
	    p->off != t->node[p->node + 1].seg - t->node[p->node].seg ||
	    t->node[p->node].val > t->maxval)
		return 0;
	return t->node[p->node].val;
}

uint32_t
nt_trie_lookup(const struct nt_trie *t, const unsigned char *key, size_t len)
{
	struct nt_trie_pos p;

	nt_trie_start(&p);
	if (len == 0 || !nt_trie_step(t, &p, key, len))
		return 0;
	return nt_trie_value(t, &p);
}

void
nt_trie_first_bytes(const struct nt_trie *t, unsigned char first[256])
{
	int b;

	for (b = 0; b < 256; b++)
		first[b] = t->root[b] != 0;
}

void
nt_trie_first_pairs(const struct nt_trie *t, unsigned char pairs[8192])
{
	uint32_t c, e, lo, hi, slo, shi;
	int b, k;

	memset(pairs, 0, 8192);
	for (b = 0; b < 256; b++) {
		if ((c = t->root[b]) == 0)
			continue;
		if (!nodes_ok(t, c)) {
			memset(pairs + b * 32, 0xFF, 32);
			continue;
		}
		slo = t->node[c].seg;
		shi = t->node[c + 1].seg;
		lo = t->node[c].edge;
		hi = t->node[c + 1].edge;
		if ((slo == shi && t->node[c].val != 0) || shi > t->nseg ||
		    slo > shi || hi > t->nedges || lo > hi ||
		    !nt_guard_ok(t->guard, t->seg + slo, shi - slo) ||
		    !nt_guard_ok(t->guard, t->key + lo, hi - lo)) {
			/* A one-byte key, or damage: any second byte. */
			memset(pairs + b * 32, 0xFF, 32);
			continue;
		}
		if (slo < shi) {
			k = t->seg[slo];
			pairs[b * 32 + k / 8] |= (unsigned char)(1 << (k % 8));
			continue;
		}
		for (e = lo; e < hi; e++) {
			k = t->key[e];
			pairs[b * 32 + k / 8] |= (unsigned char)(1 << (k % 8));
		}
	}
}

static size_t
pad4(size_t n)
{
	return (n + 3) & ~(size_t)3;
}

size_t
nt_trie_image_size(const struct nt_trie *t)
{
	return 4 * HDR_WORDS + sizeof(struct node) * ((size_t)t->nnodes + 1) +
	    pad4(t->nedges) + pad4(t->nseg) + 8 * filter_words(t);
}

static void
piece(struct nt_trie_pieces *out, const void *p, size_t len)
{
	if (len == 0)
		return;
	out->p[out->n] = p;
	out->len[out->n] = len;
	out->n++;
}

void
nt_trie_image_pieces(const struct nt_trie *t, struct nt_trie_pieces *out)
{
	static const unsigned char zero[4];

	_Static_assert(sizeof(out->hdr) == 4 * HDR_WORDS, "header words");
	out->hdr[0] = t->nnodes;
	out->hdr[1] = t->nedges;
	out->hdr[2] = t->nseg;
	out->hdr[3] = t->nkeys;
	out->hdr[4] = t->maxval;
	out->hdr[5] = t->maxlen;
	out->hdr[6] = t->nbloom;
	out->hdr[7] = t->nany;
	out->hdr[8] = t->npair;
	out->n = 0;
	piece(out, out->hdr, sizeof(out->hdr));
	piece(out, t->node, sizeof(struct node) * ((size_t)t->nnodes + 1));
	piece(out, t->key, t->nedges);
	piece(out, zero, pad4(t->nedges) - t->nedges);
	piece(out, t->seg, t->nseg);
	piece(out, zero, pad4(t->nseg) - t->nseg);
	piece(out, t->bloom, 8 * filter_words(t));
}

void
nt_trie_image(const struct nt_trie *t, unsigned char *dst)
{
	struct nt_trie_pieces pc;
	size_t i;

	nt_trie_image_pieces(t, &pc);
	for (i = 0; i < pc.n; i++) {
		memcpy(dst, pc.p[i], pc.len[i]);
		dst += pc.len[i];
	}
}

struct nt_trie *
nt_trie_from_image(const void *p, size_t len)
{
	return nt_trie_from_image_guarded(p, len, NULL);
}

struct nt_trie *
nt_trie_from_image_guarded(const void *p, size_t len, struct nt_guard *g)
{
	const unsigned char *b = p;
	uint32_t hdr[HDR_WORDS];
	struct nt_trie *t;
	uint64_t need;

	if (len < sizeof(hdr) || ((uintptr_t)p & 3) != 0 ||
	    !nt_guard_ok(g, p, sizeof(hdr)))
		return NULL;
	memcpy(hdr, b, sizeof(hdr));
	if (hdr[0] == 0 || hdr[0] == UINT32_MAX || hdr[1] != hdr[0] - 1)
		return NULL;
	need = 4 * HDR_WORDS + sizeof(struct node) * ((uint64_t)hdr[0] + 1) +
	    pad4(hdr[1]) + pad4(hdr[2]) +
	    8 * ((uint64_t)hdr[6] + hdr[7] + hdr[8]);
	if (need != len)
		return NULL;
	t = nt_trie_new();
	t->prepared = 1;
	t->nnodes = hdr[0];
	t->nedges = hdr[1];
	t->nseg = hdr[2];
	t->nkeys = hdr[3];
	t->maxval = hdr[4];
	t->maxlen = hdr[5];
	t->nbloom = hdr[6];
	t->nany = hdr[7];
	t->npair = hdr[8];
	/* A filter has all three parts, or there is none. */
	if (t->maxlen > NT_TRIE_KEY_MAX ||
	    t->nbloom % (BLOCK_BITS / 64) != 0 ||
	    (t->nbloom == 0) != (t->nany == 0) ||
	    (t->nbloom == 0) != (t->npair == 0)) {
		nt_trie_free(t);
		return NULL;
	}
	b += sizeof(hdr);
	t->node = (const void *)b;
	b += sizeof(struct node) * ((size_t)t->nnodes + 1);
	t->key = b;
	b += pad4(t->nedges);
	t->seg = b;
	b += pad4(t->nseg);
	t->bloom = b;
	t->anyw = b + 8 * (size_t)t->nbloom;
	t->pairw = t->anyw + 8 * (size_t)t->nany;
	t->guard = g;
	/*
	 * Only the ends are checked here, in constant time, so that a large
	 * index loads at once; walks check each index they read (edge()).
	 */
	if (!nodes_ok(t, 0) || !nodes_ok(t, t->nnodes - 1) ||
	    t->node[0].edge != 0 || t->node[0].seg != 0 ||
	    t->node[t->nnodes].edge != t->nedges ||
	    t->node[t->nnodes].seg != t->nseg ||
	    t->node[1].edge > t->nedges) {
		nt_trie_free(t);
		return NULL;
	}
	fill_root(t);
	return t;
}

void
nt_trie_free(struct nt_trie *t)
{
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < sizeof(t->mem) / sizeof(t->mem[0]); i++)
		free(t->mem[i]);
	free(t->rec);
	free(t->keybuf);
	free(t);
}
