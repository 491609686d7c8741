/*
 * lexicon.h - the names nertag looks for: gazetteers, stop lists and
 * compiled indexes turned into tries, with each entry's label and ID.
 */
#ifndef NERTAG_LEXICON_H
#define NERTAG_LEXICON_H

#include <stddef.h>
#include <stdint.h>

#include "gazetteer.h"
#include "trie.h"

struct nt_lexicon;

/*
 * The path of the mapped index that holds addr, or NULL: for a SIGBUS
 * handler (a mapped file that shrinks under a reader faults), so it only
 * reads a fixed table.
 */
const char *nt_lex_mapped_path(const void *addr);

/* What a match reports. */
struct nt_lex_entry {
	/*
	 * NUL-terminated, labellen bytes before the NUL; its buffer may be
	 * read to a multiple of 16 bytes (16 at least), so that a writer can
	 * copy a short label with one fixed-size move.
	 */
	const char *label;
	size_t labellen;
	unsigned label_no;	/* 0, 1, ... in order of first appearance */
	const char *id;		/* not NUL-terminated */
	size_t idlen;
};

/*
 * A new, empty lexicon whose names are normalised with flags (enum
 * nt_norm_flag).  Free it with nt_lex_free().
 */
struct nt_lexicon *nt_lex_new(unsigned flags);

/*
 * Add the stop list at path: its names are never tagged, whichever
 * gazetteer or index lists them.  Returns 0, or -1 with *e filled.
 */
int	nt_lex_exclude(struct nt_lexicon *x, const char *path,
	    struct nt_error *e);

/*
 * Add the gazetteer file or folder at path, after those added before it
 * (which win when names collide).  label (NULL for the file's own or its
 * name's) overrides the label of every file.  A folder contributes its
 * *.txt files in name order and its *.exclude stop lists.  Returns 0, or -1
 * with *e filled; nothing is read from the input before this.
 */
int	nt_lex_gazetteer(struct nt_lexicon *x, const char *path,
	    const char *label, struct nt_error *e);

/*
 * Add the compiled index at path (mapped, not copied), after those added
 * before it.  Returns 0, or -1 with *e filled: unreadable, truncated,
 * corrupt, foreign, of another version, or built with other normalisation
 * flags.  Only the index's header and small sections are checked now; each
 * 64 KiB block of the rest is checked when first read, and a damaged one
 * is reported by nt_lex_damage().
 */
int	nt_lex_index(struct nt_lexicon *x, const char *path,
	    struct nt_error *e);

/* As nt_lex_index(), checking every block of the file now. */
int	nt_lex_index_whole(struct nt_lexicon *x, const char *path,
	    struct nt_error *e);

/*
 * 0 if no damaged block of an index has been read yet; else -1 with *e
 * naming the file and the block.  Once damage is found, walks and entries
 * that needed the block have failed: stop and report it.
 */
int	nt_lex_damage(const struct nt_lexicon *x, struct nt_error *e);

/* A flag that turns 1 when damage is found, for the matcher to watch. */
const int *nt_lex_damaged_flag(const struct nt_lexicon *x);

/*
 * The bytes of mapped indexes whose blocks are checked on first use, and
 * a check of all of them now.  Until every block is known good, each step
 * of a walk asks the guard; once as much input as index has been read,
 * checking the rest costs less than the asking.  Damage found sets the
 * flag above.
 */
size_t	nt_lex_guarded(const struct nt_lexicon *x);
void	nt_lex_check_all(struct nt_lexicon *x);

/*
 * Build the tries.  After this only the accessors below may be called.
 * Returns 0, or -1 with *e filled.
 */
int	nt_lex_prepare(struct nt_lexicon *x, struct nt_error *e);

/*
 * The tries to match against, in priority order (nt_lex_layers() of them;
 * each valid until nt_lex_free()), and the trie of stop-listed names that a
 * match must not equal, or NULL when none applies.
 */
size_t	nt_lex_layers(const struct nt_lexicon *x);
const struct nt_trie *nt_lex_trie(const struct nt_lexicon *x, size_t layer);
const struct nt_trie *nt_lex_veto(const struct nt_lexicon *x);

/*
 * The entry that value (from layer's trie) stands for.  Returns 0, or -1
 * if the bytes it is read from are in a damaged block (*ent is then empty).
 */
int	nt_lex_entry(const struct nt_lexicon *x, size_t layer, uint32_t value,
	    struct nt_lex_entry *ent);

/* The number of labels, and of distinct names over all layers. */
size_t	nt_lex_labels(const struct nt_lexicon *x);
size_t	nt_lex_names(const struct nt_lexicon *x);

/*
 * Write the prepared lexicon, which must consist of gazetteers only, as a
 * compiled index at path: first to a temporary file beside it, then renamed,
 * so that a failure leaves nothing half-written.  A symbolic link at path is
 * kept and the file it names replaced; anything at path other than a
 * regular file or a link to one is refused.  Returns 0, or -1 with *e
 * filled.
 */
int	nt_lex_write_index(const struct nt_lexicon *x, const char *path,
	    struct nt_error *e);

/*
 * Check the n bytes of a compiled index at p, as nt_lex_index() does for a
 * file; for the fuzzer.  Returns 0 or -1 with *e filled.
 */
int	nt_lex_check_image(const void *p, size_t n, unsigned flags,
	    struct nt_error *e);

/* Free x and everything it owns; x may be NULL. */
void	nt_lex_free(struct nt_lexicon *x);

#endif
