/* nertag - parallel.c.  SPDX-License-Identifier: MIT */
/*
 * The threaded driver (-j).  The stream is cut into chunks, each matched
 * by a worker thread with a matcher of its own, and the caller's thread
 * passes text and matches on in stream order.  The output is the one a
 * single matcher gives, byte for byte, because of where the cuts are and
 * how the chunks are joined:
 *
 * - A cut falls between two ASCII bytes, after a line feed where one is
 *   near.  A single matcher's scan stops there (no character spans it,
 *   no mark joins the byte before), and what it does next depends only on
 *   the bytes that follow and on whether the byte before is a word one.
 *   So a worker that starts at the cut with that flag finds what a single
 *   matcher would, up to the first match that runs over the next cut.
 * - A worker reads on past the end of its chunk, as far as a walk from
 *   inside the chunk may need (nt_match_reach()), and keeps the matches
 *   that begin inside it.
 * - A match that runs over a cut into the next chunk is where a single
 *   matcher goes on; the next worker's matches that begin before its end
 *   are dropped.  If one of them runs past its end (the worker began
 *   inside "New York" and found "York City"), the next worker's scan was
 *   elsewhere, and the caller's thread matches that chunk again from the
 *   end of the match: rare, and never wrong.
 *
 * A stretch of a whole chunk with no two ASCII bytes in a row has no cut;
 * the rest of the stream then goes through one matcher on the caller's
 * thread.  Memory is fixed: a ring of chunk buffers, and the matchers.
 *
 * Record mode is simpler, since no match crosses a record: a chunk ends
 * after its last line feed, a worker tags its whole records with a records
 * splitter and a writer of its own into the job's memory, and the caller's
 * thread writes the jobs out in order.  A record longer than a chunk goes
 * through the caller's splitter, to its line feed.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "normalize.h"
#include "parallel.h"
#include "records.h"
#include "util.h"

#define DEFAULT_CHUNK	((size_t)256 * 1024)
/*
 * Bytes past the chunk are fed FEED_STEP at first, then twice as many each
 * time, until every start in the chunk is decided: a walk still pending
 * starts again at each feed, so fixed steps cost a walk of W bytes past
 * the cut W * W / 256 (0.2 s for 121 KB of stacked marks, a helper's
 * finding); doubling steps cost it at most 2 W.
 */
#define FEED_STEP	256

enum { J_FREE, J_READY, J_DONE };

/* Who matches what comes next. */
enum {
	S_THREADS,	/* the workers, a chunk each */
	S_STREAM,	/* no cut: own, to the end of the stream */
	S_RECORD,	/* record mode, no cut: own_rec, to the record's end */
	S_NO_THREAD	/* none could be started: own (own_rec), all of it */
};

struct job {
	unsigned char *buf;	/* cap bytes */
	size_t len;		/* the chunk: matches that begin here */
	size_t total;		/* len and the bytes after it, for walks */
	uint64_t at;		/* stream offset of buf[0] */
	int prev;		/* the byte before buf[0] is a word one */
	int eof;		/* the stream ends at total */
	int state;		/* J_*, under the mutex once submitted */
	struct nt_span *hit;	/* offsets from buf[0] */
	size_t nhit, hitcap;
	/* Record mode: the chunk's output, and its FILE column. */
	unsigned char *out;
	size_t outlen, outcap;
	const char *file;
	int overflow;		/* out passed OUT_CAP: the main thread tags it */
};

/*
 * Where a matcher's spans go: into a job, or on to the caller.  A worker's
 * spans are counted here, not in the job, and the sinks are kept apart, so
 * that two threads never write to one cache line for each span.
 */
struct sink {
	struct nt_par *par;
	struct job *job;
	size_t off;		/* the matcher's offset 0 in job->buf */
	struct nt_span *hit;	/* the job's, while it is matched */
	size_t nhit, hitcap;
	struct nt_par *fwd;	/* non-NULL: pass on, offsets from base */
	uint64_t base;
	char apart[128];
};

