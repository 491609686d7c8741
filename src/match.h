/*
 * match.h - the stream matcher: bytes in, text and tagged spans out, in
 * one pass and bounded memory, by the leftmost-longest, word-bounded rule.
 */
#ifndef NERTAG_MATCH_H
#define NERTAG_MATCH_H

#include <stddef.h>
#include <stdint.h>

#include "trie.h"

/* A match: bytes [start, end) of the stream, and what it matched. */
struct nt_span {
	uint64_t start, end;	/* stream offsets since the last finish */
	size_t layer;		/* which trie, in priority order */
	uint32_t value;		/* the trie's value for the name */
	int lastword;		/* its last character is a word one */
};

/*
 * Callbacks.  text gets every input byte that is not in a match, span each
 * match with its original bytes, both in stream order.  The pointers borrow
 * the matcher's window and are valid only until the callback returns.
 */
typedef void nt_text_fn(void *ctx, const unsigned char *p, size_t n);
typedef void nt_span_fn(void *ctx, const unsigned char *p, size_t n,
	    const struct nt_span *s);

/* The most tries (layers) a matcher walks: the caller refuses more. */
#define NT_MATCH_MAX_LAYERS	64

struct nt_match_config {
	const struct nt_trie *const *tries;	/* ntries, in priority order */
	size_t ntries;			/* at most NT_MATCH_MAX_LAYERS */
	const struct nt_trie *veto;	/* names never to match, or NULL */
	unsigned flags;			/* enum nt_norm_flag */
	size_t block;			/* bytes per read; 0 for the default */
	nt_text_fn *text;
	nt_span_fn *span;
	void *ctx;
	/*
	 * Turns non-zero when a walk meets a damaged index block (see
	 * nt_lex_damaged_flag()); the matcher then passes nothing more on.
	 * NULL when the tries are built in memory.
	 */
	const int *damaged;
	/*
	 * Non-zero: words are asked one at a time even where the processor
	 * could ask eight at once (tests compare the two).
	 */
	int scalar;
};

struct nt_matcher;

/*
 * Non-zero if matchers on this processor ask the words of a block eight
 * at a time (x86 with AVX-512 VBMI2 and BITALG, and BMI2) rather than one
 * at a time.
 */
int	nt_match_vector(void);

/*
 * A matcher for cfg (copied; the tries must outlive it).  Its memory is
 * fixed here and does not grow with the input.  Free with nt_match_free().
 */
struct nt_matcher *nt_match_new(const struct nt_match_config *cfg);

/*
 * Where the next input bytes go: a pointer to *n >= 1 free bytes of the
 * window, valid until the next call.  Read into it, then nt_match_commit().
 */
unsigned char *nt_match_space(struct nt_matcher *m, size_t *n);

/*
 * Take n bytes just written at nt_match_space(), match what can be decided,
 * and pass on everything that can no longer start or extend a match.
 */
void	nt_match_commit(struct nt_matcher *m, size_t n);

/* Copy n bytes in and commit them, as often as the window needs. */
void	nt_match_feed(struct nt_matcher *m, const void *p, size_t n);

/*
 * End of the stream: decide and pass on everything held back, then start
 * afresh (offsets from 0, a word boundary before the next byte).
 */
void	nt_match_finish(struct nt_matcher *m);

/*
 * Start afresh without deciding what the window holds (it is dropped, not
 * passed on): offsets from 0, and the character before the next byte is a
 * word one if prev_word.  For a stream cut where that is known from the
 * bytes alone (src/parallel.c).
 */
void	nt_match_restart(struct nt_matcher *m, int prev_word);

/*
 * The offset before which every start has been decided: each match that
 * begins there has been passed on, and no later input changes them.
 */
uint64_t nt_match_decided(const struct nt_matcher *m);

/*
 * The most bytes after a start that deciding it may need: with that many
 * bytes past offset x, nt_match_decided() is beyond x.
 */
size_t	nt_match_reach(const struct nt_matcher *m);

/*
 * 1 if the matcher has stopped because the damaged flag was raised: what
 * it passed on before is right, the rest is dropped.  Check it after each
 * commit, feed and finish.
 */
int	nt_match_failed(const struct nt_matcher *m);

/* Free m; m may be NULL. */
void	nt_match_free(struct nt_matcher *m);

#endif
