/*
 * util.c - overflow-checked allocation.
 *
 * Every allocation in nertag goes through here.  Running out of memory is
 * reported once, as "nertag: out of memory", with exit status 1; no module
 * carries error paths for it.  A test build (-DNT_FAULT_INJECT) can fail the
 * Nth allocation, selected by the environment variable NERTAG_FAIL_ALLOC, to
 * prove that this path is clean wherever it is taken.
 *
 * Large allocations also ask the kernel for huge pages where it offers
 * them (Linux's MADV_HUGEPAGE), because building a large index is
 * otherwise dominated by page faults, one each 4 KiB of the tens of
 * megabytes of keys, records and nodes it writes once.
 */
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE		/* madvise() and MADV_HUGEPAGE, if any */
#endif
#include <sys/mman.h>

#include <err.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#ifdef NT_FAULT_INJECT
#include <stdatomic.h>

static long fail_at = -1;	/* allocation number that fails; -1: none */
static atomic_long nalloc;	/* allocations so far; -j's threads count too */

static int
inject(void)
{
	const char *s;

	if (fail_at == -1) {
		s = getenv("NERTAG_FAIL_ALLOC");
		fail_at = s != NULL ? atol(s) : 0;
	}
	return fail_at > 0 && ++nalloc == fail_at;
}
#else
#define inject()	0
#endif

/* Allocations this large are worth huge pages (two of them, at least). */
#define HUGE_MIN	((size_t)4 << 20)
#define HUGE_ALIGN	((uintptr_t)2 << 20)

/*
 * Ask for huge pages on the 2 MiB-aligned part of the n bytes at p: a
 * hint, whose failure changes nothing but speed.  Only whole aligned
 * blocks can be huge pages, so the ends are left alone.
 */
static void
advise(void *p, size_t n)
{
#ifdef MADV_HUGEPAGE
	uintptr_t a, z;

	if (n < HUGE_MIN)
		return;
	a = ((uintptr_t)p + HUGE_ALIGN - 1) & ~(HUGE_ALIGN - 1);
	z = ((uintptr_t)p + n) & ~(HUGE_ALIGN - 1);
	if (z > a)
		(void)madvise((void *)a, (size_t)(z - a), MADV_HUGEPAGE);
#else
	(void)p;
	(void)n;
#endif
}

static void *
check(void *p)
{
	if (p == NULL)
		errx(1, "out of memory");
	return p;
}

void *
xmalloc(size_t n)
{
	void *p;

	if (inject())
		return check(NULL);
	p = check(malloc(n != 0 ? n : 1));
	advise(p, n);
	return p;
}

void *
xcalloc(size_t nmemb, size_t size)
{
	void *p;

	if (inject())
		return check(NULL);
	if (nmemb == 0 || size == 0)
		nmemb = size = 1;
	p = check(calloc(nmemb, size));
	advise(p, nmemb * size);
	return p;
}

void *
xreallocarray(void *p, size_t nmemb, size_t size)
{
	if (size != 0 && nmemb > SIZE_MAX / size)
		errx(1, "out of memory");
	if (inject())
		return check(NULL);
	if (nmemb == 0 || size == 0)
		nmemb = size = 1;
	p = check(realloc(p, nmemb * size));
	advise(p, nmemb * size);
	return p;
}

char *
xmemdup(const void *s, size_t n)
{
	char *p;

	if (n == SIZE_MAX)
		errx(1, "out of memory");
	p = xmalloc(n + 1);
	if (n != 0)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void
xgrow(void *pp, size_t *cap, size_t need, size_t size)
{
	void **p = pp;
	size_t n;

	if (need <= *cap)
		return;
	n = *cap != 0 ? *cap : 16;
	while (n < need) {
		if (n > SIZE_MAX / 2)
			errx(1, "out of memory");
		n *= 2;
	}
	*p = xreallocarray(*p, n, size);
	*cap = n;
}
