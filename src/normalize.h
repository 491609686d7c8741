/*
 * normalize.h - UTF-8 decoding, character classes and the normal form in
 * which gazetteer entries and text are compared.  The only module that
 * knows utf8proc.
 */
#ifndef NERTAG_NORMALIZE_H
#define NERTAG_NORMALIZE_H

#include <stddef.h>
#include <stdint.h>

/* Normalisation options, a bit set. */
enum nt_norm_flag {
	NT_NORM_CASEFOLD = 1 << 0,	/* -i: full Unicode case folding */
	NT_NORM_STRIPMARK = 1 << 1,	/* --ignore-accents: drop marks */
	NT_NORM_LINES = 1 << 2		/* a line feed is a barrier */
};

/* The longest run of white space that still matches one space, in bytes. */
#define NT_NORM_SPACE_CAP	128

/* The most combining marks one base character may carry (stream-safe). */
#define NT_NORM_MARK_CAP	30

/* The most normalised bytes one cluster can produce. */
#define NT_NORM_CLUSTER_MAX	1024

/* Classes of an original character, for the word-boundary rule. */
enum nt_class {
	NT_CLASS_OTHER = 0,	/* punctuation, symbols, controls: non-word */
	NT_CLASS_WORD = 1,	/* letters, marks, numbers, connectors */
	NT_CLASS_SPACE = 2	/* white space: non-word */
};

/* What nt_norm_cluster() found. */
enum nt_cluster_kind {
	NT_CLUSTER_TEXT,	/* a character and its marks */
	NT_CLUSTER_SPACE,	/* a white-space run: one space */
	NT_CLUSTER_BARRIER,	/* never part of a match */
	NT_CLUSTER_MORE		/* need bytes beyond n to decide */
};

/*
 * One normalised cluster: a character with the marks that follow it, or a
 * run of white space, or one barrier (an invalid byte, NUL, an over-long
 * run).  out holds its normal form as UTF-8.
 */
struct nt_cluster {
	int kind;			/* enum nt_cluster_kind */
	size_t srclen;			/* source bytes it covers, >= 1 */
	size_t len;			/* bytes in out */
	unsigned char out[NT_NORM_CLUSTER_MAX];
};

/*
 * Normalise the cluster at p, where n >= 1 bytes are available; eof says
 * that no byte follows the n.  Fills *c and returns c->kind.  With
 * NT_CLUSTER_MORE nothing else in *c is set: call again with more bytes.
 */
int	nt_norm_cluster(const unsigned char *p, size_t n, int eof, unsigned flags,
	    struct nt_cluster *c);

/*
 * Decode the character at p (n >= 1 bytes available).  Returns its length
 * and sets *cp, or sets *cp to -1 for an invalid byte (length 1).  Returns
 * 0 when a valid sequence may continue beyond n.
 */
size_t	nt_norm_decode(const unsigned char *p, size_t n, int32_t *cp);

/* The class (enum nt_class) of code point cp; -1 counts as NT_CLASS_OTHER. */
int	nt_norm_class(int32_t cp);

/*
 * The class of the character at p, or -1 if it may continue past n and eof
 * is false.  *len receives its length.
 */
int	nt_norm_class_at(const unsigned char *p, size_t n, int eof, size_t *len);

/*
 * Normalise a whole string (gazetteer entry) of n bytes into a new buffer,
 * which the caller frees; leading and trailing white space is dropped.
 * Returns the buffer and its length in *outlen, or NULL if s holds a
 * barrier (invalid UTF-8, NUL, an over-long run).  An entry that is empty
 * after normalisation gives a buffer of length 0.
 */
unsigned char *nt_norm_string(const unsigned char *s, size_t n,
	    unsigned flags, size_t *outlen);

/*
 * nt_norm_string() without its ASCII fast path: cluster by cluster, as the
 * matcher sees text.  The fast path must agree with it byte for byte; the
 * unit tests hold the two side by side.
 */
unsigned char *nt_norm_string_clusters(const unsigned char *s, size_t n,
	    unsigned flags, size_t *outlen);

/*
 * Why nt_norm_string() refuses the n bytes at s: a static message naming
 * the first barrier in it, or NULL if there is none.
 */
const char *nt_norm_barrier(const unsigned char *s, size_t n, unsigned flags);

/*
 * ASCII fast path: for each byte below 0x80, its class and what it folds to
 * under NT_NORM_CASEFOLD.  The matcher uses these to skip utf8proc.
 */
extern const unsigned char nt_norm_ascii_class[128];
extern const unsigned char nt_norm_ascii_fold[128];

/*
 * The 64 bytes at s, classified at once (SSE2 where there is, else a
 * loop): bit k of *word is set if s[k] is an ASCII word byte, of *slow if
 * s[k] is NUL or >= 0x80 (the scanner must look at it byte by byte), of
 * *lower if s[k] is 'a' to 'z'.
 */
void	nt_norm_scan64(const unsigned char *s, uint64_t *word, uint64_t *slow,
	    uint64_t *lower);

/* Version strings of utf8proc and of the Unicode data it carries. */
const char *nt_norm_utf8proc_version(void);
const char *nt_norm_unicode_version(void);

#endif
