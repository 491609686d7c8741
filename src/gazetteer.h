/*
 * gazetteer.h - reading gazetteer and stop-list files: lines of NAME or
 * NAME<TAB>ID, comments, an optional label declaration.  Knows nothing of
 * normalisation or tries.
 */
#ifndef NERTAG_GAZETTEER_H
#define NERTAG_GAZETTEER_H

#include <stddef.h>

/* Where and why reading failed; filled by the functions below. */
/*
 * Room for any path the system opens (PATH_MAX, 4096 on Linux) and a file
 * name (NAME_MAX, 255) joined to a folder's; a longer one is cut and ends
 * in "...".
 */
#define NT_ERROR_PATH	4400

struct nt_error {
	char path[NT_ERROR_PATH];	/* the file, or "" */
	unsigned long line;	/* 1-based, or 0 when not about one line */
	char reason[256];	/* what is wrong, without the place */
};

/* Fill *e; a helper for every module that reports file errors. */
void	nt_error_set(struct nt_error *e, const char *path, unsigned long line,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/*
 * Called for each entry: name and id point into the file's buffer and are
 * valid only during the call (id is NULL when the line has none).  Returns
 * NULL to go on, or a reason, which stops reading with an error at line.
 */
typedef const char *nt_gaz_entry_fn(void *ctx, const char *name,
	    size_t namelen, const char *id, size_t idlen, unsigned long line);

/*
 * Parse the n bytes at buf, the contents of the gazetteer path (used only in
 * messages), calling fn for each entry in order.  If a `# label: NAME`
 * comment comes before the first entry, *label is set to a malloc'ed copy of
 * NAME (else NULL).  Returns the number of entries, or -1 with *e filled:
 * invalid UTF-8, a NUL byte, more than one tab, an empty ID, an invalid
 * label, or a reason from fn.
 */
long	nt_gaz_parse(const char *buf, size_t n, const char *path,
	    nt_gaz_entry_fn *fn, void *ctx, char **label, struct nt_error *e);

/*
 * Open path for reading, with open(2) flags besides O_RDONLY (O_NONBLOCK,
 * so as not to wait for a FIFO's writer), and fstat(2) it into *st: the
 * descriptor, or -1 with *e filled (unreadable, a directory).
 */
struct stat;
int	nt_gaz_open(const char *path, int flags, struct stat *st,
	    struct nt_error *e);

/*
 * Read the whole file at path into a malloc'ed buffer (*buf, *n bytes); a
 * FIFO or a device only up to its first NUL byte, which the parser then
 * reports.  Returns 0, or -1 with *e filled (unreadable, a directory).
 */
int	nt_gaz_slurp(const char *path, char **buf, size_t *n,
	    struct nt_error *e);

/*
 * List the files in folder path whose names end in suffix (".txt"), sorted
 * bytewise, as a malloc'ed array of malloc'ed paths (*list, *n); free with
 * nt_gaz_list_free().  Folders, FIFOs and devices are left out, links to
 * nothing are not.  Returns 0, or -1 with *e filled.
 */
int	nt_gaz_list(const char *path, const char *suffix, char ***list,
	    size_t *n, struct nt_error *e);
void	nt_gaz_list_free(char **list, size_t n);

/* The longest label: --untag reads a tag's label into a buffer this long. */
#define NT_LABEL_MAX	64

/* 1 if s (n bytes) is a valid label: an XML name in ASCII. */
int	nt_gaz_valid_label(const char *s, size_t n);

/* Why s (n bytes) is not a valid label, for a message; NULL if it is. */
const char *nt_gaz_label_problem(const char *s, size_t n);

/*
 * The label a file gets by default: its base name up to the first dot, as
 * a malloc'ed string.
 */
char	*nt_gaz_label_from_path(const char *path);

#endif
