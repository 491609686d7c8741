/*
 * ref.h - a deliberately simple reference matcher, for the tests only: the
 * whole text in memory, every allowed start and end tried, each candidate
 * normalised as a whole string with utf8proc_map().  It shares no code with
 * src/: the fuzzer compares the stream matcher against it.
 */
#ifndef NERTAG_REF_H
#define NERTAG_REF_H

#include <stddef.h>

/* Flags, with the values of enum nt_norm_flag. */
#define REF_CASEFOLD	1
#define REF_STRIPMARK	2
#define REF_LINES	4

struct ref_span {
	size_t start, end;	/* byte offsets */
	size_t name;		/* index of the first name that matches */
};

/*
 * Match text (n bytes) against names[0..nnames) (NUL-terminated UTF-8;
 * names that are invalid or empty after normalisation are ignored), less
 * the stop names stops[0..nstops) (a candidate whose normal form equals a
 * stop name's is no match), and write at most max spans to out.  Returns
 * the number of spans.
 */
size_t	ref_match(const char *const *names, size_t nnames,
	    const char *const *stops, size_t nstops,
	    const unsigned char *text, size_t n, unsigned flags,
	    struct ref_span *out, size_t max);

#endif
