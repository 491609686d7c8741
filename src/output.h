/*
 * output.h - the output formats (inline, xml, tsv, jsonl, only-matching)
 * and the one buffered writer that every output byte goes through.
 */
#ifndef NERTAG_OUTPUT_H
#define NERTAG_OUTPUT_H

#include <stddef.h>
#include <stdint.h>

#include "lexicon.h"
#include "match.h"

struct nt_out_config {
	int fd;				/* where to write */
	int format;			/* from nt_out_format() */
	int color;			/* ANSI colour in inline output */
	int line_buffered;		/* flush at every newline written */
	int chars;			/* offsets in code points, not bytes */
	int records;			/* KEY<TAB>TEXT records */
	int show_file;			/* a FILE column (several FILEs) */
	const struct nt_lexicon *lex;	/* labels and IDs of matches */
	/*
	 * If set, the bytes go to sink(sink_ctx, ...) instead of fd: for -j,
	 * whose threads write into memory and the main thread writes out.
	 */
	void (*sink)(void *ctx, const unsigned char *p, size_t n);
	void *sink_ctx;
};

struct nt_out;

/* The number of the format called name, or -1.  "only" is -o. */
int	nt_out_format(const char *name);

/* A writer for cfg (copied).  Free with nt_out_free(). */
struct nt_out *nt_out_new(const struct nt_out_config *cfg);

/* The matcher's callbacks; ctx is the struct nt_out. */
nt_text_fn nt_out_text;
nt_span_fn nt_out_span;

/* Name the file that follows (for the FILE column); offsets restart. */
void	nt_out_file(struct nt_out *o, const char *name);

/*
 * Records: a record with key (n bytes, copied) starts; its text follows
 * through the callbacks, then nt_out_record_end().
 */
void	nt_out_record(struct nt_out *o, const char *key, size_t n);
void	nt_out_record_end(struct nt_out *o);

/* Write n bytes as they are (--untag). */
void	nt_out_raw(struct nt_out *o, const void *p, size_t n);

/*
 * --untag: write the n bytes of xml output at p back as the text they came
 * from (tags dropped, &amp; &lt; &gt; undone); nt_out_untag_end() at the
 * end of each file passes on an unfinished entity as it is.  A '<' that
 * begins no tag the xml format writes, or a tag still open at the end,
 * stops it: both return -1, and nt_out_untag_error() then tells why and
 * on which line, and makes o ready for the next file (NULL if all was
 * well).
 */
int	nt_out_untag(struct nt_out *o, const unsigned char *p, size_t n);
int	nt_out_untag_end(struct nt_out *o);
const char *nt_out_untag_error(struct nt_out *o, unsigned long *line);

/* Write out what is buffered.  Returns 0, or -1 after a write error. */
int	nt_out_flush(struct nt_out *o);

/*
 * The errno of the first write error, or 0.  After an error nothing more
 * is written, so a dead pipe stops the work and is reported once.
 */
int	nt_out_error(const struct nt_out *o);

/* Free o without flushing; o may be NULL. */
void	nt_out_free(struct nt_out *o);

#endif
