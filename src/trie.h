/*
 * trie.h - a keyword set over byte strings (normalised UTF-8), laid out in
 * flat arrays that walk fast and can be written to a file and used in place.
 */
#ifndef NERTAG_TRIE_H
#define NERTAG_TRIE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "verify.h"

/* The longest key, in bytes; nt_trie_add() refuses longer ones. */
#define NT_TRIE_KEY_MAX	1024

struct nt_trie;

/*
 * A place in a walk: a node, and how many bytes of the node's segment have
 * been matched.  A plain value; start one with nt_trie_start().
 */
struct nt_trie_pos {
	uint32_t node;
	uint32_t off;
};

/* A new, empty trie open for nt_trie_add().  Free it with nt_trie_free(). */
struct nt_trie *nt_trie_new(void);

/*
 * Add key (len bytes, copied) with value (>= 1).  When the same key is added
 * twice the first value wins.  Returns 0, or -1 if len is 0 or greater than
 * NT_TRIE_KEY_MAX.  Only before nt_trie_prepare().
 */
int	nt_trie_add(struct nt_trie *t, const unsigned char *key, size_t len,
	    uint32_t value);

/* Make room for about keys more keys of bytes in all: a hint, to copy less. */
void	nt_trie_reserve(struct nt_trie *t, size_t keys, size_t bytes);

/*
 * Freeze the trie and build its arrays; after this only walks, lookups and
 * nt_trie_image() are allowed.
 */
void	nt_trie_prepare(struct nt_trie *t);

/* As nt_trie_prepare(), leaving out every key that except (prepared) has. */
void	nt_trie_prepare_except(struct nt_trie *t, const struct nt_trie *except);

/* The number of distinct keys (after nt_trie_prepare()), and of nodes. */
size_t	nt_trie_keys(const struct nt_trie *t);
size_t	nt_trie_nodes(const struct nt_trie *t);

/* The length of the longest key. */
size_t	nt_trie_max_len(const struct nt_trie *t);

/* The largest value stored, so a loader can check values against a table. */
uint32_t nt_trie_max_value(const struct nt_trie *t);

/* Set *p to the root. */
void	nt_trie_start(struct nt_trie_pos *p);

/*
 * Walk n bytes from *p.  Returns 1 and moves *p if the trie has that path,
 * else returns 0 and leaves *p undefined.
 */
int	nt_trie_step(const struct nt_trie *t, struct nt_trie_pos *p,
	    const unsigned char *s, size_t n);

/* The value of the key that ends exactly at *p, or 0. */
uint32_t nt_trie_value(const struct nt_trie *t, const struct nt_trie_pos *p);

/*
 * nt_trie_step(), and when it returns 1, nt_trie_value() of the new *p in
 * *value: the two that a walk takes at each character, in one.
 */
int	nt_trie_step_value(const struct nt_trie *t, struct nt_trie_pos *p,
	    const unsigned char *s, size_t n, uint32_t *value);

/* The value of key, or 0. */
uint32_t nt_trie_lookup(const struct nt_trie *t, const unsigned char *key,
	    size_t len);

/* Set first[b] to 1 for each byte b that begins some key, else 0. */
void	nt_trie_first_bytes(const struct nt_trie *t, unsigned char first[256]);

/*
 * Set bit (a * 256 + b) of pairs for each pair of bytes a, b that begins
 * some key (every b after a one-byte key a), else clear it: a filter that
 * spares the matcher walks that would die at the second byte.
 */
void	nt_trie_first_pairs(const struct nt_trie *t, unsigned char pairs[8192]);

/*
 * The bytes a first word holds: an ASCII letter, digit or '_' (1), or the
 * two of a letter from U+00C0 to U+024F other than U+00D7 and U+00F7, or
 * of a mark from U+0300 to U+036F (2): the Latin letters of names and the
 * marks their normal form (NFD) splits off.  0 for anything else.  s has
 * n > 0 bytes.
 */
static inline size_t
nt_word_char(const unsigned char *s, size_t n)
{
	unsigned c = s[0], d;

	if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
	    (c >= 'a' && c <= 'z') || c == '_')
		return 1;
	if (n < 2 || ((d = s[1]) & 0xC0) != 0x80)
		return 0;
	if (c == 0xC3)
		return d == 0x97 || d == 0xB7 ? 0 : 2;
	if ((c >= 0xC4 && c <= 0xC8) || c == 0xCC)
		return 2;
	if (c == 0xC9)
		return d < 0x90 ? 2 : 0;
	if (c == 0xCD)
		return d < 0xB0 ? 2 : 0;
	return 0;
}

