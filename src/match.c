/* nertag - match.c.  SPDX-License-Identifier: MIT */
/*
 * The stream matcher.  Input comes in blocks into a fixed window; the
 * scanner walks it once, and at every allowed start (the start of the
 * stream, or after a non-word character) whose first normalised byte begins
 * some name, it walks the tries cluster by cluster from there.  The walk
 * remembers the last place where a name ends and the next original
 * character is not a word character; the first start that yields one wins,
 * its longest name is the match, and scanning resumes after it.  This is
 * the leftmost-longest rule, as in flashtext and the JensenLab tagger.
 * Restarting at each word start instead of following Aho-Corasick failure
 * links is linear in practice: walks die within a few bytes.
 *
 * Only the bytes from the earliest start whose walk is undecided are kept;
 * everything before it is passed on.  A walk is bounded by the longest name
 * (NT_TRIE_KEY_MAX normalised bytes) times the most source bytes one
 * normalised byte can take (a capped white-space run, a character with
 * capped marks), so the window has a fixed size and memory does not depend
 * on the input.
 *
 * ASCII takes a fast path: a table gives each byte's class and whether it
 * can start a name, and walks over ASCII letters do not call utf8proc.
 * The scanner classifies 64 bytes at a time and asks the first-word
 * filter about all the words of such a block together, eight at a time
 * where the processor has AVX-512.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "match.h"
#include "normalize.h"
#include "util.h"

/*
 * ask_words() has a second form for x86 processors with AVX-512 (VBMI2:
 * byte compress and permute; BITALG: bit shuffle) and BMI2, chosen at run
 * time; NT_NO_AVX512 leaves it out, NT_NO_SIMD all vector code.
 */
#if (defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__)) && \
    !defined(NT_NO_SIMD) && !defined(NT_NO_AVX512))
#define ASK512	1
#include <immintrin.h>
#endif

#define DEFAULT_BLOCK	(128 * 1024)

/*
 * Source bytes one normalised byte may need: a white-space run at the cap,
 * then a mark-only cluster, plus a base character carrying capped marks.
 */
#define SRC_PER_BYTE	(NT_NORM_SPACE_CAP + 4 * (2 * NT_NORM_MARK_CAP + 2))

#define MAXLAYERS	NT_MATCH_MAX_LAYERS
#define HF_MAX		8	/* bytes of a normal form in hf */

enum { WALK_NONE, WALK_MATCH, WALK_MORE };

struct nt_matcher {
	struct nt_match_config cfg;
	unsigned char *buf;	/* the window, cap bytes */
	size_t cap;
	size_t len;		/* bytes in the window */
	size_t scan;		/* next byte to consider as a start */
	size_t emit;		/* first byte not yet passed on */
	uint64_t base;		/* stream offset of buf[0] */
	int prev_word;		/* the character before scan is a word one */
	const int *damaged;	/* the config's flag, or one always 0 */
	int failed;		/* damage was seen: pass nothing more on */
	unsigned char start[128];	/* ASCII byte may start a name */
	unsigned char word[128];	/* ASCII byte is a word character */
	unsigned char high;	/* some name starts with a byte >= 0x80 */
	uint64_t nolower;	/* all ones if no name starts with a-z */
	int wpairs;		/* words, too, go through the pair filter */
	unsigned char fold[128];
	size_t wend;		/* where the word first_word_maybe read ends */
	/*
	 * The block scan's last 64 bytes, for walk(): from wbase, wstop
	 * bytes of ASCII (no NUL), bit k of wmask set if byte wbase + k is
	 * a word byte.  wstop is 0 until process() has scanned a block.
	 */
	size_t wbase;
	uint64_t wmask;
	unsigned wstop;
	size_t maxrun;		/* longer word runs cannot be in a name */
	unsigned char *run;	/* a folded word run, or a word's normal form
				   (high_word()): maxrun bytes */
	/*
	 * The scanner's classes, so that the test at each byte depends on no
	 * state carried from the byte before: C_WORD, C_START (may start a
	 * name after a non-word character) and C_SLOW (NUL, also the
	 * sentinel, or a byte >= 0x80).
	 */
	unsigned char cls[256];
	/*
	 * The first two normalised bytes of names, for two ASCII bytes as
	 * they come, bit a * 128 + b: with folding and white space already
	 * applied, one load decides a start.
	 */
	unsigned char rawpairs[128 * 128 / 8];
	/*
	 * The same for the block scan, a byte a pair so that a start takes
	 * one load and no bit arithmetic: bit 0 set if a may start a name
	 * and the pair passes, bit 1 if a may start one (what counts when
	 * b is NUL or >= 0x80, and the slow path must look), at
	 * a * 128 + (b & 0x7F).
	 */
	unsigned char startpairs[128 * 128];
	/*
	 * Common non-ASCII characters, looked up once: the Latin letters of
	 * U+0080 to U+027F (two bytes) and the punctuation of U+2000 to
	 * U+203F (E2 80 xx: quotes, dashes).  U_KNOWN if the entry is set,
	 * U_WORD for a word character, U_START if a name may begin with it
	 * (its normalised form starts with some name's first byte).  Used
	 * only when an ASCII byte follows, so that no mark can join it.
	 */
	unsigned char u2[0x280 - 0x80];
	unsigned char u3[64];
	/*
	 * What U+2000 to U+203F normalise to, for the first-word filter:
	 * U3_SELF if to themselves, an ASCII byte if to that byte alone
	 * (apostrophes, dashes), else 0.
	 */
	unsigned char u3n[64];
	/* 0xFF for the ASCII bytes of class C_SPACE, for ask_words_512(). */
	unsigned char spc[128];
	/*
	 * The first two bytes that U+0080 to U+027F (then U+2000 to U+203F)
	 * normalise to when an ASCII byte follows, the second 0 if there is
	 * one only; both 0 if not known (white space, which joins runs, or
	 * nothing).  They let the first-word filter be asked about what
	 * follows a word when it is not ASCII: high_norm().
	 */
	unsigned char hn[0x200 + 64][2];
	/*
	 * The whole normal form of U+0080 to U+027F when an ASCII byte
	 * follows, if it is made of nt_word_char() characters and fits
	 * (hflen 0 if not): a word's normal form built from them is the one
	 * the first-word filter holds.
	 */
	unsigned char hf[0x200][HF_MAX];
	unsigned char hflen[0x200];
	/*
	 * The tries' first-word filters, got at the first word asked
	 * (nwf -1 before): nwf 0 if a trie has none, and then every word
	 * may begin a name.
	 */
	struct nt_word_filter wf[MAXLAYERS];
	int nwf;
	int ask512;		/* ask_words_512() may run here */
	unsigned char any[256];	/* some name's normalised form starts so */
	unsigned char pairs[8192];	/* and so, by two bytes: a * 256 + b */
	int u_ready;		/* u2 and u3 filled (at the first need) */
};

#define U3_SELF	0xFF

#define U_KNOWN	1
#define U_WORD	2
#define U_START	4

#define C_WORD	1
#define C_START	2	/* bit 1: the block scan shifts it down */
#define C_SLOW	4
#define C_SPACE	8	/* alone before a word byte, normalises to ' ' */

/*
 * The u2/u3 entry of code point cp on its own: 0 (not known, take the
 * slow path) for white space, which joins runs, and for what does not
 * normalise on its own.  Where it is known, its normal form's length goes
 * to *nlen and its first HF_MAX bytes (or fewer) to nf.
 */
