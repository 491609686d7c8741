/* nertag - records.c.  SPDX-License-Identifier: MIT */
/*
 * Record mode.  Each input line is a record KEY<TAB>TEXT (a line without a
 * tab is a record with an empty key).  TEXT is written the way jq's @tsv
 * writes a field, so \t, \n, \r and \\ are undone before matching, and
 * offsets count the unescaped text; the matcher is finished at the end of
 * every record, so no match crosses one and offsets restart at 0.
 *
 * Memory is bounded: keys are kept up to NT_RECORD_KEY_MAX bytes (a line
 * with no tab by then is all text), and text streams through a small
 * buffer into the matcher, so a record of a gigabyte costs no more than a
 * short one.
 */
#include <stdlib.h>
#include <string.h>

#include "records.h"
#include "util.h"

#define CHUNK	65536

struct nt_records {
	struct nt_matcher *m;
	struct nt_out *o;
	int in_text;		/* past the key */
	int escape;		/* a backslash is pending */
	char *key;
	size_t keylen;
	unsigned char *chunk;	/* unescaped text on its way to the matcher */
	size_t chunklen;
};

struct nt_records *
nt_rec_new(struct nt_matcher *m, struct nt_out *o)
{
	struct nt_records *r = xcalloc(1, sizeof(*r));

	r->m = m;
	r->o = o;
	r->key = xmalloc(NT_RECORD_KEY_MAX);
	r->chunk = xmalloc(CHUNK);
	return r;
}

static void
flush_chunk(struct nt_records *r)
{
	if (r->chunklen > 0)
		nt_match_feed(r->m, r->chunk, r->chunklen);
	r->chunklen = 0;
}

/* Unescape n bytes of text into the matcher. */
static void
text(struct nt_records *r, const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = p[i];

		if (r->chunklen + 2 > CHUNK)
			flush_chunk(r);
		if (r->escape) {
			r->escape = 0;
			switch (c) {
			case 't': c = '\t'; break;
			case 'n': c = '\n'; break;
			case 'r': c = '\r'; break;
			case '0': c = '\0'; break;	/* jq's U+0000 */
			case '\\': break;
			default:
				/* Not an escape: keep the backslash. */
				r->chunk[r->chunklen++] = '\\';
				if (c == '\\') {
					r->escape = 1;
					continue;
				}
			}
			r->chunk[r->chunklen++] = c;
		} else if (c == '\\')
			r->escape = 1;
		else
			r->chunk[r->chunklen++] = c;
	}
}

static void
end_record(struct nt_records *r)
{
	if (r->escape)
		r->chunk[r->chunklen++] = '\\';
	r->escape = 0;
	flush_chunk(r);
	nt_match_finish(r->m);
	if (nt_match_failed(r->m))
		return;
	nt_out_record_end(r->o);
	r->in_text = 0;
	r->keylen = 0;
}

void
nt_rec_feed(struct nt_records *r, const unsigned char *p, size_t n)
{
	const unsigned char *end = p + n, *nl, *tab;
	size_t k;

	/* After damage in an index, nothing more is passed on. */
	while (p < end && !nt_match_failed(r->m)) {
		nl = memchr(p, '\n', (size_t)(end - p));
		k = (size_t)((nl != NULL ? nl : end) - p);
		if (!r->in_text) {
			tab = memchr(p, '\t', k);
			if (tab != NULL)
				k = (size_t)(tab - p);
			if (r->keylen + k > NT_RECORD_KEY_MAX) {
				/* No tab in sight: the line is all text. */
				nt_out_record(r->o, "", 0);
				r->in_text = 1;
				text(r, (unsigned char *)r->key, r->keylen);
				r->keylen = 0;
				continue;
			}
			memcpy(r->key + r->keylen, p, k);
			r->keylen += k;
			p += k;
			if (tab != NULL) {
				nt_out_record(r->o, r->key, r->keylen);
				r->in_text = 1;
				p++;
			} else if (nl != NULL) {
				nt_out_record(r->o, "", 0);
				text(r, (unsigned char *)r->key, r->keylen);
				end_record(r);
				p++;
			}
			continue;
		}
		text(r, p, k);
		p += k;
		if (nl != NULL) {
			end_record(r);
			p++;
		}
	}
}

void
nt_rec_finish(struct nt_records *r)
{
	if (nt_match_failed(r->m))
		return;
	if (r->in_text)
		end_record(r);
	else if (r->keylen > 0) {
		nt_out_record(r->o, "", 0);
		text(r, (unsigned char *)r->key, r->keylen);
		end_record(r);
	}
}

void
nt_rec_free(struct nt_records *r)
{
	if (r == NULL)
		return;
	free(r->key);
	free(r->chunk);
	free(r);
}
