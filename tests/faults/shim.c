/* nertag - tests/faults/shim.c.  SPDX-License-Identifier: MIT */
/*
 * An LD_PRELOAD library for tests/run-faults.sh that makes read(2) and
 * write(2) misbehave the ways the kernel may, as set in the environment:
 *
 *   SHIM_EINTR=1		every other call fails with EINTR first
 *   SHIM_SHORT=N		each call moves at most 1 to N bytes
 *   SHIM_EIO=STR		reads from a file whose /proc/self/fd link
 *				contains STR fail with EIO ...
 *   SHIM_ENOSPC=STR		... writes to one fail with ENOSPC ...
 *   SHIM_AFTER=N		... once N bytes have gone through that file
 *
 * nertag must give the same output under the first two, and one message
 * and exit 1 under the others.  Test code: no locking, fds below 1024.
 */
#define _GNU_SOURCE
#include <sys/syscall.h>
#include <sys/types.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static unsigned long long moved[1024];
static unsigned calls;

/* Whether fd's target names str. */
static int
names(int fd, const char *str)
{
	char link[64], target[4096];
	ssize_t n;

	if (str == NULL || *str == '\0')
		return 0;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	if ((n = readlink(link, target, sizeof(target) - 1)) < 0)
		return 0;
	target[n] = '\0';
	return strstr(target, str) != NULL;
}

/* Apply the faults common to read and write; -1 with errno, or n to move. */
static ssize_t
fault(int fd, size_t n, const char *fail, int err)
{
	const char *s;
	unsigned long long after;

	if ((s = getenv("SHIM_EINTR")) != NULL && *s == '1' && n > 0 &&
	    calls++ % 2 == 0) {
		errno = EINTR;
		return -1;
	}
	if (fd >= 0 && fd < 1024 && n > 0 && names(fd, getenv(fail))) {
		s = getenv("SHIM_AFTER");
		after = s != NULL ? strtoull(s, NULL, 10) : 0;
		if (moved[fd] >= after) {
			errno = err;
			return -1;
		}
		if (n > after - moved[fd])
			n = (size_t)(after - moved[fd]);
	}
	if ((s = getenv("SHIM_SHORT")) != NULL && atoi(s) > 0 &&
	    n > (size_t)atoi(s))
		n = 1 + (size_t)rand() % (size_t)atoi(s);
	return (ssize_t)n;
}

ssize_t
read(int fd, void *buf, size_t n)
{
	ssize_t k = fault(fd, n, "SHIM_EIO", EIO), r;

	if (k < 0)
		return -1;
	r = syscall(SYS_read, fd, buf, (size_t)k);
	if (r > 0 && fd >= 0 && fd < 1024)
		moved[fd] += (unsigned long long)r;
	return r;
}

ssize_t
write(int fd, const void *buf, size_t n)
{
	ssize_t k = fault(fd, n, "SHIM_ENOSPC", ENOSPC), r;

	if (k < 0)
		return -1;
	r = syscall(SYS_write, fd, buf, (size_t)k);
	if (r > 0 && fd >= 0 && fd < 1024)
		moved[fd] += (unsigned long long)r;
	return r;
}
