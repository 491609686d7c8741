/*
 * records.h - record mode: input lines KEY<TAB>TEXT whose TEXT, with its
 * \t \n \\ escapes undone, is matched on its own.
 */
#ifndef NERTAG_RECORDS_H
#define NERTAG_RECORDS_H

#include <stddef.h>

#include "match.h"
#include "output.h"

/* The longest key kept; a line with no tab within it has no key. */
#define NT_RECORD_KEY_MAX	65536

struct nt_records;

/* A record splitter feeding m and o (both must outlive it). */
struct nt_records *nt_rec_new(struct nt_matcher *m, struct nt_out *o);

/* Take n more input bytes. */
void	nt_rec_feed(struct nt_records *r, const unsigned char *p, size_t n);

/* End of a file: a last line without a newline is a record too. */
void	nt_rec_finish(struct nt_records *r);

/* Free r; r may be NULL. */
void	nt_rec_free(struct nt_records *r);

#endif
