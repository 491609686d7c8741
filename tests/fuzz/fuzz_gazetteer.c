/* nertag - fuzz target: the gazetteer reader on arbitrary file contents. */
/*
 * Every input gives entries or one clean error with a line number, never
 * a crash or a leak; each entry is normalised as the lexicon would.
 */
#include "common.h"
#include "gazetteer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *
entry(void *ctx, const char *name, size_t namelen, const char *id,
    size_t idlen, unsigned long line)
{
	unsigned char *k;
	size_t kl;

	(void)ctx;
	(void)line;
	if (id != NULL && idlen == 0)
		abort();	/* the reader refuses empty IDs */
	k = nt_norm_string((const unsigned char *)name, namelen, 0, &kl);
	if (k == NULL)
		return "barrier";
	free(k);
	return kl == 0 ? "empty" : NULL;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nt_error e;
	char *buf = malloc(size + 1), *label;
	long n;

	memcpy(buf, data, size);
	n = nt_gaz_parse(buf, size, "fuzz.txt", entry, NULL, &label, &e);
	if (n < 0) {
		if (e.line == 0 || e.reason[0] == '\0' || label != NULL)
			abort();
	} else if (label != NULL) {
		if (!nt_gaz_valid_label(label, strlen(label)))
			abort();
		free(label);
	}
	free(buf);
	return 0;
}