static unsigned char
known(int32_t cp, unsigned flags, const unsigned char any[256],
    unsigned char nf[HF_MAX], size_t *nlen)
{
	unsigned char utf[4], *norm, u;
	size_t n, k;
	int cls = nt_norm_class(cp);

	if (cls == NT_CLASS_SPACE)
		return 0;
	if (cp < 0x800) {
		utf[0] = (unsigned char)(0xC0 | cp >> 6);
		utf[1] = (unsigned char)(0x80 | (cp & 0x3F));
		n = 2;
	} else {
		utf[0] = (unsigned char)(0xE0 | cp >> 12);
		utf[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
		utf[2] = (unsigned char)(0x80 | (cp & 0x3F));
		n = 3;
	}
	if ((norm = nt_norm_string(utf, n, flags, &k)) == NULL)
		return 0;
	u = U_KNOWN | (cls == NT_CLASS_WORD ? U_WORD : 0) |
	    (k > 0 && any[norm[0]] ? U_START : 0);
	memcpy(nf, norm, k < HF_MAX ? k : HF_MAX);
	*nlen = k;
	free(norm);
	return k > 0 ? u : 0;
}

/*
 * Fill the tables of U+0080 to U+027F and U+2000 to U+203F when the first
 * byte >= 0x80 comes, one normalisation a character: 576 characters
 * through utf8proc would be most of the start-up of a run on ASCII text.
 */
static void
fill_known(struct nt_matcher *m)
{
	unsigned char nf[HF_MAX], *e;
	size_t i, k, n, l;
	int32_t cp;

	for (i = 0; i < 0x200 + 64; i++) {
		cp = i < 0x200 ? (int32_t)i + 0x80 : (int32_t)i - 0x200 + 0x2000;
		e = i < 0x200 ? &m->u2[i] : &m->u3[i - 0x200];
		if ((*e = known(cp, m->cfg.flags, m->any, nf, &k)) == 0)
			continue;
		m->hn[i][0] = nf[0];
		m->hn[i][1] = k > 1 ? nf[1] : 0;
		if (i >= 0x200) {
			if (k == 3 && nf[0] == 0xE2 && nf[1] == 0x80 &&
			    nf[2] == 0x80 + (i - 0x200))
				m->u3n[i - 0x200] = U3_SELF;
			else if (k == 1 && nf[0] > 0x20 && nf[0] < 0x80 &&
			    !m->word[nf[0]])
				m->u3n[i - 0x200] = nf[0];
			continue;
		}
		/* The whole form, if it is made of word characters. */
		for (n = 0; k <= HF_MAX && n < k &&
		    (l = nt_word_char(nf + n, k - n)) != 0; n += l)
			;
		if (n == k && k <= HF_MAX) {
			memcpy(m->hf[i], nf, k);
			m->hflen[i] = (unsigned char)k;
		}
	}
	m->u_ready = 1;
}

int
nt_match_vector(void)
{
#ifdef ASK512
	__builtin_cpu_init();
	return __builtin_cpu_supports("avx512f") &&
	    __builtin_cpu_supports("avx512bw") &&
	    __builtin_cpu_supports("avx512dq") &&
	    __builtin_cpu_supports("avx512vbmi") &&
	    __builtin_cpu_supports("avx512vbmi2") &&
	    __builtin_cpu_supports("avx512bitalg") &&
	    __builtin_cpu_supports("bmi2");
#else
	return 0;
#endif
}

struct nt_matcher *
nt_match_new(const struct nt_match_config *cfg)
{
	struct nt_matcher *m = xcalloc(1, sizeof(*m));
	unsigned char first[256], *pairs = m->pairs;
	size_t i, maxlen = 1, walk;
	int b, c2, npairs;

	static const int never;

	m->cfg = *cfg;
	m->damaged = cfg->damaged != NULL ? cfg->damaged : &never;
	m->ask512 = !cfg->scalar && nt_match_vector();
	if (m->cfg.block == 0)
		m->cfg.block = DEFAULT_BLOCK;
	if (m->cfg.ntries > MAXLAYERS)
		m->cfg.ntries = MAXLAYERS;
	for (b = 0; b < 128; b++) {
		m->fold[b] = (cfg->flags & NT_NORM_CASEFOLD) ?
		    nt_norm_ascii_fold[b] : (unsigned char)b;
		m->word[b] = nt_norm_ascii_class[b] == NT_CLASS_WORD;
	}
	for (i = 0; i < m->cfg.ntries; i++) {
		unsigned char tp[8192];
		size_t k;

		nt_trie_first_pairs(cfg->tries[i], tp);
		for (k = 0; k < sizeof(tp); k++)
			pairs[k] |= tp[k];
		nt_trie_first_bytes(cfg->tries[i], first);
		for (b = 0; b < 256; b++)
			m->any[b] |= first[b];
		for (b = 0; b < 128; b++)
			m->start[b] |= first[m->fold[b]];
		for (b = 128; b < 256; b++)
			m->high |= first[b];
		if (nt_trie_max_len(cfg->tries[i]) > maxlen)
			maxlen = nt_trie_max_len(cfg->tries[i]);
	}
	/*
	 * A byte >= 0x80 may normalise to an ASCII first byte ('Å' to 'A'),
	 * so non-ASCII starts are always walked unless no name could begin
	 * there at all.
	 */
	for (b = 0; b < 128; b++)
		m->high |= m->start[b];
	m->nolower = ~(uint64_t)0;
	for (b = 'a'; b <= 'z'; b++)
		if (m->start[b])
			m->nolower = 0;
	for (b = 0; b < 128; b++) {
		for (c2 = 1; c2 < 128; c2++) {
			unsigned x = m->fold[b], y = nt_norm_ascii_class[c2] ==
			    NT_CLASS_SPACE && !(c2 == '\n' &&
			    (cfg->flags & NT_NORM_LINES)) ? ' ' : m->fold[c2];

			if (pairs[x * 32 + y / 8] & (1 << (y % 8)))
				m->rawpairs[(b * 128 + c2) / 8] |=
				    (unsigned char)(1 << (c2 % 8));
		}
	}
	for (b = 0; b < 128; b++)
		for (c2 = 0; c2 < 128; c2++)
			m->startpairs[b * 128 + c2] = m->start[b] ?
			    (unsigned char)(2 | (c2 > 0 && (m->rawpairs[(b *
			    128 + c2) / 8] >> (c2 % 8) & 1))) : 0;
	/*
	 * The pair filter is worth a look per word where it turns down many
	 * pairs of lower-case letters, most of what prose is made of; under
	 * -i with many names it turns down almost none.  A quarter of the
	 * pairs already holds the common ones ("th", "an", "of", "to"): at
	 * 252 pairs (-i, 10k-ci list) it turned down 9% of the words of
	 * prose and the look cost more than the hashing it saved.
	 */
	for (b = 'a', npairs = 0; b <= 'z'; b++)
		for (c2 = 'a'; c2 <= 'z'; c2++)
			npairs += m->start[b] && (m->rawpairs[(b * 128 + c2) /
			    8] >> (c2 % 8) & 1);
	m->wpairs = npairs < 26 * 26 / 4;
	m->maxrun = maxlen + 1;
	m->run = xmalloc(m->maxrun);
	for (b = 0; b < 256; b++) {
		if (b == 0 || b >= 0x80)
			m->cls[b] = C_SLOW;
		else
			m->cls[b] = (unsigned char)((m->word[b] ? C_WORD : 0) |
			    (m->start[b] ? C_START : 0) |
			    (nt_norm_ascii_class[b] == NT_CLASS_SPACE &&
			    !(b == '\n' && (cfg->flags & NT_NORM_LINES)) ?
			    C_SPACE : 0));
		if (b < 128)
			m->spc[b] = m->cls[b] & C_SPACE ? 0xFF : 0;
	}
	walk = maxlen * SRC_PER_BYTE + 64;
	m->cap = walk + m->cfg.block;
	/* The sentinel, and room for word_filter()'s reads past the end. */
	m->buf = xcalloc(m->cap + 1 + 16, 1);
	m->prev_word = 0;
	m->nwf = -1;
	return m;
}

/* The index in u2, hn and hf of the two-byte character at s (C2-C9 lead). */
static inline size_t
u2_at(const unsigned char *s)
{
	return ((s[0] & 0x1Fu) << 6 | (s[1] & 0x3Fu)) - 0x80;
}

/*
 * The hn entry of the character >= 0x80 at q, if the tables know it and
 * an ASCII byte follows it (no mark can change it); NULL if not.
 */
static const unsigned char *
high_norm(const struct nt_matcher *m, size_t q)
{
	const unsigned char *buf = m->buf, *e;
	unsigned c = buf[q];

	if (!m->u_ready)
		return NULL;
	if (c >= 0xC2 && c < 0xCA && q + 2 < m->len &&
	    (buf[q + 1] & 0xC0) == 0x80 && buf[q + 2] < 0x80)
		e = m->hn[u2_at(buf + q)];
	else if (c == 0xE2 && q + 3 < m->len && buf[q + 1] == 0x80 &&
	    (buf[q + 2] & 0xC0) == 0x80 && buf[q + 3] < 0x80)
		e = m->hn[0x200 + (buf[q + 2] & 0x3F)];
	else
		return NULL;
	return e[0] != 0 ? e : NULL;
}

/*
 * The normalised byte that the text at q begins with, when the ASCII fast
 * path can tell it: the byte, folded; ' ' for a run of ASCII white space;
 * NT_FW_END for a barrier (NUL, or a line feed under NT_NORM_LINES).
 * NT_FW_ANY when only the slow path can tell (a byte >= 0x80 here, a
 * run of white space that one may extend, or the window's end).  *next is
 * where the text after it begins, which may be a mark on it.  Mirrors
 * walk()'s steps.
 */
static unsigned
norm_byte(const struct nt_matcher *m, size_t q, size_t *next)
{
	const unsigned char *buf = m->buf;
	size_t r = q;
	unsigned c;

	if (q + 1 >= m->len)
		return NT_FW_ANY;
	c = buf[q];
	if (c == 0 || (c == '\n' && (m->cfg.flags & NT_NORM_LINES)))
		return NT_FW_END;
	if (c >= 0x80)
		return NT_FW_ANY;
	if (nt_norm_ascii_class[c] == NT_CLASS_SPACE) {
		/* Short runs only: a run past the cap is a barrier. */
		while (++r < m->len && r - q < 8 && buf[r] < 0x80 &&
		    nt_norm_ascii_class[buf[r]] == NT_CLASS_SPACE &&
		    !(buf[r] == '\n' && (m->cfg.flags & NT_NORM_LINES)))
			;
		/*
		 * A character >= 0x80 after the run may be white space that
		 * joins it, or a mark on its last byte, unless the tables
		 * know it (they know no such character).
		 */
		if (r >= m->len || buf[r] <= 0x20 ||
		    (buf[r] >= 0x80 && high_norm(m, r) == NULL))
			return NT_FW_ANY;
		*next = r;
		return ' ';
	}
	/*
	 * Marks after an ASCII character follow its fold in normal form
	 * (NFD composes nothing), so only the byte after it is in doubt.
	 */
	if (c < 0x20)
		return NT_FW_ANY;
	*next = q + 1;
	return m->fold[c];
}

/*
 * norm_byte() for the last byte the filter is told (n2), which may be the
 * first of a character >= 0x80.
 */
static unsigned
norm_last(const struct nt_matcher *m, size_t q)
{
	const unsigned char *e;
	size_t next;

	if (q < m->len && m->buf[q] >= 0x80)
		return (e = high_norm(m, q)) != NULL ? e[0] : NT_FW_ANY;
	return norm_byte(m, q, &next);
}

/*
 * Whether the byte at r (< m->len) ends a word in the normalised text as
 * it does in the source: an ASCII byte, or a character that normalises,
 * whatever follows it, to something that does not begin with a word
 * character (nt_word_char()).
 */
static int
ends_word(const struct nt_matcher *m, size_t r)
{
	const unsigned char *e;

	if (m->buf[r] < 0x80)
		return 1;
	if ((e = high_norm(m, r)) == NULL)
		return 0;
	return e[0] < 0x80 ? !m->word[e[0]] :
	    e[1] == 0 || nt_word_char(e, 2) == 0;
}

/* Eight bytes at p as a little-endian number, as nt_word_hash() packs them. */
static uint64_t
load_le64(const unsigned char *p)
{
	uint64_t x;

	memcpy(&x, p, sizeof(x));
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	x = __builtin_bswap64(x);
#endif
	return x;
}

/* The bytes of a run of n <= 16 that hash_run() keeps, in its two loads. */
static const uint64_t run_mask[17][2] = {
	{ 0, 0 },
	{ 0xFF, 0 },
	{ 0xFFFF, 0 },
	{ 0xFFFFFF, 0 },
	{ 0xFFFFFFFF, 0 },
	{ 0xFFFFFFFFFF, 0 },
	{ 0xFFFFFFFFFFFF, 0 },
	{ 0xFFFFFFFFFFFFFF, 0 },
	{ ~(uint64_t)0, 0 },
	{ ~(uint64_t)0, 0xFF },
	{ ~(uint64_t)0, 0xFFFF },
	{ ~(uint64_t)0, 0xFFFFFF },
	{ ~(uint64_t)0, 0xFFFFFFFF },
	{ ~(uint64_t)0, 0xFFFFFFFFFF },
	{ ~(uint64_t)0, 0xFFFFFFFFFFFF },
	{ ~(uint64_t)0, 0xFFFFFFFFFFFFFF },
	{ ~(uint64_t)0, ~(uint64_t)0 },
};

/*
 * nt_word_hash() of the n word bytes at s, which has 16 bytes that may be
 * read (the window has room past its end: nt_match_new()).  Words of up
 * to 16 bytes are read as two numbers, folded with one OR each.
 */
static inline uint64_t
hash_run(const unsigned char *s, size_t n)
{
	uint64_t lo, hi, h1, h2;

	if (n > 16)
		return nt_word_hash(s, n);
	/* No branch on the length: short and long words mix. */
	lo = (load_le64(s) | NT_WORD_CASE) & run_mask[n][0];
	hi = (load_le64(s + 8) | NT_WORD_CASE) & run_mask[n][1];
	h1 = nt_word_hash_chunk(NT_WORD_HASH_INIT, lo);
	h2 = nt_word_hash_chunk(h1, hi);
	return n > 8 ? h2 : h1;
}

/*
 * The normal form of the word at p, some of whose letters are from U+0080
 * to U+027F, into m->run, as far as the raw bytes before lim go: its
 * length, with *r at the byte after the word (or where reading stopped).
 * (size_t)-1 if the tables
 * cannot tell it (a letter whose normal form the filter does not hold);
 * m->maxrun if it is longer than any key.
 */
static size_t
high_word(struct nt_matcher *m, size_t p, size_t lim, size_t *r)
{
	const unsigned char *buf = m->buf;
	size_t q = p, n = 0, cp, k;

	if (!m->u_ready)
		fill_known(m);
	while (q < lim && n < m->maxrun) {
		if (m->cls[buf[q]] & C_WORD) {
			m->run[n++] = buf[q++];
			continue;
		}
		if (buf[q] < 0xC2 || buf[q] >= 0xCA || q + 2 >= m->len ||
		    (buf[q + 1] & 0xC0) != 0x80)
			break;
		cp = u2_at(buf + q);
		if (!(m->u2[cp] & U_WORD))
			break;
		/*
		 * A mark after it would join it, but a mark ends the loop
		 * and is no byte that may follow a first word.
		 */
		if ((k = m->hflen[cp]) == 0) {
			n = (size_t)-1;
			break;
		}
		if (n + k > m->maxrun) {
			n = m->maxrun;
			break;
		}
		memcpy(m->run + n, m->hf[cp], k);
		n += k;
		q += 2;
	}
	*r = q;
	return n;
}

/*
 * 0 if no key in any trie begins with the word of raw hash h followed by
 * the normalised bytes n1 and n2 (and the second word of hash *w2, if
 * known); 1 if one may.
 */
static int
next_bytes_maybe(const struct nt_matcher *m, uint64_t h, unsigned n1,
    unsigned n2, const uint64_t *w2)
{
	size_t i;

	for (i = 0; i < m->cfg.ntries; i++)
		if (nt_trie_first_word_next(m->cfg.tries[i], h, n1, n2, w2))
			return 1;
	return 0;
}

/*
 * 0 if no key in any trie begins with the word whose raw hash is h, which
 * ends at r with an ASCII byte, before what follows it in the text; 1 if
 * one may or it cannot be told.
 */
static int
next_maybe(struct nt_matcher *m, uint64_t h, size_t r)
{
	const unsigned char *buf = m->buf;
	size_t q = 0, lim, n;
	uint64_t h2;
	const uint64_t *w2 = NULL;
	unsigned n1, n2 = NT_FW_ANY, u;

	if (buf[r] == 0xE2) {
		/* Set by first_word_maybe(): U+2000 to U+203F. */
		if ((u = m->u3n[buf[r + 2] & 0x3F]) == 0)
			return 1;
		if (u == U3_SELF)
			n1 = 0xE2, n2 = 0x80;
		else {
			n1 = u;	/* never ' ': no second word follows */
			if (r + 3 < m->len)
				n2 = norm_last(m, r + 3);
		}
	} else {
		n1 = norm_byte(m, r, &q);
		if (n1 < 256)
			n2 = norm_last(m, q);
	}
	if (n1 == ' ' && n2 < 0x80 && m->word[n2]) {
		/*
		 * The second word, whole, if what follows it ends it in
		 * normal form too; built from the tables if it has letters
		 * beyond ASCII.
		 */
		lim = q + m->maxrun;
		if (lim > m->len)
			lim = m->len;
		for (r = q; r < lim && (m->cls[buf[r]] & C_WORD); r++)
			;
		if (r < lim && buf[r] >= 0xC2 && buf[r] < 0xCA) {
			lim = q + 4 * m->maxrun < m->len ? q + 4 * m->maxrun :
			    m->len;
			n = high_word(m, q, lim, &r);
			if (n > 0 && n < m->maxrun && r < lim &&
			    ends_word(m, r)) {
				h2 = nt_word_hash(m->run, n);
				w2 = &h2;
			}
		} else if (r > q && r < lim && ends_word(m, r)) {
			h2 = hash_run(buf + q, r - q);
			w2 = &h2;
		}
	}
	return next_bytes_maybe(m, h, n1, n2, w2);
}

/*
 * 0 if the word at p, followed by an ASCII byte, begins no key in any trie
 * with the bytes that follow it; 1 if one may or it cannot be told.  The
 * word may hold letters from U+0080 to U+027F (high_word()).  m->wend is
 * left at the word's end, or where the reading stopped.
 */
static int
first_word_maybe(struct nt_matcher *m, size_t p)
{
	const unsigned char *buf = m->buf;
	size_t r = p, lim = p + m->maxrun, i, n;
	uint64_t h;
	int high = 0;

	if (lim > m->len)
		lim = m->len;
	while (r < lim && (m->cls[buf[r]] & C_WORD))
		r++;
	n = r - p;
	if (r < lim && buf[r] >= 0xC2 && buf[r] < 0xCA) {
		high = 1;
		/* A longer limit: a letter's bytes may outnumber its form's. */
		lim = p + 4 * m->maxrun < m->len ? p + 4 * m->maxrun : m->len;
		n = high_word(m, p, lim, &r);
		if (n == (size_t)-1) {
			m->wend = p;
			return 1;
		}
		if (n >= m->maxrun) {
			m->wend = r;
			return 0;	/* longer than any key */
		}
	}
	m->wend = r;
	if (r >= m->len)
		return 1;
	if (buf[r] >= 0x80) {
		/*
		 * A mark or a letter after the word may change its normal
		 * form; a quote, apostrophe or dash from U+2000 to U+203F
		 * does not, and often follows a word.
		 */
		if (buf[r] != 0xE2 || r + 2 >= m->len || buf[r + 1] != 0x80 ||
		    (buf[r + 2] & 0xC0) != 0x80)
			return 1;
		if (!m->u_ready)
			fill_known(m);
		if (m->u3n[buf[r + 2] & 0x3F] == 0)
			return 1;
	}
	if (r == lim)
		return high;	/* ASCII: longer than any key */
	h = high ? nt_word_hash(m->run, n) : hash_run(buf + p, n);
	for (i = 0; i < m->cfg.ntries; i++)
		if (nt_trie_first_word_hash(m->cfg.tries[i], h))
			return next_maybe(m, h, r);
	return 0;
}

/*
 * The starts of cand to leave to first_word_maybe(): those of the word
 * that runs to pstop (or to the block's end), after the last non-word byte
 * before pstop.  Found once for the block, so that every other word has an
 * end in the block and no test for it.  *nw gets the non-word bytes before
 * pstop.
 */
static inline uint64_t
block_skip(uint64_t cand, uint64_t w, unsigned pstop, uint64_t *nw)
{
	*nw = ~w & (pstop < 64 ? ((uint64_t)1 << pstop) - 1 : ~(uint64_t)0);
	return *nw != 0 ? cand & ~(~(uint64_t)0 >> __builtin_clzll(*nw)) :
	    cand;
}

/* 1 if some of the nwf filters lets the word of raw hash h through. */
static inline unsigned
filters_any(const struct nt_word_filter *wf, int nwf, uint64_t h)
{
	unsigned ok = nwf == 0;
	int j;

	for (j = 0; j < nwf; j++)
		ok |= (unsigned)nt_word_filter_any(&wf[j], h);
	return ok;
}

/*
 * The first loop of word_filter(): every word of the block is asked here,
 * so the loop has no call and no branch on the answer (a word's slot is
 * written whether or not it passes), and the common case of one filter
 * (nwf 1, a constant after inlining) has no inner loop.  The words' hash,
 * start and end go to hs, at and end; bit k of the result is set if word
 * k passed.  *asked gets the starts asked, *nasked their number.
 */
static inline __attribute__((always_inline)) uint64_t
ask_words(const struct nt_matcher *m, const struct nt_word_filter *wf,
    int nwf, size_t p, uint64_t cand, uint64_t w, unsigned pstop,
    uint64_t *restrict hs, unsigned char *restrict at,
    unsigned char *restrict end, uint64_t *asked, size_t *nasked)
{
	const unsigned char *b = m->buf + p;
	uint64_t x, h, skip, all = cand, pass = 0, nw;
	unsigned q, e, n = 0, ok;

	skip = block_skip(cand, w, pstop, &nw);
	cand &= ~skip;
	/*
	 * A word whose first byte begins no name is asked too: the filter
	 * turns it down all but always, and word_filter() drops those that
	 * pass.  A test here would cost every word.
	 */
	while (cand != 0) {
		q = (unsigned)__builtin_ctzll(cand);
		x = nw & -(cand & -cand);	/* bits from q up */
		cand &= cand - 1;
		e = (unsigned)__builtin_ctzll(x);
		h = hash_run(b + q, e - q);
		ok = filters_any(wf, nwf, h);
		/*
		 * The slot is the word's count, not the count of words that
		 * passed: that would make each store wait for the load
		 * before it.
		 */
		hs[n] = h;
		end[n] = (unsigned char)e;
		at[n] = (unsigned char)q;
		pass |= (uint64_t)ok << n++;
	}
	*asked = all & ~skip;
	*nasked = n;
	return pass;
}

#ifdef ASK512
#define T512 __attribute__((target( \
    "avx512f,avx512bw,avx512dq,avx512vbmi,avx512vbmi2,avx512bitalg,bmi2")))