struct nt_par {
	struct nt_match_config cfg;	/* the caller's callbacks */
	size_t chunk, cap, nthreads, njobs;
	size_t nwm;			/* worker matchers, nthreads or more */
	pthread_t *thr;
	struct nt_matcher **wm;		/* a matcher for each worker */
	struct sink *wsink;
	struct nt_matcher *own;		/* the caller's: re-runs, serial */
	struct sink own_sink;
	struct job *job;		/* job number s at s % njobs */
	pthread_mutex_t mu;
	pthread_cond_t work, done;
	size_t nsubmit;			/* handed to the workers; the job
					   being filled has this number */
	size_t ntaken;			/* taken by a worker */
	size_t nreplay;			/* passed on */
	int quit;
	int serial;			/* S_* */
	/* Record mode. */
	int records;
	struct nt_out *out;		/* the caller's writer */
	struct nt_out **wout;		/* each worker's, into its job */
	struct nt_records **wrec;	/* each worker's splitter */
	struct nt_records *own_rec;	/* the caller's, writing to out */
	const char *file;
	/* Where one matcher's scan goes on after what was passed on. */
	uint64_t resume;
	int resume_lw;			/* the byte before it is a word one */
};

static void
sink_text(void *ctx, const unsigned char *p, size_t n)
{
	struct sink *k = ctx;

	if (k->fwd != NULL)
		k->fwd->cfg.text(k->fwd->cfg.ctx, p, n);
}

static void
sink_span(void *ctx, const unsigned char *p, size_t n, const struct nt_span *s)
{
	struct sink *k = ctx;
	struct job *j = k->job;
	struct nt_span c = *s;

	if (k->fwd != NULL) {
		c.start += k->base;
		c.end += k->base;
		k->fwd->cfg.span(k->fwd->cfg.ctx, p, n, &c);
		return;
	}
	c.start += k->off;
	c.end += k->off;
	if (c.start >= j->len)
		return;		/* the next chunk's */
	if (k->nhit == k->hitcap)
		xgrow(&k->hit, &k->hitcap, k->nhit + 1, sizeof(*k->hit));
	k->hit[k->nhit++] = c;
}

/*
 * Match job j from buf + off, where the byte before is a word one if
 * prev, until every start inside the chunk is decided.
 */
static void
match_job(struct nt_matcher *m, struct sink *k, struct job *j, size_t off,
    int prev)
{
	size_t p, n, step;

	k->job = j;
	k->off = off;
	k->hit = j->hit;
	k->hitcap = j->hitcap;
	k->nhit = 0;
	nt_match_restart(m, prev);
	nt_match_feed(m, j->buf + off, j->len - off);
	for (p = j->len, step = FEED_STEP; nt_match_decided(m) + off < j->len &&
	    p < j->total; p += n, step *= 2) {
		n = j->total - p < step ? j->total - p : step;
		nt_match_feed(m, j->buf + p, n);
	}
	if (j->eof)
		nt_match_finish(m);
	j->hit = k->hit;
	j->hitcap = k->hitcap;
	j->nhit = k->nhit;
}

/*
 * A worker's writer fills the output of the job it is on, up to OUT_CAP
 * chunks' worth: a long id on every name of a chunk can make its output
 * gigabytes (a helper's finding).  Past that the worker drops it and the
 * main thread tags the chunk again, writing as it goes.
 */
#define OUT_CAP	4

static void
job_out(void *ctx, const unsigned char *p, size_t n)
{
	struct sink *k = ctx;
	struct job *j = k->job;

	if (j->overflow)
		return;
	if (j->outlen + n > OUT_CAP * k->par->chunk) {
		j->overflow = 1;
		free(j->out);
		j->out = NULL;
		j->outlen = j->outcap = 0;
		return;
	}
	xgrow(&j->out, &j->outcap, j->outlen + n, 1);
	memcpy(j->out + j->outlen, p, n);
	j->outlen += n;
}

/*
 * Record mode: the chunk holds whole records (it ends after a line feed,
 * or at the end of the stream), tagged by splitter r into o as one
 * splitter would: a worker's into the job's output, or the main thread's
 * into the output itself when the job's passed OUT_CAP.
 */
static void
tag_records(struct nt_records *r, struct nt_out *o, const struct job *j)
{
	nt_out_file(o, j->file);
	nt_rec_feed(r, j->buf, j->len);
	if (j->eof)
		nt_rec_finish(r);
}

static void
records_job(struct nt_par *p, size_t me, struct job *j)
{
	p->wsink[me].job = j;
	j->outlen = 0;
	j->overflow = 0;
	tag_records(p->wrec[me], p->wout[me], j);
	nt_out_flush(p->wout[me]);
}