/*
 * A filter on first words, where a first word is a key's leading run of
 * nt_word_char() characters that ends the key or is followed by an ASCII
 * byte or a character from U+2000 to U+203F.  nt_trie_first_word()
 * returns 0 if no key can begin where the normalised text s begins, as far
 * as its first word and what follows tell, 1 if one may (a Bloom filter:
 * false positives, no false negatives).  s holds the n bytes of the text
 * that are known, a NUL byte standing for a barrier (where the text can
 * hold no more of a name).
 *
 * What follows the word is told to the filter as n1 and n2, the next two
 * normalised bytes: a byte, NT_FW_END for a barrier, NT_FW_ANY where they
 * are not known (n2 is read only when n1 is a byte).  When n1 is ' ' and
 * n2 an ASCII word byte, w2 points to the raw hash (nt_word_hash()) of the
 * text's second word in normal form, its run of nt_word_char() characters,
 * if what follows it is known to end it; otherwise w2 is NULL (where the
 * word ends in normal form is not known).
 */
#define NT_FW_END	256u
#define NT_FW_ANY	257u

int	nt_trie_first_word(const struct nt_trie *t, const unsigned char *s,
	    size_t n);

/*
 * The same test in two halves, for a word whose raw hash the caller took
 * with nt_word_hash(): nt_trie_first_word_hash() asks whether the word
 * begins any key (most words do not, and their next bytes need not be
 * read); nt_trie_first_word_next(), whether one that does begins one
 * before n1 and n2.  nt_word_filter_any() below is the first question,
 * inline.
 *
 * The hash is blind to ASCII case, so that one filter serves both modes
 * and the matcher can fold eight bytes in one operation: every byte is
 * taken with bit 0x20 set, which maps A-Z onto a-z, leaves digits alone
 * and sends '_' to DEL, which no word holds.  The bytes go in eight at a
 * time as a little-endian number padded with zeros; no word byte is zero,
 * so the padding tells the length.
 */
#define NT_WORD_HASH_INIT	0x9E3779B97F4A7C15u
#define NT_WORD_CASE		0x2020202020202020u
#define NT_WORD_HASH_MUL	0xD6E8FEB86659FD93u

static inline uint64_t
nt_word_hash_chunk(uint64_t h, uint64_t chunk)
{
	return (h ^ chunk) * NT_WORD_HASH_MUL;
}

static inline uint64_t
nt_word_hash(const unsigned char *w, size_t n)
{
	uint64_t h = NT_WORD_HASH_INIT, c;
	size_t i, k;

	for (i = 0; i < n; i += 8) {
		c = 0;
		for (k = 0; k < 8 && i + k < n; k++)
			c |= (uint64_t)(w[i + k] | 0x20) << (8 * k);
		h = nt_word_hash_chunk(h, c);
	}
	return h;
}

int	nt_trie_first_word_hash(const struct nt_trie *t, uint64_t h);
int	nt_trie_first_word_next(const struct nt_trie *t, uint64_t h,
	    unsigned n1, unsigned n2, const uint64_t *w2);

/* A word's raw hash (nt_word_hash()), mixed so that every bit counts. */
static inline uint64_t
nt_word_mix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xFF51AFD7ED558CCDu;
	h ^= h >> 33;
	return h;
}

/* The block of nb that a mixed hash picks: a multiply, not a modulo. */
static inline size_t
nt_word_block(uint64_t x, size_t nb)
{
	return (size_t)(((x & 0xFFFFFFFFu) * (uint64_t)nb) >> 32);
}

/*
 * The ANY item (the word begins some key) is asked of nearly every word of
 * a text, so it has an array of its own, small enough to stay in cache
 * (ANY_BITS bits a distinct first word), and its two bits lie in one
 * 64-bit word of it: one load and one compare.  The raw hash is mixed
 * once here, not by nt_word_mix(): a multiply carries no change downwards
 * (words that differ in their eighth byte alone differ in the raw hash's
 * top byte alone), so the high half is folded in and multiplied again.
 * (The words are in the machine's byte order, which the index file
 * records.)
 */
#define NT_WORD_ANY_MUL		0x9FB21C651E98DF25u

static inline uint64_t
nt_word_any_mix(uint64_t h)
{
	return (h ^ h >> 32) * NT_WORD_ANY_MUL;
}

/*
 * The word of an array of na 64-bit words (the ANY array, of nany, or the
 * PAIR array) that mixed hash x picks.
 */
static inline size_t
nt_word_any_word(uint64_t x, size_t na)
{
	return (size_t)(((x & 0xFFFFFFFFu) * (uint64_t)na) >> 32);
}

/* Whether mask m is set in that word of the array a. */
static inline int
nt_word_test(const unsigned char *a, size_t na, uint64_t x, uint64_t m)
{
	uint64_t w;

	memcpy(&w, a + 8 * nt_word_any_word(x, na), sizeof(w));
	return (w & m) == m;
}

/*
 * The places in a mixed hash of the 6-bit fields that give an item's bits
 * in its word (the matcher's vector form reads the same fields).
 */
#define NT_WORD_ANY_AT1		52
#define NT_WORD_ANY_AT2		58
#define NT_WORD_MASK3_AT1	34
#define NT_WORD_MASK3_AT2	40
#define NT_WORD_MASK3_AT3	46