#define LANE_BYTE0	0x0101010101010101u

/*
 * From a bit shuffle's mask (bit 8i + b: byte b's bit of lane i), the
 * lanes whose bits of bytes 0 and 1 are set, and those of bytes 2 to 4.
 */
static inline T512 __mmask8
lanes2(uint64_t bits)
{
	return (__mmask8)_pext_u64(bits & bits >> 1, LANE_BYTE0);
}

static inline T512 __mmask8
lanes3(uint64_t bits)
{
	return (__mmask8)_pext_u64(bits & bits >> 1 & bits >> 2,
	    LANE_BYTE0 << 2);
}

/*
 * The word that each lane's mixed hash x picks in an array of na 64-bit
 * words at a (nt_word_any_word()), read for the lanes of k.
 */
static inline T512 __m512i
word512(const unsigned char *a, size_t na, __mmask8 k, __m512i x)
{
	return _mm512_mask_i64gather_epi64(_mm512_setzero_si512(), k,
	    _mm512_srli_epi64(_mm512_mul_epu32(x,
	    _mm512_set1_epi64((long long)na)), 32), (const void *)a, 8);
}

/*
 * ask_words() eight words at a time, with the same hashes and slots:
 * ask_words() spends some forty instructions on each word, and under -i
 * every word of prose is asked.  The starts and ends of the block's words
 * are packed in order by a compress; a byte permute of the block puts each
 * word's first sixteen bytes in two 64-bit lanes, where the hash and the
 * ANY test run as ask_words() runs them, the ANY words read by a gather.
 * A word of more than 16 bytes (rare in text) is hashed again on its own.
 *
 * A word that one white-space byte and another asked word follow (most
 * words) is asked here, too, what word_filter() would ask next
 * (nt_trie_first_word_spaces()): whether it is a key alone (the bits
 * beside its ANY bits) or begins one with the next word (the PAIR array).
 * Such words are left out of the result, and those that pass go to
 * *direct.  Under -i a fifth of the words of prose begin some name (he,
 * his, the), and the second question, asked one word at a time after the
 * first, cost as much again.  The PAIR words are read with the ANY words,
 * not after their answer: a gather waiting for another cost more than the
 * reads for words that fail the first question (bench/README.md).
 */
