/*
 * parallel.h - the threaded driver (-j): one stream matched by several
 * threads, passed on in stream order exactly as one matcher would.
 */
#ifndef NERTAG_PARALLEL_H
#define NERTAG_PARALLEL_H

#include <stddef.h>

#include "match.h"

struct nt_par;

/*
 * A driver with nthreads worker threads (>= 1), each with a matcher for
 * cfg; chunk is the bytes a worker takes at a time (0 for the default).
 * cfg's text and span callbacks are called on the caller's thread only,
 * from nt_par_commit() and nt_par_finish(), in stream order.  The tries
 * must not change and must need no more checking (a mapped index checked
 * whole, its first-word filter asked once), since every thread reads them.
 */
struct nt_par *nt_par_new(const struct nt_match_config *cfg, size_t nthreads,
	    size_t chunk);

/* As nt_match_space() and nt_match_commit(). */
unsigned char *nt_par_space(struct nt_par *p, size_t *n);
void	nt_par_commit(struct nt_par *p, size_t n);

/* Copy n bytes in and commit them. */
void	nt_par_feed(struct nt_par *p, const void *buf, size_t n);

/*
 * End of the stream: wait for the workers, pass everything on, and start
 * afresh (offsets from 0).
 */
void	nt_par_finish(struct nt_par *p);

/* Stop the threads and free p, whatever is unfinished; p may be NULL. */
void	nt_par_free(struct nt_par *p);

#endif
