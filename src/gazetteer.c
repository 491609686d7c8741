/* nertag - gazetteer.c.  SPDX-License-Identifier: MIT */
/*
 * Gazetteer files: UTF-8 text, one entry a line, NAME or NAME<TAB>ID.  A
 * line whose first byte is '#' is a comment, and a comment of the form
 * "# label: NAME" before the first entry declares the file's label.  Blank
 * lines are skipped; CRLF line ends and a leading byte order mark are
 * accepted.  The same syntax serves stop lists, whose IDs are ignored.
 *
 * This module checks the bytes (UTF-8, NUL, fields) and reports file:line
 * errors; what an entry means after normalisation is the lexicon's concern.
 * Files are read whole: gazetteers are small next to the memory they become.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gazetteer.h"
#include "normalize.h"
#include "util.h"

void
nt_error_set(struct nt_error *e, const char *path, unsigned long line,
    const char *fmt, ...)
{
	va_list ap;

	if ((size_t)snprintf(e->path, sizeof(e->path), "%s", path != NULL ?
	    path : "") >= sizeof(e->path))
		memcpy(e->path + sizeof(e->path) - 4, "...", 4);
	e->line = line;
	va_start(ap, fmt);
	vsnprintf(e->reason, sizeof(e->reason), fmt, ap);
	va_end(ap);
}

/* NT_LABEL_MAX as text, for the message. */
#define TEXT_(n)	#n
#define TEXT(n)		TEXT_(n)
#define LABEL_MAX_TEXT	TEXT(NT_LABEL_MAX)

const char *
nt_gaz_label_problem(const char *s, size_t n)
{
	size_t i;

	if (n == 0)
		return "it is empty";
	if (n > NT_LABEL_MAX)
		return "it is longer than " LABEL_MAX_TEXT " characters";
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		int alpha = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    c == '_';
		int other = (c >= '0' && c <= '9') || c == '-' || c == '.';

		if (!alpha && i == 0)
			return "it must begin with a letter or '_'";
		if (!alpha && !other)
			return "it may hold only letters, digits, '_', '-' "
			    "and '.'";
	}
	/* Names starting with "xml" are reserved in XML. */
	if (n >= 3 && (s[0] | 0x20) == 'x' && (s[1] | 0x20) == 'm' &&
	    (s[2] | 0x20) == 'l')
		return "it must not begin with 'xml'";
	return NULL;
}

int
nt_gaz_valid_label(const char *s, size_t n)
{
	return nt_gaz_label_problem(s, n) == NULL;
}

/* Why the n bytes at p are not valid UTF-8 without NUL, or NULL. */
static const char *
check_bytes(const char *p, size_t n)
{
	size_t i, len;
	int32_t cp;

	for (i = 0; i < n; i += len) {
		/* Most lines are ASCII: no call a byte for them. */
		if ((unsigned char)p[i] < 0x80) {
			if (p[i] == '\0')
				return "NUL byte";
			len = 1;
			continue;
		}
		len = nt_norm_decode((const unsigned char *)p + i, n - i, &cp);
		if (len == 0 || cp < 0)
			return "invalid UTF-8";
	}
	return NULL;
}

static int
is_blank(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t')
			return 0;
	return 1;
}