static T512 uint64_t
ask_words_512(const struct nt_matcher *m, const struct nt_word_filter *wf,
    int nwf, size_t p, uint64_t cand, uint64_t w, unsigned pstop,
    uint64_t *restrict hs, unsigned char *restrict at,
    unsigned char *restrict end, uint64_t *asked, size_t *nasked,
    uint64_t *direct)
{
	const unsigned char *b = m->buf + p;
	uint64_t nw, skip, ends, pass = 0, longw, gt8, h, all, pairs, spc;
	unsigned n, g, k;
	int j;
	__m512i blk, iota, starts, lens, sel, kpos, k8, pl, ln, lo, hi;
	__m512i h1, h2, x, y, xp, yp, places, xv[5];
	__mmask8 lanes, pr8, any8, end8;
	uint64_t bits;

	*direct = 0;
	skip = block_skip(cand, w, pstop, &nw);
	cand &= ~skip;
	*asked = cand;
	*nasked = n = (unsigned)__builtin_popcountll(cand);
	if (n == 0)
		return 0;
	/*
	 * A word's end is its first non-word byte.  Adding a start to the
	 * word mask carries through the word's bytes into that byte, which
	 * lies before pstop (the word that runs to pstop was left out).  Two
	 * starts in one word would share a carry: every start begins a word.
	 * Each start follows a non-word byte, so there are at most 32, and
	 * xv has room for a group after the last.
	 */
	assert((cand & ~w) == 0 && (cand & w << 1) == 0 && n <= 32);
	ends = (w + cand) & ~w;
	all = ((uint64_t)1 << n) - 1;
	blk = _mm512_loadu_si512((const void *)b);
	iota = _mm512_set_epi8(63, 62, 61, 60, 59, 58, 57, 56, 55, 54, 53,
	    52, 51, 50, 49, 48, 47, 46, 45, 44, 43, 42, 41, 40, 39, 38, 37, 36,
	    35, 34, 33, 32, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19,
	    18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
	starts = _mm512_maskz_compress_epi8(cand, iota);
	lens = _mm512_maskz_compress_epi8(ends, iota);
	_mm512_storeu_si512((void *)at, starts);
	_mm512_storeu_si512((void *)end, lens);
	lens = _mm512_sub_epi8(lens, starts);
	longw = _mm512_cmpgt_epu8_mask(lens, _mm512_set1_epi8(16)) & all;
	gt8 = _mm512_cmpgt_epu8_mask(lens, _mm512_set1_epi8(8));
	/*
	 * The words that one white-space byte and an asked word follow, bit
	 * k for word k: the classes of the block's bytes (ASCII before pstop)
	 * come from m->spc.  A long word's hash is not in hand yet: neither
	 * it nor the word before it is one of them.
	 */
	spc = _mm512_movepi8_mask(_mm512_permutex2var_epi8(
	    _mm512_loadu_si512((const void *)m->spc), blk,
	    _mm512_loadu_si512((const void *)(m->spc + 64))));
	pairs = nwf > 0 ? _pext_u64(spc & cand >> 1, ends) & all & ~longw &
	    ~(longw >> 1) : 0;
	/*
	 * Lane i of a group takes word g + i: every byte of its index is
	 * g + i for the byte permutes, and kpos (k8) adds each byte's place
	 * in the word's first (second) eight.
	 */
	sel = _mm512_set_epi64(0x0707070707070707, 0x0606060606060606,
	    0x0505050505050505, 0x0404040404040404, 0x0303030303030303,
	    0x0202020202020202, 0x0101010101010101, 0);
	kpos = _mm512_set1_epi64(0x0706050403020100);
	k8 = _mm512_set1_epi64(0x0F0E0D0C0B0A0908);
	for (g = 0; g < n; g += 8) {
		pl = _mm512_permutexvar_epi8(sel, starts);
		ln = _mm512_permutexvar_epi8(sel, lens);
		sel = _mm512_add_epi8(sel, _mm512_set1_epi8(8));
		lo = _mm512_maskz_mov_epi8(_mm512_cmplt_epu8_mask(kpos, ln),
		    _mm512_or_si512(_mm512_permutexvar_epi8(_mm512_add_epi8(pl,
		    kpos), blk), _mm512_set1_epi64((long long)NT_WORD_CASE)));
		hi = _mm512_maskz_mov_epi8(_mm512_cmplt_epu8_mask(k8, ln),
		    _mm512_or_si512(_mm512_permutexvar_epi8(_mm512_add_epi8(pl,
		    k8), blk), _mm512_set1_epi64((long long)NT_WORD_CASE)));
		h1 = _mm512_mullo_epi64(_mm512_xor_si512(lo,
		    _mm512_set1_epi64((long long)NT_WORD_HASH_INIT)),
		    _mm512_set1_epi64((long long)NT_WORD_HASH_MUL));
		h2 = _mm512_mullo_epi64(_mm512_xor_si512(h1, hi),
		    _mm512_set1_epi64((long long)NT_WORD_HASH_MUL));
		h1 = _mm512_mask_blend_epi64((__mmask8)(gt8 >> g), h1, h2);
		_mm512_storeu_si512((void *)(hs + g), h1);
		/* nt_word_any_mix(). */
		xv[g / 8] = _mm512_mullo_epi64(_mm512_xor_si512(h1,
		    _mm512_srli_epi64(h1, 32)),
		    _mm512_set1_epi64((long long)NT_WORD_ANY_MUL));
	}
	xv[(n + 7) / 8] = _mm512_setzero_si512();
	/*
	 * The places of a mixed hash's bits in its word, a byte each: those
	 * of nt_word_any_mask() in bytes 0 and 1, of nt_word_mask3() in
	 * 2 to 4.  A multishift puts each lane's in its bytes, and a bit
	 * shuffle reads the bits there, bit 8i + b for byte b of lane i.
	 */
	places = _mm512_set1_epi64((long long)(NT_WORD_ANY_AT1 |
	    NT_WORD_ANY_AT2 << 8 | NT_WORD_MASK3_AT1 << 16 |
	    NT_WORD_MASK3_AT2 << 24 | (uint64_t)NT_WORD_MASK3_AT3 << 32));
	for (g = 0; g < n; g += 8) {
		x = xv[g / 8];
		lanes = (__mmask8)(all >> g);
		pr8 = (__mmask8)(pairs >> g);
		if (nwf == 0)
			pass |= (uint64_t)lanes << g;
		xp = _mm512_multishift_epi64_epi8(places, x);
		if (pr8 != 0) {
			/* nt_word_pair_mix() with the next lane's word. */
			y = _mm512_mullo_epi64(_mm512_xor_si512(x,
			    _mm512_rol_epi64(_mm512_alignr_epi64(xv[g / 8 + 1],
			    x, 1), 29)),
			    _mm512_set1_epi64((long long)NT_WORD_PAIR_MUL));
			yp = _mm512_multishift_epi64_epi8(places, y);
		} else
			y = yp = _mm512_setzero_si512();
		for (j = 0; j < nwf; j++) {
			bits = _mm512_bitshuffle_epi64_mask(word512(wf[j].anyw,
			    wf[j].nany, lanes, x), xp);
			any8 = lanes2(bits) & lanes;
			end8 = lanes3(bits) & any8 & pr8;
			pass |= (uint64_t)(any8 & ~pr8) << g;
			if (pr8 != 0)
				end8 |= lanes3(_mm512_bitshuffle_epi64_mask(
				    word512(wf[j].pairw, wf[j].npair, pr8, y),
				    yp)) & any8 & pr8;
			*direct |= (uint64_t)end8 << g;
		}
	}
	for (; longw != 0; longw &= longw - 1) {
		k = (unsigned)__builtin_ctzll(longw);
		hs[k] = h = nt_word_hash(b + at[k], (size_t)(end[k] - at[k]));
		pass = (pass & ~((uint64_t)1 << k)) |
		    (uint64_t)filters_any(wf, nwf, h) << k;
	}
	return pass;
}
#endif

/*
 * first_word_maybe() for the starts in cand (word starts in the 64 bytes
 * at p, whose word mask is w and whose first slow byte is at pstop), all
 * at once, without leaving the block scan: the filters are asked about
 * every word before any answer is used, so that their memory is read for
 * all of them together.  Returns the starts to skip; *walk gets those to
 * walk from without asking again.  A word that runs to pstop is in
 * neither: first_word_maybe() decides it.
 */
static uint64_t
word_filter(struct nt_matcher *m, size_t p, uint64_t cand, uint64_t w,
    unsigned pstop, uint64_t *walk)
{
	uint64_t hs[64], h1[64], h2[64], pass, asked, all;
	unsigned char at[64], end[64], who[64];
	size_t nasked;
	const unsigned char *s, *r, *lim = m->buf + m->len;
	unsigned k = 0, e, q;
	int maybe;
	uint64_t x;
	size_t i;

	if (m->nwf < 0) {
		for (i = 0; i < m->cfg.ntries; i++)
			if (!nt_trie_word_filter(m->cfg.tries[i], &m->wf[i]))
				break;
		m->nwf = i < m->cfg.ntries ? 0 : (int)m->cfg.ntries;
	}
	*walk = 0;
#ifdef ASK512
	/*
	 * One or two words are asked faster one at a time.  (Three or more:
	 * cand keeps a bit with its two lowest cleared; no popcount, which
	 * is a library call in a generic x86-64 build.)
	 */
	if (m->ask512 && (x = cand & (cand - 1), x & (x - 1)) != 0) {
		pass = ask_words_512(m, m->wf, m->nwf, p, cand, w, pstop, hs,
		    at, end, &asked, &nasked, &x);
		/* The words that passed both questions there. */
		for (; x != 0; x &= x - 1) {
			i = (size_t)__builtin_ctzll(x);
			if (m->cls[m->buf[p + at[i]]] & C_START)
				*walk |= (uint64_t)1 << at[i];
		}
	} else
#endif
	if (m->nwf == 1)
		pass = ask_words(m, &m->wf[0], 1, p, cand, w, pstop, hs, at, end,
		    &asked, &nasked);
	else
		pass = ask_words(m, m->wf, m->nwf, p, cand, w, pstop, hs, at, end,
		    &asked, &nasked);
	/* Only the words that pass go on. */
	for (; pass != 0; pass &= pass - 1) {
		i = (size_t)__builtin_ctzll(pass);
		if (!(m->cls[m->buf[p + at[i]]] & C_START))
			continue;
		s = m->buf + p + end[i];
		/*
		 * The common case, a white-space byte (which alone before a
		 * word byte normalises to ' ') and a second word of ASCII
		 * that ends as it does in normalised form.  Those are asked
		 * all at once.
		 */
		e = end[i];
		if ((m->cls[s[0]] & C_SPACE) && i + 1 < nasked &&
		    at[i + 1] == e + 1) {
			/* The next word was asked too: its hash is in hand. */
			h1[k] = hs[i];
			h2[k] = hs[i + 1];
			who[k++] = at[i];
			continue;
		}
		if ((m->cls[s[0]] & C_SPACE) && (m->cls[s[1]] & C_WORD)) {
			/*
			 * The second word's end from the masks if it is in
			 * the block (a byte loop's exit is mispredicted at
			 * nearly every word), else a byte at a time, the
			 * sentinel at the window's end stopping the loop.
			 */
			if (e < 62 && (x = ~w >> (e + 1) << (e + 1)) != 0 &&
			    (q = (unsigned)__builtin_ctzll(x)) < pstop)
				r = m->buf + p + q;
			else {
				for (r = s + 2; m->cls[*r] & C_WORD; r++)
					;
				if (r >= lim ||
				    !ends_word(m, (size_t)(r - m->buf)))
					r = s + 18;
			}
			if (r - s <= 17) {
				h1[k] = hs[i];
				h2[k] = hash_run(s + 1, (size_t)(r - s - 1));
				who[k++] = at[i];
				continue;
			}
		}
		/*
		 * ASCII punctuation, then ASCII that is no white space, or
		 * one space and such a byte: "him." or "he, said" (next_maybe()
		 * finds the same, at more cost).  A mark after the second
		 * byte would follow its fold in normal form.
		 */
		if (s + 2 < lim && s[0] > ' ' && s[0] < 0x80 &&
		    ((s[1] > ' ' && s[1] < 0x80) ||
		    (s[1] == ' ' && s[2] > ' ' && s[2] < 0x80)))
			maybe = next_bytes_maybe(m, hs[i], m->fold[s[0]],
			    s[1] == ' ' ? ' ' : m->fold[s[1]], NULL);
		else
			maybe = next_maybe(m, hs[i], p + end[i]);
		if (maybe)
			*walk |= (uint64_t)1 << at[i];
	}
	if (k > 0) {
		all = ~(uint64_t)0 >> (64 - k);
		for (i = 0, pass = 0; i < m->cfg.ntries && (pass & all) != all;
		    i++)
			pass |= nt_trie_first_word_spaces(m->cfg.tries[i], h1,
			    h2, k);
		for (pass &= all; pass != 0; pass &= pass - 1)
			*walk |= (uint64_t)1 << who[__builtin_ctzll(pass)];
	}
	return asked & ~*walk;
}

/*
 * Whether a name may begin with the normalised bytes e (an hn entry)
 * followed by the ASCII byte c2, as far as its first two bytes tell.
 */
static int
pair_maybe(const struct nt_matcher *m, const unsigned char e[2], unsigned c2)
{
	unsigned y = e[1];

	if (y == 0) {
		if (c2 == 0)
			return 1;	/* a barrier: left to the walk */
		y = (m->cls[c2] & C_SPACE) ? ' ' : m->fold[c2];
	}
	return m->pairs[e[0] * 32 + y / 8] >> (y % 8) & 1;
}

/* Pass on the text before p. */
static void
flush_to(struct nt_matcher *m, size_t p)
{
	if (p > m->emit)
		m->cfg.text(m->cfg.ctx, m->buf + m->emit, p - m->emit);
	m->emit = p;
}

/*
 * 1 if the character at s (not ASCII; s[1] may be read) is none that could
 * join the one before it: a character from U+0080 to U+027F or from
 * U+2000 to U+203F, the ranges of the tables, where no mark lies.
 */
static inline int
no_mark(const unsigned char *s)
{
	return (s[0] >= 0xC2 && s[0] < 0xCA) || (s[0] == 0xE2 && s[1] == 0x80);
}

/*
 * The length of the run of ASCII white space at q, where an ASCII byte
 * after it shows where it ends and it normalises to one space (no longer
 * than NT_NORM_SPACE_CAP, not a line feed that is a barrier); else 0, and
 * nt_norm_cluster() decides.  Most runs between the words of a name are
 * one space, or a line break.
 */
static inline size_t
space_run(const struct nt_matcher *m, size_t q)
{
	const unsigned char *buf = m->buf;
	size_t r = q, lim = q + NT_NORM_SPACE_CAP;
	unsigned lf = m->cfg.flags & NT_NORM_LINES ? '\n' : 0x100;

	if (lim > m->len)
		lim = m->len;
	while (r < lim && buf[r] < 0x80 &&
	    nt_norm_ascii_class[buf[r]] == NT_CLASS_SPACE && buf[r] != lf)
		r++;
	if (r == q || r >= m->len || buf[r] >= 0x80 ||
	    (nt_norm_ascii_class[buf[r]] == NT_CLASS_SPACE && buf[r] != lf))
		return 0;
	return r - q;
}

/*
 * Walk the tries from p.  On WALK_MATCH, *end, *layer, *value and *lastword
 * (the last matched character is a word one) describe the longest name
 * there.  WALK_MORE: undecidable before more input arrives.
 */
static int
walk(struct nt_matcher *m, size_t p, int eof, size_t *end, size_t *layer,
    uint32_t *value, int *lastword)
{
	struct nt_trie_pos pos[MAXLAYERS], vpos;
	unsigned alive[MAXLAYERS], valive;
	const struct nt_match_config *cfg = &m->cfg;
	const unsigned char *buf = m->buf, *out;
	size_t q = p, len = m->len, olen, slen, i, nalive, clen;
	struct nt_cluster cl;
	unsigned char one, u;
	unsigned x;
	int found = 0, lw, k;
	uint32_t vi, vv = 0;
	size_t lay;
	int32_t cp;
	uint32_t v;

	for (i = 0; i < cfg->ntries; i++) {
		nt_trie_start(&pos[i]);
		alive[i] = 1;
	}
	nalive = cfg->ntries;
	nt_trie_start(&vpos);
	valive = cfg->veto != NULL;
	for (;;) {
		unsigned char c;

		if (q >= len) {
			if (!eof)
				return WALK_MORE;
			break;
		}
		c = buf[q];
		if (c < 0x80 && m->word[c]) {
			/*
			 * A run of ASCII word characters steps at once: no
			 * name can end inside it.  Its last byte is left to
			 * the slow path when a mark may follow it.
			 */
			size_t r = q + 1, lim = q + m->maxrun,
			    kb = q - m->wbase;

			if (lim > len)
				lim = len;
			/*
			 * Its end from the block scan's mask where that saw
			 * q: the byte loop's exit is mispredicted at nearly
			 * every word.  (q < wbase wraps kb past wstop.)
			 */
			if (kb < m->wstop) {
				uint64_t nw = ~m->wmask >> kb;

				r = nw != 0 ? q + (size_t)__builtin_ctzll(nw) :
				    m->wbase + 64;
				if (r > lim)
					r = lim;
			}
			while (r < lim && buf[r] < 0x80 && m->word[buf[r]])
				r++;
			if (r == len || (buf[r] >= 0x80 && !no_mark(buf + r)))
				r--;
			if (r > q) {
				slen = olen = r - q;
				if (cfg->flags & NT_NORM_CASEFOLD) {
					for (i = 0; i < olen; i++)
						m->run[i] = m->fold[buf[q + i]];
					out = m->run;
				} else
					out = buf + q;
				lw = 1;
				goto step;
			}
		}
		/*
		 * An ASCII character normalises to its fold when no mark can
		 * join it: ASCII follows, or a character from the tables
		 * below (none of them is a mark).
		 */
		if (c > 0x20 && c < 0x80 && q + 1 < len &&
		    (buf[q + 1] < 0x80 || no_mark(buf + q + 1))) {
			one = m->fold[c];
			out = &one;
			olen = slen = 1;
			lw = m->word[c];
		} else if (c >= 0xC2 && c < 0xCA && q + 2 < len &&
		    (buf[q + 1] & 0xC0) == 0x80 && buf[q + 2] < 0x80 &&
		    (m->u_ready || (fill_known(m), 1)) &&
		    (u = m->u2[x = (unsigned)u2_at(buf + q)]) != 0 &&
		    m->hflen[x] != 0) {
			/* A Latin letter whose normal form the tables hold. */
			out = m->hf[x];
			olen = m->hflen[x];
			slen = 2;
			lw = (u & U_WORD) != 0;
		} else if (c == 0xE2 && buf[q + 1] == 0x80 && q + 3 < len &&
		    (buf[q + 2] & 0xC0) == 0x80 && buf[q + 3] < 0x80 &&
		    (m->u_ready || (fill_known(m), 1)) &&
		    (u = m->u3[x = buf[q + 2] & 0x3Fu]) != 0 &&
		    m->u3n[x] != 0) {
			/* Quotes and dashes: themselves, or one ASCII byte. */
			if (m->u3n[x] == U3_SELF)
				out = buf + q;
			else {
				one = m->u3n[x];
				out = &one;
			}
			olen = m->u3n[x] == U3_SELF ? 3 : 1;
			slen = 3;
			lw = (u & U_WORD) != 0;
		} else if (c < 0x80 && nt_norm_ascii_class[c] ==
		    NT_CLASS_SPACE && (slen = space_run(m, q)) != 0) {
			one = ' ';
			out = &one;
			olen = 1;
			lw = 0;
		} else {
			k = nt_norm_cluster(buf + q, len - q, eof, cfg->flags,
			    &cl);
			if (k == NT_CLUSTER_MORE)
				return WALK_MORE;
			if (k == NT_CLUSTER_BARRIER)
				break;
			out = cl.out;
			olen = cl.len;
			slen = cl.srclen;
			if (k == NT_CLUSTER_SPACE)
				lw = 0;
			else {
				clen = nt_norm_decode(buf + q, len - q, &cp);
				lw = clen < slen ||
				    nt_norm_class(cp) == NT_CLASS_WORD;
			}
		}
step:
		/* The value of the first layer where a name ends here. */
		v = 0;
		lay = 0;
		for (i = 0; i < cfg->ntries; i++)
			if (alive[i]) {
				if (!nt_trie_step_value(cfg->tries[i], &pos[i],
				    out, olen, &vi)) {
					alive[i] = 0;
					nalive--;
				} else if (v == 0 && vi != 0) {
					v = vi;
					lay = i;
				}
			}
		if (nalive == 0)
			break;
		if (valive && !nt_trie_step_value(cfg->veto, &vpos, out, olen,
		    &vv))
			valive = 0;
		q += slen;
		if (v == 0 || (valive && vv != 0))
			continue;
		/* A name ends here; is the next character a boundary? */
		if (q < len) {
			if (buf[q] < 0x80)
				k = m->word[buf[q]];
			else {
				k = nt_norm_class_at(buf + q, len - q, eof,
				    &clen);
				if (k == -1)
					return WALK_MORE;
				k = k == NT_CLASS_WORD;
			}
			if (k)
				continue;
		} else if (!eof)
			return WALK_MORE;
		found = 1;
		*end = q;
		*layer = lay;
		*value = v;
		*lastword = lw;
	}
	return found ? WALK_MATCH : WALK_NONE;
}

/*
 * Stop for good: a damaged index block was met, so nothing from here on
 * can be trusted.  The window is dropped without being passed on.
 */
static void
fail(struct nt_matcher *m)
{
	m->failed = 1;
	m->scan = m->emit = m->len;
}

int
nt_match_failed(const struct nt_matcher *m)
{
	return m->failed;
}

/*
 * Scan from m->scan as far as the window allows; with eof, to the end.
 * Everything before the place where it stops is passed on.
 */
static void
process(struct nt_matcher *m, int eof)
{
	const unsigned char *buf = m->buf;
	size_t p = m->scan, len = m->len, end, layer, clen = 1, pbase = 0;
	int prev = m->prev_word, r, lw, k = 0, ask;
	uint64_t pmask = 0, pw = 0, pwalk = 0;
	unsigned pstop = 0, pnext = 0;
	struct nt_span s;
	uint32_t value;

	if (m->failed || *m->damaged) {
		fail(m);
		return;
	}
	m->buf[len] = 0;	/* the sentinel that stops the automaton */
	for (;;) {
		unsigned char c, t;

		/*
		 * 64 bytes at a time, without a branch per word: the places
		 * after a non-word byte whose byte may start a name and whose
		 * first two bytes pass the pair filter (pmask), up to the
		 * first byte that needs the slow path (pstop).  The masks
		 * depend on the bytes alone, so after a start is dealt with
		 * the scan resumes from them; the byte loop below then stops
		 * at once.
		 */
		for (;;) {
			uint64_t w, h, a, lo, wa;
			unsigned q, q0;

			if (p >= pbase && p < pbase + pnext) {
				q0 = (unsigned)(p - pbase);
				a = pmask >> q0 << q0;
				q = a != 0 ? (unsigned)__builtin_ctzll(a) : pnext;
				if (q > q0)
					prev = (int)(pw >> (q - 1) & 1);
				p = pbase + q;
				if (a != 0 || pstop < 64)
					break;
			}
			if (p + 65 > len)
				break;
			nt_norm_scan64(buf + p, &w, &h, &lo);
			pstop = h != 0 ? (unsigned)__builtin_ctzll(h) : 64;
			/*
			 * A word that runs off the block's end is left to
			 * the next block, which begins with it, rather than
			 * to the byte loop: one word a block, or a tenth of
			 * the words of prose.
			 */
			pnext = pstop;
			if (pstop == 64 && (w >> 63) != 0 && ~w != 0)
				pnext = 64 - (unsigned)__builtin_clzll(~w);
			/* Capitalised names: most words need no look. */
			a = ~(w << 1 | (uint64_t)prev) & ~(lo & m->nolower);
			if (pnext < 64)
				a &= ((uint64_t)1 << pnext) - 1;
			/* Where the pair filter passes most words, skip it. */
			wa = m->wpairs ? 0 : a & w;
			a &= ~wa;
			pmask = 0;
			while (a != 0) {
				unsigned x, y;

				q = (unsigned)__builtin_ctzll(a);
				a &= a - 1;
				x = buf[p + q];
				y = buf[p + q + 1];
				/*
				 * No branch: one would be mispredicted at
				 * every other word.  A next byte of NUL or
				 * >= 0x80 leaves the start to the slow path
				 * (bit 1).
				 */
				pmask |= (uint64_t)(m->startpairs[x * 128 +
				    (y & 0x7F)] >> ((unsigned)(y - 1) >= 0x7F) &
				    1) << q;
			}
			pwalk = 0;
			if (((pmask & w) | wa) != 0)
				pmask = (pmask | wa) & ~word_filter(m, p,
				    (pmask & w) | wa, w, pstop, &pwalk);
			pbase = p;
			pw = w;
			if (pstop == 0)
				break;	/* the slow path's byte is at p */
		}
		/*
		 * Stop at a possible start (C_START after a non-word byte) or
		 * where the slow path must look.  C_WORD shifted left masks
		 * C_START, so the test needs no branch on the previous byte.
		 */
		while (((t = m->cls[buf[p]]) & ~(prev << 1) &
		    (C_START | C_SLOW)) == 0) {
			prev = t & C_WORD;
			p++;
		}
		if (p >= len)
			break;
		c = buf[p];
		if (c == 0) {
			prev = 0;
			p++;
			continue;
		}
		if (c >= 0x80) {
			unsigned char u = 0;
			unsigned x = 0;

			if (!m->u_ready)
				fill_known(m);
			/* Common letters and punctuation without utf8proc. */
			if (c >= 0xC2 && c < 0xCA && p + 2 < len &&
			    (buf[p + 1] & 0xC0) == 0x80 && buf[p + 2] < 0x80) {
				x = (unsigned)u2_at(buf + p);
				u = m->u2[x];
				clen = 2;
			} else if (c == 0xE2 && buf[p + 1] == 0x80 &&
			    p + 3 < len && (buf[p + 2] & 0xC0) == 0x80 &&
			    buf[p + 3] < 0x80) {
				x = 0x200 + (buf[p + 2] & 0x3Fu);
				u = m->u3[buf[p + 2] & 0x3F];
				clen = 3;
			}
			if (u != 0) {
				k = u & U_WORD ? NT_CLASS_WORD : NT_CLASS_OTHER;
				/*
				 * The pair filter, too: an opening quote that
				 * normalises to an apostrophe may begin a
				 * name, but seldom before a space.
				 */
				if (prev || !(u & U_START) ||
				    !pair_maybe(m, m->hn[x], buf[p + clen])) {
					prev = k == NT_CLASS_WORD;
					p += clen;
					continue;
				}
			} else if ((k = nt_norm_class_at(buf + p, len - p, eof,
			    &clen)) == -1)
				break;
			else if (prev || !m->high || k == NT_CLASS_SPACE) {
				/*
				 * No name begins with white space: a walk
				 * from each character of a run of U+00A0 or
				 * U+3000 read the run to its cap each time.
				 */
				prev = k == NT_CLASS_WORD;
				p += clen;
				continue;
			}
		}
		/*
		 * Most starts die at the second byte; the pair filter decides
		 * those without a walk.  An ASCII character followed by ASCII
		 * normalises to its fold, and white space to one space.
		 */
		if (c < 0x80 && p + 1 < len && buf[p + 1] < 0x80 &&
		    buf[p + 1] != 0) {
			unsigned b = buf[p + 1];

			if (!(m->rawpairs[(c * 128 + b) / 8] & (1 << (b % 8)))) {
				prev = m->word[c];
				p++;
				continue;
			}
			/* Not if the block scan asked already. */
			ask = m->word[c] && !(p >= pbase && p - pbase < 64 &&
			    (pwalk >> (p - pbase) & 1));
		} else {
			/*
			 * A word with letters beyond ASCII, or that begins
			 * with one: the filter knows it where the tables tell
			 * its normal form.
			 */
			ask = (c < 0x80 && m->word[c]) || (c >= 0xC2 &&
			    c < 0xCA && k == NT_CLASS_WORD);
		}
		/*
		 * Ask the tries' first-word filters about the word and what
		 * follows it before walking, and skip the word if no name
		 * begins so.
		 */
		if (ask && !first_word_maybe(m, p)) {
			p = m->wend;
			while (m->cls[buf[p]] & C_WORD)
				p++;
			prev = 1;
			continue;
		}
		m->wbase = pbase;
		m->wmask = pw;
		m->wstop = pstop;
		r = walk(m, p, eof, &end, &layer, &value, &lw);
		if (r == WALK_MORE) {
			/* The window is full: no walk may be longer. */
			if (p != 0 || len < m->cap)
				break;
			r = walk(m, p, 1, &end, &layer, &value, &lw);
		}
		if (*m->damaged) {
			fail(m);
			return;
		}
		if (r == WALK_MATCH) {
			flush_to(m, p);
			s.start = m->base + p;
			s.end = m->base + end;
			s.layer = layer;
			s.value = value;
			s.lastword = lw;
			m->cfg.span(m->cfg.ctx, buf + p, end - p, &s);
			if (*m->damaged) {
				fail(m);
				return;
			}
			m->emit = p = end;
			prev = lw;
			continue;
		}
		/* No name here: step over this character. */
		if (c < 0x80) {
			prev = m->word[c];
			p++;
		} else {
			prev = k == NT_CLASS_WORD;
			p += clen;
		}
	}
	m->scan = p;
	m->prev_word = prev;
	flush_to(m, p);
}

unsigned char *
nt_match_space(struct nt_matcher *m, size_t *n)
{
	/* Everything before scan has been passed on; keep the rest. */
	if (m->scan > 0 && m->cap - m->len < m->cfg.block) {
		memmove(m->buf, m->buf + m->scan, m->len - m->scan);
		m->len -= m->scan;
		m->base += m->scan;
		m->emit -= m->scan;
		m->scan = 0;
	}
	*n = m->cap - m->len;
	if (*n > m->cfg.block)
		*n = m->cfg.block;
	/* process() always decides a full window, so there is room. */
	assert(*n > 0);
	return m->buf + m->len;
}

void
nt_match_commit(struct nt_matcher *m, size_t n)
{
	m->len += n;
	process(m, 0);
}

void
nt_match_feed(struct nt_matcher *m, const void *p, size_t n)
{
	const unsigned char *s = p;
	unsigned char *dst;
	size_t room;

	while (n > 0) {
		dst = nt_match_space(m, &room);
		if (room > n)
			room = n;
		memcpy(dst, s, room);
		nt_match_commit(m, room);
		s += room;
		n -= room;
	}
}

void
nt_match_finish(struct nt_matcher *m)
{
	process(m, 1);
	if (m->failed)
		return;
	m->len = m->scan = m->emit = 0;
	m->base = 0;
	m->prev_word = 0;
}

void
nt_match_restart(struct nt_matcher *m, int prev_word)
{
	m->len = m->scan = m->emit = 0;
	m->base = 0;
	m->prev_word = prev_word != 0;
	m->wstop = 0;
}

uint64_t
nt_match_decided(const struct nt_matcher *m)
{
	return m->base + m->scan;
}

size_t
nt_match_reach(const struct nt_matcher *m)
{
	/* A walk that fills the window is decided as it stands. */
	return m->cap;
}

void
nt_match_free(struct nt_matcher *m)
{
	if (m == NULL)
		return;
	free(m->buf);
	free(m->run);
	free(m);
}
