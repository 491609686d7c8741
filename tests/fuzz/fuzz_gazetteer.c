/* nertag - fuzz target: the gazetteer reader on arbitrary file contents. */
/*
 * Every input gives entries or one clean error with a line number, never
 * a crash or a leak; each entry is normalised as the lexicon would.  Then
 * the same bytes as a gazetteer file, loaded into a lexicon (with -i and
 * --ignore-accents as the input's length says): it loads if and only if
 * the reader took it with at least one entry, else the error names the
 * file and the same line.  A loaded lexicon is compiled to an index, which
 * must load again with as many names.
 */
#include <unistd.h>

#include "common.h"
#include "gazetteer.h"
#include "lexicon.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *
entry(void *ctx, const char *name, size_t namelen, const char *id,
    size_t idlen, unsigned long line)
{
	const unsigned *flags = ctx;
	unsigned char *k;
	size_t kl;

	(void)line;
	if (id != NULL && idlen == 0)
		abort();	/* the reader refuses empty IDs */
	k = nt_norm_string((const unsigned char *)name, namelen, *flags, &kl);
	if (k == NULL)
		return "barrier";
	free(k);
	return kl == 0 ? "empty" : kl > NT_TRIE_KEY_MAX ? "too long" : NULL;
}

static char dir[] = "/tmp/nertag-fuzz-gaz.XXXXXX";

static void
rmdir_at_exit(void)
{
	rmdir(dir);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[sizeof(dir) + 16], ipath[sizeof(dir) + 16];
	struct nt_lexicon *x, *y;
	struct nt_error e, le;
	char *buf = malloc(size + 1), *label;
	unsigned flags = size & 3;
	long n;
	static int made;
	FILE *f;
	int r;

	memcpy(buf, data, size);
	n = nt_gaz_parse(buf, size, "fuzz.txt", entry, &flags, &label, &e);
	if (n < 0) {
		if (e.line == 0 || e.reason[0] == '\0' || label != NULL)
			abort();
	} else if (label != NULL) {
		if (!nt_gaz_valid_label(label, strlen(label)))
			abort();
		free(label);
	}
	free(buf);

	/*
	 * The same bytes as a file, through the lexicon.  The directory is
	 * made once: its template cannot tell, since mkdtemp() may put an X
	 * where the first X was (one run in 62 then failed on its second
	 * input).
	 */
	if (!made) {
		if (mkdtemp(dir) == NULL) {
			perror(dir);
			abort();
		}
		made = 1;
		atexit(rmdir_at_exit);
	}
	snprintf(path, sizeof(path), "%s/PER.txt", dir);
	snprintf(ipath, sizeof(ipath), "%s/idx.ntx", dir);
	f = fopen(path, "wb");
	if (f == NULL || fwrite(data, 1, size, f) != size || fclose(f) != 0) {
		perror(path);
		abort();
	}
	x = nt_lex_new(flags);
	r = nt_lex_gazetteer(x, path, NULL, &le);
	unlink(path);
	if (r == 0 && n <= 0) {
		fprintf(stderr, "loaded, but the reader said: %s\n",
		    n < 0 ? e.reason : "no entries");
		abort();
	}
	if (r != 0 && (le.reason[0] == '\0' || strcmp(le.path, path) != 0 ||
	    (n < 0 && le.line != e.line))) {
		fprintf(stderr, "reader: line %lu: %s; lexicon: %s:%lu: %s\n",
		    n < 0 ? e.line : 0, n < 0 ? e.reason : "-", le.path,
		    le.line, le.reason);
		abort();
	}
	if (r == 0 && nt_lex_prepare(x, &le) == 0) {
		if (nt_lex_names(x) == 0 || nt_lex_names(x) > (size_t)n)
			abort();
		if (nt_lex_write_index(x, ipath, &le) != 0) {
			fprintf(stderr, "%s\n", le.reason);
			abort();
		}
		y = nt_lex_new(flags);
		if (nt_lex_index(y, ipath, &le) != 0 ||
		    nt_lex_prepare(y, &le) != 0 ||
		    nt_lex_names(y) != nt_lex_names(x) ||
		    nt_lex_labels(y) != nt_lex_labels(x)) {
			fprintf(stderr, "index: %s\n", le.reason);
			abort();
		}
		nt_lex_free(y);
		unlink(ipath);
	}
	nt_lex_free(x);
	return 0;
}
