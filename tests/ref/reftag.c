/* nertag - tests/ref/reftag.c.  SPDX-License-Identifier: MIT */
/*
 * The reference matcher as a command, for differential tests from the
 * shell:
 *
 *	reftag [-ai] [-x STOPLIST]... GAZETTEER... < text
 *
 * prints one line per match, START<TAB>END<TAB>NAME, byte offsets of the
 * whole standard input (read into memory) and the gazetteer line that
 * matched, with its ID column dropped.  -i and -a are nertag's -i and
 * --ignore-accents.  Gazetteers are read plainly: one name a line up to a
 * tab, `#' lines and blank lines skipped, a CR before the newline and a
 * leading BOM dropped.  No labels and no checks: this is test code, and
 * nertag's own reader is what the other tests test.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ref.h"

struct list {
	char **v;
	size_t n, cap;
};

static void
push(struct list *l, char *s)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 64;
		if ((l->v = realloc(l->v, l->cap * sizeof(*l->v))) == NULL) {
			perror("reftag");
			exit(1);
		}
	}
	l->v[l->n++] = s;
}

/* Read all of f into a malloc'ed buffer; *n gets its size. */
static char *
slurp(FILE *f, size_t *n)
{
	size_t cap = 4096, r;
	char *b = malloc(cap + 1);

	*n = 0;
	while (b != NULL && (r = fread(b + *n, 1, cap - *n, f)) > 0) {
		*n += r;
		if (*n == cap)
			b = realloc(b, (cap *= 2) + 1);
	}
	if (b == NULL || ferror(f)) {
		perror("reftag");
		exit(1);
	}
	b[*n] = '\0';
	return b;
}

static void
load(const char *path, struct list *l)
{
	FILE *f = fopen(path, "rb");
	char *b, *p, *nl, *t;
	size_t n;

	if (f == NULL) {
		perror(path);
		exit(1);
	}
	b = slurp(f, &n);
	fclose(f);
	p = b;
	if (n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	for (; p < b + n; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(b + n - p))) == NULL)
			nl = b + n;
		*nl = '\0';
		if (nl > p && nl[-1] == '\r')
			nl[-1] = '\0';
		if ((t = strchr(p, '\t')) != NULL)
			*t = '\0';
		if (*p != '\0' && *p != '#')
			push(l, strdup(p));
	}
	free(b);
}

int
main(int argc, char *argv[])
{
	struct list names = { 0 }, stops = { 0 };
	struct ref_span *sp;
	unsigned flags = 0;
	unsigned char *text;
	size_t n, k, i;
	int c;

	while ((c = getopt(argc, argv, "aix:")) != -1)
		switch (c) {
		case 'a':
			flags |= REF_STRIPMARK;
			break;
		case 'i':
			flags |= REF_CASEFOLD;
			break;
		case 'x':
			load(optarg, &stops);
			break;
		default:
			fprintf(stderr, "usage: reftag [-ai] [-x STOPLIST]... "
			    "GAZETTEER...\n");
			return 2;
		}
	for (i = (size_t)optind; i < (size_t)argc; i++)
		load(argv[i], &names);
	text = (unsigned char *)slurp(stdin, &n);
	sp = malloc((n + 1) * sizeof(*sp));
	k = ref_match((const char *const *)names.v, names.n,
	    (const char *const *)stops.v, stops.n, text, n, flags, sp, n + 1);
	for (i = 0; i < k; i++)
		printf("%zu\t%zu\t%s\n", sp[i].start, sp[i].end,
		    names.v[sp[i].name]);
	for (i = 0; i < names.n; i++)
		free(names.v[i]);
	for (i = 0; i < stops.n; i++)
		free(stops.v[i]);
	free(names.v);
	free(stops.v);
	free(sp);
	free(text);
	return ferror(stdout) || fflush(stdout) ? 1 : 0;
}