static void *
worker(void *arg)
{
	struct sink *k = arg;
	struct nt_par *p = k->par;
	size_t me = (size_t)(k - p->wsink), s;
	struct job *j;

	for (;;) {
		pthread_mutex_lock(&p->mu);
		while (!p->quit && p->ntaken == p->nsubmit)
			pthread_cond_wait(&p->work, &p->mu);
		if (p->quit) {
			pthread_mutex_unlock(&p->mu);
			return NULL;
		}
		s = p->ntaken++;
		pthread_mutex_unlock(&p->mu);
		j = &p->job[s % p->njobs];
		if (p->records)
			records_job(p, me, j);
		else
			match_job(p->wm[me], k, j, 0, j->prev);
		pthread_mutex_lock(&p->mu);
		j->state = J_DONE;
		pthread_cond_broadcast(&p->done);
		pthread_mutex_unlock(&p->mu);
	}
}

/* What both modes share: the ring of jobs, the lock, the counts. */
static struct nt_par *
par_alloc(const struct nt_match_config *cfg, size_t nthreads, size_t chunk)
{
	struct nt_par *p = xcalloc(1, sizeof(*p));

	p->cfg = *cfg;
	p->chunk = chunk >= 2 ? chunk : DEFAULT_CHUNK;
	p->nthreads = p->nwm = nthreads > 0 ? nthreads : 1;
	p->njobs = p->nthreads + 3;
	p->job = xcalloc(p->njobs, sizeof(*p->job));
	p->wm = xcalloc(p->nthreads, sizeof(*p->wm));
	p->wsink = xcalloc(p->nthreads, sizeof(*p->wsink));
	p->thr = xcalloc(p->nthreads, sizeof(*p->thr));
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->work, NULL);
	pthread_cond_init(&p->done, NULL);
	return p;
}

/* The job buffers, once the size of a chunk's reach is known; threads. */
static void
par_start(struct nt_par *p, size_t reach)
{
	size_t i;

	p->cap = p->chunk + reach;
	for (i = 0; i < p->njobs; i++)
		p->job[i].buf = xmalloc(p->cap);
	for (i = 0; i < p->nthreads; i++) {
		p->wsink[i].par = p;
		if (pthread_create(&p->thr[i], NULL, worker, &p->wsink[i]) != 0)
			break;
	}
	if (i == 0)
		p->serial = S_NO_THREAD;	/* all of it on the caller's */
	p->nthreads = i;
}

struct nt_par *
nt_par_new(const struct nt_match_config *cfg, size_t nthreads, size_t chunk)
{
	struct nt_par *p = par_alloc(cfg, nthreads, chunk);
	struct nt_match_config mc = *cfg;
	size_t i;

	mc.text = sink_text;
	mc.span = sink_span;
	mc.ctx = &p->own_sink;
	p->own = nt_match_new(&mc);
	for (i = 0; i < p->nthreads; i++) {
		mc.ctx = &p->wsink[i];
		p->wm[i] = nt_match_new(&mc);
	}
	/* A chunk's last start is decided within the window's size. */
	par_start(p, nt_match_reach(p->own));
	if (p->serial == S_NO_THREAD)
		p->own_sink.fwd = p;
	return p;
}

struct nt_par *
nt_par_new_records(const struct nt_match_config *cfg,
    const struct nt_out_config *ocfg, struct nt_out *out, size_t nthreads,
    size_t chunk)
{
	struct nt_par *p = par_alloc(cfg, nthreads, chunk);
	struct nt_match_config mc = *cfg;
	struct nt_out_config oc = *ocfg;
	size_t i;

	p->records = 1;
	p->out = out;
	p->file = "-";
	p->own = nt_match_new(cfg);
	p->own_rec = nt_rec_new(p->own, out);
	p->wout = xcalloc(p->nthreads, sizeof(*p->wout));
	p->wrec = xcalloc(p->nthreads, sizeof(*p->wrec));
	oc.sink = job_out;
	for (i = 0; i < p->nthreads; i++) {
		oc.sink_ctx = &p->wsink[i];
		p->wout[i] = nt_out_new(&oc);
		mc.text = nt_out_text;
		mc.span = nt_out_span;
		mc.ctx = p->wout[i];
		p->wm[i] = nt_match_new(&mc);
		p->wrec[i] = nt_rec_new(p->wm[i], p->wout[i]);
	}
	par_start(p, 0);
	return p;
}

void
nt_par_file(struct nt_par *p, const char *name)
{
	p->file = name;
}

/* The byte at c is a word one, for the flag at a cut after it. */
static int
word_byte(unsigned char c)
{
	return nt_norm_ascii_class[c] == NT_CLASS_WORD;
}