static inline uint64_t
nt_word_any_mask(uint64_t x)
{
	return (uint64_t)1 << (x >> NT_WORD_ANY_AT1 & 63) |
	    (uint64_t)1 << (x >> NT_WORD_ANY_AT2 & 63);
}

/*
 * A first word that is a key alone (END) sets three more bits in the same
 * word, nt_word_mask3() of its mixed hash: a word followed by a space and
 * another word, the common case, is then asked about the two words (the
 * PAIR array) and nothing else.  Three bits, not two: the words that pass
 * ANY are common words, and a false "maybe" here is a walk.
 */
static inline uint64_t
nt_word_mask3(uint64_t x)
{
	return (uint64_t)1 << (x >> NT_WORD_MASK3_AT1 & 63) |
	    (uint64_t)1 << (x >> NT_WORD_MASK3_AT2 & 63) |
	    (uint64_t)1 << (x >> NT_WORD_MASK3_AT3 & 63);
}

/*
 * The PAIR array holds the first two words of keys that have them, three
 * bits in one 64-bit word (nt_word_mask3() of the pair's hash), picked as
 * in the ANY array (nt_word_any_word()).  A pair's hash is made from
 * the two words' ANY mixes (nt_word_any_mix()), which the matcher has in
 * hand for every word; the rotation keeps "a b" from being "b a".
 */
#define NT_WORD_PAIR_MUL	0xC2B2AE3D27D4EB4Fu

static inline uint64_t
nt_word_pair_mix(uint64_t xa, uint64_t xb)
{
	return (xa ^ (xb << 29 | xb >> 35)) * NT_WORD_PAIR_MUL;
}

/*
 * The filter's first question inline, for a matcher that asks it of every
 * word in its own loop: nt_trie_word_filter() fills f and returns 1, or
 * returns 0 if t has no filter or its filter is damaged (then any word may
 * begin a key).  A mapped filter is checked whole here.
 * nt_word_filter_any(f, h) is nt_trie_first_word_hash(t, h).
 */
struct nt_word_filter {
	const unsigned char *anyw;	/* the ANY words */
	size_t nany;
	const unsigned char *pairw;	/* the PAIR words */
	size_t npair;
};

int	nt_trie_word_filter(const struct nt_trie *t, struct nt_word_filter *f);

static inline int
nt_word_filter_any(const struct nt_word_filter *f, uint64_t h)
{
	uint64_t x = nt_word_any_mix(h);

	return nt_word_test(f->anyw, f->nany, x, nt_word_any_mask(x));
}

/*
 * nt_trie_first_word_next(t, h, ' ', b, &h2) for a word byte b: the
 * common case, a word followed by a space and a second word, in short.
 */
int	nt_trie_first_word_space(const struct nt_trie *t, uint64_t h,
	    uint64_t h2);

/*
 * nt_trie_first_word_space() for n pairs (n <= 64) at once, without a
 * branch on the answers, so that the filter's memory is read for all of
 * them together: bit k is set if word h[k] followed by a space and word
 * h2[k] may begin a key.
 */
uint64_t nt_trie_first_word_spaces(const struct nt_trie *t,
	    const uint64_t *h, const uint64_t *h2, size_t n);

/*
 * The prepared trie as a flat, position-independent image: its size in
 * bytes, and a copy of it written to dst (4-byte aligned, that many bytes).
 */
size_t	nt_trie_image_size(const struct nt_trie *t);
void	nt_trie_image(const struct nt_trie *t, unsigned char *dst);

/*
 * The same image as pieces in place, so that a writer need not copy it:
 * the bytes of p[0] .. p[n - 1], in order, are what nt_trie_image()
 * writes.  p[0] points into the struct itself (hdr), which must therefore
 * stay where it is while the pieces are used.
 */
#define NT_TRIE_PIECES	8
struct nt_trie_pieces {
	uint32_t hdr[9];
	const unsigned char *p[NT_TRIE_PIECES];
	size_t len[NT_TRIE_PIECES];
	size_t n;
};
void	nt_trie_image_pieces(const struct nt_trie *t,
	    struct nt_trie_pieces *out);

/*
 * A trie that uses the image at p (len bytes, 4-byte aligned) in place,
 * after checking its sizes; walks check every index they read, so that no
 * walk over a damaged image can leave it.  The image must outlive the
 * trie.  Returns NULL if the image is malformed.
 */
struct nt_trie *nt_trie_from_image(const void *p, size_t len);

/*
 * As nt_trie_from_image(), with every byte of the image checked by guard g
 * (NULL for none) before it is first read: a walk that meets a damaged
 * block dies there, and the guard records the damage for the caller.
 */
struct nt_trie *nt_trie_from_image_guarded(const void *p, size_t len,
	    struct nt_guard *g);

/* Free t and all it owns (not a borrowed image); t may be NULL. */
void	nt_trie_free(struct nt_trie *t);

#endif
