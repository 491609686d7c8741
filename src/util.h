/*
 * util.h - allocation with one policy for running out of memory (and a
 * hint for huge pages on large blocks).
 */
#ifndef NERTAG_UTIL_H
#define NERTAG_UTIL_H

#include <stddef.h>

/*
 * Allocate n bytes (n may be 0).  On failure print a diagnostic and exit 1:
 * this is the program's only policy for allocation failure, so callers never
 * check.  The caller frees the result with free().
 */
void	*xmalloc(size_t n);

/* As xmalloc, for nmemb objects of size bytes, zeroed; overflow-checked. */
void	*xcalloc(size_t nmemb, size_t size);

/*
 * Resize p to nmemb objects of size bytes, overflow-checked; p may be NULL.
 * The old pointer is no longer valid afterwards.
 */
void	*xreallocarray(void *p, size_t nmemb, size_t size);

/* Copy the n bytes at s into a new NUL-terminated buffer; free() it. */
char	*xmemdup(const void *s, size_t n);

/*
 * Grow *p, an array of *cap objects of size bytes, so it holds at least
 * need objects, doubling so that appends cost amortised O(1).
 */
void	 xgrow(void *pp, size_t *cap, size_t need, size_t size);

#endif