/*
 * Pass job j on, joined to what was passed on before (see the header).
 * Its hits are in order and do not overlap.
 */
static void
replay(struct nt_par *p, struct job *j)
{
	const struct nt_match_config *c = &p->cfg;
	size_t i = 0, pos = 0;
	struct nt_span s;

	if (p->records && j->overflow) {
		tag_records(p->own_rec, p->out, j);
		nt_out_file(p->out, p->file);
		return;
	}
	if (p->records) {
		nt_out_raw(p->out, j->out, j->outlen);
		return;
	}
	if (p->resume > j->at) {
		/* A match from before runs over this chunk. */
		if (p->resume >= j->at + j->len)
			return;
		pos = (size_t)(p->resume - j->at);
		while (i < j->nhit && j->hit[i].end <= pos)
			i++;
		if (i < j->nhit && j->hit[i].start < pos) {
			/* This worker's scan was not where a single one is. */
			match_job(p->own, &p->own_sink, j, pos, p->resume_lw);
			i = 0;
		}
	}
	for (; i < j->nhit; i++) {
		s = j->hit[i];
		if (s.start > pos)
			c->text(c->ctx, j->buf + pos, s.start - pos);
		pos = s.end;
		s.start += j->at;
		s.end += j->at;
		c->span(c->ctx, j->buf + j->hit[i].start,
		    j->hit[i].end - j->hit[i].start, &s);
		p->resume_lw = s.lastword;
	}
	if (pos < j->len) {
		c->text(c->ctx, j->buf + pos, j->len - pos);
		pos = j->len;
	}
	p->resume = j->at + pos;
}

/* Pass on the oldest job if it is done (or, with wait, once it is). */
static int
replay_next(struct nt_par *p, int wait)
{
	struct job *j;

	if (p->nreplay == p->nsubmit)
		return 0;
	j = &p->job[p->nreplay % p->njobs];
	pthread_mutex_lock(&p->mu);
	while (j->state != J_DONE) {
		if (!wait) {
			pthread_mutex_unlock(&p->mu);
			return 0;
		}
		pthread_cond_wait(&p->done, &p->mu);
	}
	pthread_mutex_unlock(&p->mu);
	replay(p, j);
	j->state = J_FREE;
	p->nreplay++;
	return 1;
}

static void
submit(struct nt_par *p, struct job *j)
{
	pthread_mutex_lock(&p->mu);
	j->state = J_READY;
	p->nsubmit++;
	pthread_cond_signal(&p->work);
	pthread_mutex_unlock(&p->mu);
}

static struct job *
filling(struct nt_par *p)
{
	return &p->job[p->nsubmit % p->njobs];
}

/*
 * The rest of the stream goes through the caller's matcher, from where a
 * single one's scan is, passing on as it decides.
 */
static void
go_serial(struct nt_par *p)
{
	struct job *j = filling(p);
	size_t off = 0;
	int prev = j->prev;

	while (replay_next(p, 1))
		continue;
	if (p->records) {
		/* A record longer than a chunk: the caller's splitter. */
		p->serial = S_RECORD;
		nt_rec_feed(p->own_rec, j->buf, j->total);
		j->total = 0;
		return;
	}
	if (p->resume > j->at) {
		off = (size_t)(p->resume - j->at);
		prev = p->resume_lw;
	}
	p->serial = S_STREAM;
	p->own_sink.fwd = p;
	p->own_sink.base = j->at + off;
	nt_match_restart(p->own, prev);
	nt_match_feed(p->own, j->buf + off, j->total - off);
	j->total = 0;
}

/*
 * A cut in buf between lo and hi (1 <= lo < hi): after a line feed, else
 * between any two ASCII bytes, the last such place; 0 if there is none.
 */
static size_t
find_cut(const unsigned char *buf, size_t lo, size_t hi)
{
	size_t s;

	for (s = hi; s > lo; s--)
		if (buf[s - 1] == '\n' && buf[s] < 0x80)
			return s;
	for (s = hi; s > lo; s--)
		if (buf[s - 1] < 0x80 && buf[s] < 0x80)
			return s;
	return 0;
}