/* Parse "# label: NAME" (already known to start with '#'). */
static int
label_decl(const char *p, size_t n, const char **name, size_t *len)
{
	size_t i = 1;

	while (i < n && p[i] == ' ')
		i++;
	if (n - i < 6 || memcmp(p + i, "label:", 6) != 0)
		return 0;
	i += 6;
	while (i < n && (p[i] == ' ' || p[i] == '\t'))
		i++;
	while (n > i && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	*name = p + i;
	*len = n - i;
	return 1;
}

long
nt_gaz_parse(const char *buf, size_t n, const char *path,
    nt_gaz_entry_fn *fn, void *ctx, char **label, struct nt_error *e)
{
	const char *p = buf, *end = buf + n, *nl, *tab, *why, *id, *name;
	unsigned long line = 0;
	size_t len, idlen, nlen;
	long count = 0;

	*label = NULL;
	if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	for (; p < end; p = nl < end ? nl + 1 : end) {
		line++;
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		len = (size_t)(nl - p);
		if (len > 0 && p[len - 1] == '\r')
			len--;
		if ((why = check_bytes(p, len)) != NULL)
			goto fail;
		if (len > 0 && p[0] == '#') {
			if (count == 0 && *label == NULL &&
			    label_decl(p, len, &name, &nlen)) {
				if ((why = nt_gaz_label_problem(name,
				    nlen)) != NULL) {
					nt_error_set(e, path, line,
					    "invalid label '%.*s%s': %s",
					    nlen > NT_LABEL_MAX ? NT_LABEL_MAX :
					    (int)nlen, name, nlen > NT_LABEL_MAX ?
					    "..." : "", why);
					goto fail_set;
				}
				*label = xmemdup(name, nlen);
			}
			continue;
		}
		if (is_blank(p, len))
			continue;
		tab = memchr(p, '\t', len);
		id = NULL;
		idlen = 0;
		nlen = len;
		if (tab != NULL) {
			nlen = (size_t)(tab - p);
			id = tab + 1;
			idlen = len - nlen - 1;
			if (memchr(id, '\t', idlen) != NULL) {
				why = "more than one tab";
				goto fail;
			}
			while (idlen > 0 && id[0] == ' ')
				id++, idlen--;
			while (idlen > 0 && id[idlen - 1] == ' ')
				idlen--;
			if (idlen == 0) {
				why = "empty ID after the tab";
				goto fail;
			}
		}
		if ((why = fn(ctx, p, nlen, id, idlen, line)) != NULL)
			goto fail;
		count++;
	}
	return count;
fail:
	nt_error_set(e, path, line, "%s", why);
fail_set:
	free(*label);
	*label = NULL;
	return -1;
}

int
nt_gaz_open(const char *path, int flags, struct stat *st, struct nt_error *e)
{
	int fd;

	if ((fd = open(path, O_RDONLY | flags)) == -1) {
		nt_error_set(e, path, 0, "%s", strerror(errno));
		return -1;
	}
	if (fstat(fd, st) == -1) {
		nt_error_set(e, path, 0, "%s", strerror(errno));
		close(fd);
		return -1;
	}
	if (S_ISDIR(st->st_mode)) {
		nt_error_set(e, path, 0, "is a directory");
		close(fd);
		return -1;
	}
	return fd;
}

int
nt_gaz_slurp(const char *path, char **buf, size_t *n, struct nt_error *e)
{
	struct stat st;
	size_t cap, len;
	ssize_t r;
	char *b, *nul;
	int fd;

	if ((fd = nt_gaz_open(path, 0, &st, e)) == -1)
		return -1;
	cap = S_ISREG(st.st_mode) && st.st_size > 0 ?
	    (size_t)st.st_size + 1 : 65536;
	b = xmalloc(cap);
	len = 0;
	for (;;) {
		if (len == cap)
			xgrow(&b, &cap, cap + 1, 1);
		r = read(fd, b + len, cap - len);
		if (r == 0)
			break;
		if (r == -1) {
			if (errno == EINTR)
				continue;
			nt_error_set(e, path, 0, "%s", strerror(errno));
			free(b);
			close(fd);
			return -1;
		}
		/*
		 * A FIFO or a device may never end (-g /dev/zero): reading
		 * stops at its first NUL byte, an error the parser reports
		 * with its line (unless one comes before), rather than once
		 * the whole has filled memory.
		 */
		if (!S_ISREG(st.st_mode) &&
		    (nul = memchr(b + len, '\0', (size_t)r)) != NULL) {
			len = (size_t)(nul - b) + 1;
			break;
		}
		len += (size_t)r;
	}
	close(fd);
	*buf = b;
	*n = len;
	return 0;
}

static int
strptrcmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
nt_gaz_list(const char *path, const char *suffix, char ***list, size_t *n,
    struct nt_error *e)
{
	struct dirent *d;
	struct stat st;
	size_t cap = 0, sl = strlen(suffix), nl, pl = strlen(path);
	char **l = NULL, *s;
	DIR *dir;

	*n = 0;
	if ((dir = opendir(path)) == NULL) {
		nt_error_set(e, path, 0, "%s", strerror(errno));
		return -1;
	}
	while ((d = readdir(dir)) != NULL) {
		nl = strlen(d->d_name);
		if (d->d_name[0] == '.' || nl <= sl ||
		    strcmp(d->d_name + nl - sl, suffix) != 0)
			continue;
		s = xmalloc(pl + nl + 2);
		memcpy(s, path, pl);
		s[pl] = '/';
		memcpy(s + pl + 1, d->d_name, nl + 1);
		/*
		 * Files only: a FIFO would be waited on for ever.  A link to
		 * nothing stays, for reading it to say what is wrong.
		 */
		if (stat(s, &st) == 0 && !S_ISREG(st.st_mode)) {
			free(s);
			continue;
		}
		xgrow(&l, &cap, *n + 1, sizeof(*l));
		l[(*n)++] = s;
	}
	closedir(dir);
	if (*n > 1)
		qsort(l, *n, sizeof(*l), strptrcmp);
	*list = l;
	return 0;
}

void
nt_gaz_list_free(char **list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(list[i]);
	free(list);
}

char *
nt_gaz_label_from_path(const char *path)
{
	const char *b = strrchr(path, '/'), *dot;

	b = b != NULL ? b + 1 : path;
	dot = strchr(b, '.');
	return xmemdup(b, dot != NULL ? (size_t)(dot - b) : strlen(b));
}
