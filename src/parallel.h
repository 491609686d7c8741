/*
 * parallel.h - the threaded driver (-j): one stream matched by several
 * threads, passed on in stream order exactly as one matcher would.
 */
#ifndef NERTAG_PARALLEL_H
#define NERTAG_PARALLEL_H

#include <stddef.h>

#include "match.h"
#include "output.h"

struct nt_par;

/*
 * A driver with nthreads worker threads (>= 1), each with a matcher for
 * cfg; chunk is the bytes a worker takes at a time (0 for the default).
 * cfg's text and span callbacks are called on the caller's thread only,
 * from nt_par_commit() and nt_par_finish(), in stream order.  The tries
 * must not change and must need no more checking (a mapped index checked
 * whole: nt_lex_check_all()), since every thread reads them.
 */
struct nt_par *nt_par_new(const struct nt_match_config *cfg, size_t nthreads,
	    size_t chunk);

/*
 * The same for record mode (-r): chunks are cut after a line feed, so that
 * no record is split, and each worker tags whole records with a splitter
 * and a writer of its own (ocfg's, writing into memory); out, the caller's
 * writer, gets each chunk's output in order.  A record longer than a chunk
 * goes through a splitter on the caller's thread, writing to out.
 */
struct nt_par *nt_par_new_records(const struct nt_match_config *cfg,
	    const struct nt_out_config *ocfg, struct nt_out *out,
	    size_t nthreads, size_t chunk);

/* Record mode: the FILE column of what follows (see nt_out_file()). */
void	nt_par_file(struct nt_par *p, const char *name);

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