/* The job being filled is full: cut it, hand it over, start the next. */
static void
cut(struct nt_par *p)
{
	struct job *j = filling(p), *next;
	size_t s;

	if (p->records) {
		/* After the last line feed: no record is split. */
		for (s = j->total; s > 0 && j->buf[s - 1] != '\n'; s--)
			continue;
	} else
		s = find_cut(j->buf, p->chunk / 2, p->chunk);
	if (s == 0) {
		go_serial(p);
		return;
	}
	/* The next one's slot is free once its last user is passed on. */
	while (p->nsubmit + 1 - p->nreplay >= p->njobs)
		replay_next(p, 1);
	next = &p->job[(p->nsubmit + 1) % p->njobs];
	memcpy(next->buf, j->buf + s, j->total - s);
	next->total = j->total - s;
	next->at = j->at + s;
	next->prev = word_byte(j->buf[s - 1]);
	next->eof = 0;
	j->file = p->file;
	j->len = s;
	j->eof = 0;
	submit(p, j);
}

unsigned char *
nt_par_space(struct nt_par *p, size_t *n)
{
	struct job *j;

	if (p->serial != S_THREADS && !p->records)
		return nt_match_space(p->own, n);
	j = filling(p);
	*n = p->cap - j->total;
	return j->buf + j->total;
}

void
nt_par_commit(struct nt_par *p, size_t n)
{
	struct job *j;

	if (p->serial != S_THREADS && !p->records) {
		nt_match_commit(p->own, n);
		return;
	}
	j = filling(p);
	if (p->serial == S_NO_THREAD) {
		nt_rec_feed(p->own_rec, j->buf, n);
		return;
	}
	if (p->serial == S_RECORD) {
		const unsigned char *nl = memchr(j->buf + j->total, '\n', n);
		size_t k = nl != NULL ? (size_t)(nl - j->buf) + 1 : j->total + n;

		/* The long record, to its end if it is here. */
		nt_rec_feed(p->own_rec, j->buf, k);
		memmove(j->buf, j->buf + k, j->total + n - k);
		j->total = j->total + n - k;
		if (nl == NULL)
			return;
		p->serial = S_THREADS;
		n = 0;
	}
	j->total += n;
	if (j->total == p->cap)
		cut(p);
	while (replay_next(p, 0))
		continue;
}

void
nt_par_feed(struct nt_par *p, const void *buf, size_t n)
{
	const unsigned char *s = buf;
	unsigned char *d;
	size_t room;

	while (n > 0) {
		d = nt_par_space(p, &room);
		if (room > n)
			room = n;
		memcpy(d, s, room);
		nt_par_commit(p, room);
		s += room;
		n -= room;
	}
}

void
nt_par_finish(struct nt_par *p)
{
	struct job *j;

	if (p->records && p->serial != S_THREADS) {
		j = filling(p);
		nt_rec_feed(p->own_rec, j->buf, j->total);
		nt_rec_finish(p->own_rec);
		if (p->serial == S_RECORD)
			p->serial = S_THREADS;
	} else if (p->serial == S_NO_THREAD) {
		/* No worker: the caller's matcher did it all. */
		nt_match_finish(p->own);
	} else if (p->serial == S_STREAM) {
		nt_match_finish(p->own);
		p->own_sink.fwd = NULL;
		p->serial = S_THREADS;
	} else {
		j = filling(p);
		if (j->total > 0) {
			j->len = j->total;
			j->eof = 1;
			j->file = p->file;
			submit(p, j);
		}
		while (replay_next(p, 1))
			continue;
	}
	j = filling(p);
	j->total = 0;
	j->at = 0;
	j->prev = 0;
	p->resume = 0;
	p->resume_lw = 0;
}

void
nt_par_free(struct nt_par *p)
{
	size_t i;

	if (p == NULL)
		return;
	pthread_mutex_lock(&p->mu);
	p->quit = 1;
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->mu);
	for (i = 0; i < p->nthreads; i++)
		pthread_join(p->thr[i], NULL);
	pthread_cond_destroy(&p->work);
	pthread_cond_destroy(&p->done);
	pthread_mutex_destroy(&p->mu);
	for (i = 0; i < p->nwm; i++) {
		if (p->wrec != NULL) {
			nt_rec_free(p->wrec[i]);
			nt_out_free(p->wout[i]);
		}
		nt_match_free(p->wm[i]);
	}
	nt_rec_free(p->own_rec);
	free(p->wrec);
	free(p->wout);
	for (i = 0; i < p->njobs; i++) {
		free(p->job[i].buf);
		free(p->job[i].hit);
		free(p->job[i].out);
	}
	nt_match_free(p->own);
	free(p->job);
	free(p->wm);
	free(p->wsink);
	free(p->thr);
	free(p);
}
