/* nertag - nertag.c.  SPDX-License-Identifier: MIT */
/*
 * nertag: tag the names of people, places and organisations in a stream.
 *
 * main() only: options, loading the lexicon, wiring the matcher to the
 * output, the read loop, and turning errors into messages and exit codes
 * (0 success, 1 runtime error, 2 usage error).
 */
#include <sys/stat.h>

#include <signal.h>

#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gazetteer.h"
#include "lexicon.h"
#include "match.h"
#include "normalize.h"
#include "output.h"
#include "parallel.h"
#include "records.h"
#include "util.h"

#ifndef NT_DATADIR
#define NT_DATADIR	"/usr/local/share/nertag"
#endif
#define NT_VERSION	"0.1.0"

#define READSIZE	(128 * 1024)
#define MAXJOBS		256

/*
 * Byte c as a message writes it, into out (room for 4): itself, or \n,
 * \t, \r or \xHH for a control character.  Returns the bytes written.
 * Safe in a signal handler.
 */
static size_t
escape_ctl(unsigned char c, char *out)
{
	static const char hex[] = "0123456789ABCDEF";

	if (c >= 0x20 && c != 0x7F) {
		out[0] = (char)c;
		return 1;
	}
	out[0] = '\\';
	if (c == '\n' || c == '\t' || c == '\r') {
		out[1] = c == '\n' ? 'n' : c == '\t' ? 't' : 'r';
		return 2;
	}
	out[1] = 'x';
	out[2] = hex[c >> 4];
	out[3] = hex[c & 15];
	return 4;
}

/*
 * Messages: "nertag: " and the message on one line of standard error,
 * whatever the file names in it hold: a control character is written as
 * \n, \t, \r or \xHH (a name with a line feed split the message in two).
 * nt_warnx(), nt_warn() and nt_errx() are warnx(3), warn(3) and errx(3)
 * so written.
 */
static void __attribute__((format(printf, 2, 0)))
vsay(int errnum, const char *fmt, va_list ap)
{
	char small[256], *msg = small, *out;
	size_t i, k;
	va_list aq;
	int n;

	va_copy(aq, ap);
	n = vsnprintf(small, sizeof(small), fmt, aq);
	va_end(aq);
	if (n < 0)
		small[n = 0] = '\0';
	else if ((size_t)n >= sizeof(small)) {
		msg = xmalloc((size_t)n + 1);
		vsnprintf(msg, (size_t)n + 1, fmt, ap);
	}
	out = xmalloc(4 * (size_t)n + 1);
	for (i = k = 0; msg[i] != '\0'; i++)
		k += escape_ctl((unsigned char)msg[i], out + k);
	out[k] = '\0';
	/* One call: standard error is unbuffered. */
	if (errnum >= 0)
		fprintf(stderr, "nertag: %s: %s\n", out, strerror(errnum));
	else
		fprintf(stderr, "nertag: %s\n", out);
	free(out);
	if (msg != small)
		free(msg);
}

static void __attribute__((format(printf, 1, 2)))
nt_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay(-1, fmt, ap);
	va_end(ap);
}

static void __attribute__((format(printf, 1, 2)))
nt_warn(const char *fmt, ...)
{
	va_list ap;
	int errnum = errno;

	va_start(ap, fmt);
	vsay(errnum, fmt, ap);
	va_end(ap);
}

static void __attribute__((noreturn, format(printf, 2, 3)))
nt_errx(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay(-1, fmt, ap);
	va_end(ap);
	exit(status);
}

enum {
	OPT_ACCENTS = 256, OPT_COLOR, OPT_COMPILE, OPT_LINEBUF, OPT_OFFSETS,
	OPT_UNTAG
};

static const struct option longopts[] = {
	{ "color", optional_argument, NULL, OPT_COLOR },
	{ "colour", optional_argument, NULL, OPT_COLOR },
	{ "compile", required_argument, NULL, OPT_COMPILE },
	{ "exclude", required_argument, NULL, 'x' },
	{ "format", required_argument, NULL, 'f' },
	{ "gazetteer", required_argument, NULL, 'g' },
	{ "help", no_argument, NULL, 'h' },
	{ "ignore-accents", no_argument, NULL, OPT_ACCENTS },
	{ "ignore-case", no_argument, NULL, 'i' },
	{ "index", required_argument, NULL, 'G' },
	{ "jobs", required_argument, NULL, 'j' },
	{ "line-buffered", no_argument, NULL, OPT_LINEBUF },
	{ "offsets", required_argument, NULL, OPT_OFFSETS },
	{ "only-matching", no_argument, NULL, 'o' },
	{ "records", no_argument, NULL, 'r' },
	{ "untag", no_argument, NULL, OPT_UNTAG },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

/* A -g or -G operand, kept in command-line order. */
struct source {
	int index;		/* -G */
	const char *path;
	char *label;		/* from LABEL=PATH, or NULL */
};

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr,
	    "usage: nertag [-hiorV] [-f format] [-G index] [-g [label=]path] "
	    "[-j n]\n"
	    "              [-x file] [--color[=when]] [--compile=out] "
	    "[--ignore-accents]\n"
	    "              [--line-buffered] [--offsets=unit] [--untag] "
	    "[file ...]\n"
	    "Try 'nertag --help' for more information.\n");
	exit(2);
}

/*
 * The long option that getopt_long() refused, if arg (argv[optind - 1])
 * is one: inside a group such as -Qi, arg is still the argument before
 * the group, so a long option is taken to be the one refused only if
 * optopt is its value ('i' for --ignore-case; 0 for one not known).  The
 * option arg names, a prefix taken as getopt_long() takes it; NULL if arg
 * is no long option that was refused, or names none or several.
 */
static const struct option *
refused_long(const char *arg, int *nmatch)
{
	const struct option *o, *found = NULL;
	size_t n;

	*nmatch = 0;
	if (strncmp(arg, "--", 2) != 0)
		return NULL;
	arg += 2;
	if ((n = strcspn(arg, "=")) == 0)
		return NULL;	/* --=x */
	for (o = longopts; o->name != NULL; o++) {
		if (strncmp(o->name, arg, n) != 0)
			continue;
		if (strlen(o->name) == n) {
			*nmatch = 1;
			return o;
		}
		/* --colo: --color and --colour are one option. */
		if (found == NULL || found->val != o->val) {
			found = o;
			(*nmatch)++;
		}
	}
	return *nmatch == 1 ? found : NULL;
}

/* Report the option getopt_long() refused, then the usage. */
static void __attribute__((noreturn))
bad_option(char *argv[])
{
	const char *arg = argv[optind - 1];
	const struct option *o, *p;
	int nmatch;

	o = refused_long(arg, &nmatch);
	if (strncmp(arg, "--", 2) == 0 && optopt == 0) {
		if (nmatch < 2)
			nt_warnx("unrecognized option '%s'", arg);
		else {
			fprintf(stderr, "nertag: option '%.*s' is ambiguous; "
			    "possibilities:", (int)strcspn(arg, "="), arg);
			for (p = longopts; p->name != NULL; p++)
				if (strncmp(p->name, arg + 2,
				    strcspn(arg + 2, "=")) == 0)
					fprintf(stderr, " '--%s'", p->name);
			fputc('\n', stderr);
		}
	} else if (o != NULL && o->val == optopt && strchr(arg, '=') != NULL)
		nt_warnx("option '--%s' doesn't allow an argument", o->name);
	else if (o != NULL && o->val == optopt)
		nt_warnx("option '--%s' requires an argument", o->name);
	else if (optopt != 0 && optopt < 256 &&
	    strchr("fGgjx", optopt) != NULL)
		nt_warnx("option requires an argument -- '%c'", optopt);
	else
		nt_warnx("invalid option -- '%c'", optopt);
	usage();
}

/* An empty file name is a usage error, not a file that cannot be read. */
static void
need_path(const char *opt, const char *path)
{
	if (*path == '\0') {
		nt_warnx("%s takes a file name, not an empty one", opt);
		usage();
	}
}

/*
 * Exit after --help or --version: a write error (a full disk, a closed
 * standard output) is reported and fails, as for matching output.
 */
static void __attribute__((noreturn))
exit_printed(void)
{
	errno = 0;
	if (fflush(stdout) != 0 || ferror(stdout)) {
		if (errno != 0)
			nt_warnx("write error: %s", strerror(errno));
		else
			nt_warnx("write error");
		exit(1);
	}
	exit(0);
}

static void
help(void)
{
	printf(
"Usage: nertag [OPTION]... [FILE]...\n"
"Tag the names of people, places and organisations in each FILE (standard\n"
"input when there is none, or for -) and write the text to standard output.\n"
"\n"
"  -f, --format=FMT        inline (default): <LABEL>name</LABEL> in the text;\n"
"                          xml: the same with the text's & < > escaped;\n"
"                          tsv: START END LABEL TEXT ID lines; jsonl: objects\n"
"  -g, --gazetteer=[LABEL=]PATH  match the names in file or folder PATH\n"
"  -G, --index=FILE        match the names in a compiled index\n"
"  -x, --exclude=FILE      never tag the names listed in FILE\n"
"  -i, --ignore-case       full Unicode case folding\n"
"      --ignore-accents    ignore combining marks (accents)\n"
"  -o, --only-matching     print LABEL<TAB>TEXT for each name\n"
"  -r, --records           lines are KEY<TAB>TEXT records\n"
"  -j, --jobs=N            match on N threads (0: one a CPU); same output\n"
"      --offsets=UNIT      tsv/jsonl offsets in bytes (default) or chars\n"
"      --color[=WHEN]      colour names: auto (default), always, never\n"
"      --line-buffered     flush output at every line; names do not span lines\n"
"      --compile=OUT       write the gazetteers as a compiled index to OUT\n"
"      --untag             turn xml output back into the original text\n"
"  -h, --help              show this help and exit\n"
"  -V, --version           show the version and exit\n"
"\n"
"Without -g or -G the default gazetteers (PER, LOC, ORG) are used from\n"
"$NERTAG_GAZETTEERS, or else %s.\n"
"Exit status: 0 on success, 1 on a runtime error, 2 on a usage error.\n"
"See nertag(1) for the gazetteer format and the matching rules.\n",
	    NT_DATADIR);
}

static void __attribute__((noreturn))
fail(const struct nt_error *e)
{
	if (e->path[0] != '\0' && e->line > 0)
		nt_errx(1, "%s:%lu: %s", e->path, e->line, e->reason);
	else if (e->path[0] != '\0')
		nt_errx(1, "%s: %s", e->path, e->reason);
	nt_errx(1, "%s", e->reason);
}

/*
 * a later than b, to the nanosecond: an edit may follow a build within the
 * same second.
 */
static int
newer(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec > b->tv_sec ||
	    (a->tv_sec == b->tv_sec && a->tv_nsec > b->tv_nsec);
}

/*
 * The default index for these flags in dir, if it exists and is newer
 * than every gazetteer and stop list there; else NULL.  Malloc'ed.
 */
static char *
default_index(const char *dir, unsigned flags)
{
	static const char *const names[] = {
		"default.ntx", "default-i.ntx", "default-a.ntx",
		"default-ia.ntx"
	};
	static const char *const suffix[] = { ".txt", ".exclude" };
	struct nt_error e;
	struct stat ist, st;
	char *path, **list;
	size_t n, i, k, len;
	int fresh = 1;

	len = strlen(dir) + 32;
	path = xmalloc(len);
	snprintf(path, len, "%s/%s", dir, names[flags & 3]);
	if (stat(path, &ist) == -1) {
		free(path);
		return NULL;
	}
	for (k = 0; k < 2 && fresh; k++) {
		if (nt_gaz_list(dir, suffix[k], &list, &n, &e) == -1)
			break;
		for (i = 0; i < n; i++)
			if (stat(list[i], &st) == 0 &&
			    newer(&st.st_mtim, &ist.st_mtim))
				fresh = 0;
		nt_gaz_list_free(list, n);
	}
	if (!fresh) {
		free(path);
		return NULL;
	}
	return path;
}

/* Load the lexicon from the sources, or from the defaults if none. */
static struct nt_lexicon *
load(struct source *src, size_t nsrc, char **excl, size_t nexcl,
    unsigned flags, int compiling)
{
	struct nt_lexicon *x = nt_lex_new(flags);
	struct nt_error e;
	const char *dir;
	char *idx;
	size_t i;

	for (i = 0; i < nexcl; i++)
		if (nt_lex_exclude(x, excl[i], &e) == -1)
			fail(&e);
	if (nsrc == 0) {
		dir = getenv("NERTAG_GAZETTEERS");
		if (dir == NULL || *dir == '\0')
			dir = NT_DATADIR;
		idx = compiling ? NULL : default_index(dir, flags);
		if (idx != NULL && nt_lex_index_whole(x, idx, &e) == -1) {
			/* Still correct from the gazetteers, only slower. */
			nt_warnx("%s: %s; reading the gazetteers instead", e.path,
			    e.reason);
			free(idx);
			idx = NULL;
		}
		if (idx == NULL && nt_lex_gazetteer(x, dir, NULL, &e) == -1)
			fail(&e);
		free(idx);
	}
	for (i = 0; i < nsrc; i++) {
		if (src[i].index) {
			if (nt_lex_index(x, src[i].path, &e) == -1)
				fail(&e);
		} else if (nt_lex_gazetteer(x, src[i].path, src[i].label,
		    &e) == -1)
			fail(&e);
	}
	if (nt_lex_prepare(x, &e) == -1)
		fail(&e);
	return x;
}

/* n bytes to standard error from a signal handler: write(2) alone. */
static void
say_raw(const char *p, size_t n)
{
	ssize_t k;

	while (n > 0 && (k = write(2, p, n)) > 0) {
		p += k;
		n -= (size_t)k;
	}
}

/*
 * A mapped index that shrinks while nertag runs (truncated or rewritten
 * in place, not replaced by a rename) turns the next read of it into a bus
 * error.  Say which index and exit 1; output not yet written is lost, and
 * the message says so.  A bus error anywhere else is a bug: it keeps the
 * default action.  Only async-signal-safe calls here.
 */
static void
on_sigbus(int sig, siginfo_t *si, void *ctx)
{
	static const char pre[] = "nertag: ", post[] = ": the index changed "
	    "while in use (bus error reading it); output is incomplete\n";
	const char *path = nt_lex_mapped_path(si->si_addr);
	char buf[128];
	size_t n = 0;

	(void)ctx;
	if (path == NULL) {
		signal(sig, SIG_DFL);
		raise(sig);
		return;
	}
	say_raw(pre, sizeof(pre) - 1);
	/* Control characters escaped as the other messages escape them. */
	for (; *path != '\0'; path++) {
		if (n + 4 > sizeof(buf)) {
			say_raw(buf, n);
			n = 0;
		}
		n += escape_ctl((unsigned char)*path, buf + n);
	}
	say_raw(buf, n);
	say_raw(post, sizeof(post) - 1);
	_exit(1);
}

/* read(2), again when a signal interrupts it. */
static ssize_t
read_some(int fd, void *p, size_t n)
{
	ssize_t r;

	while ((r = read(fd, p, n)) == -1 && errno == EINTR)
		continue;
	return r;
}

/*
 * Read fd to its end through the matcher, the record splitter or untag.
 * *guarded counts down the input still to read before the rest of the
 * mapped indexes is checked at once (nt_lex_check_all()).  Returns 0, -1
 * on a read error (errno), -2 on damage in an index, -3 when untag met
 * input that is not nertag's xml (nt_out_untag_error()).
 */
static int
run(int fd, struct nt_matcher *m, struct nt_records *rec, struct nt_out *o,
    int untag, int line_buffered, unsigned char *rbuf,
    struct nt_lexicon *lex, size_t *guarded)
{
	unsigned char *p;
	ssize_t r;
	size_t n;

	for (;;) {
		if (rec == NULL && !untag)
			p = nt_match_space(m, &n);
		else {
			p = rbuf;
			n = READSIZE;
		}
		if ((r = read_some(fd, p, n)) == 0)
			break;
		if (r == -1)
			return -1;
		if (*guarded > 0) {
			if ((size_t)r < *guarded)
				*guarded -= (size_t)r;
			else {
				*guarded = 0;
				nt_lex_check_all(lex);
			}
		}
		if (untag) {
			if (nt_out_untag(o, p, (size_t)r) == -1)
				return -3;
		} else if (rec != NULL)
			nt_rec_feed(rec, p, (size_t)r);
		else
			nt_match_commit(m, (size_t)r);
		if (m != NULL && nt_match_failed(m))
			return -2;
		if (line_buffered)
			nt_out_flush(o);
		if (nt_out_error(o) != 0)
			return 0;
	}
	if (untag) {
		if (nt_out_untag_end(o) == -1)
			return -3;
	} else if (rec != NULL)
		nt_rec_finish(rec);
	else
		nt_match_finish(m);
	return m != NULL && nt_match_failed(m) ? -2 : 0;
}

/*
 * Read fd to its end through the threaded driver.  Returns 0, or -1 after
 * a read error (what was read before it is passed on).
 */
static int
run_par(int fd, struct nt_par *par, struct nt_out *o)
{
	unsigned char *p;
	ssize_t r;
	size_t n;
	int ret = 0;

	for (;;) {
		p = nt_par_space(par, &n);
		if ((r = read_some(fd, p, n)) == 0)
			break;
		if (r == -1) {
			ret = -1;
			break;
		}
		nt_par_commit(par, (size_t)r);
		if (nt_out_error(o) != 0)
			return 0;
	}
	nt_par_finish(par);
	return ret;
}

/* -j's operand: 0 to MAXJOBS, 0 for the number of CPUs online. */
static size_t
jobs_arg(const char *s)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(s, &end, 10);
	/* Digits alone: strtol() would take " 2" and "+3". */
	if (*s < '0' || *s > '9' || *end != '\0' || errno != 0 ||
	    n > MAXJOBS) {
		nt_warnx("-j takes a number of threads from 0 to %d", MAXJOBS);
		usage();
	}
	if (n == 0) {
		n = sysconf(_SC_NPROCESSORS_ONLN);
		if (n < 1)
			n = 1;
		if (n > MAXJOBS)
			n = MAXJOBS;
	}
	return (size_t)n;
}

/*
 * Fill a closed standard descriptor with /dev/null, read-only, so that no
 * file opened later takes its number: a closed standard input would
 * otherwise read as the first file again, and a closed standard output
 * write into a gazetteer.  Writes to it still fail, with EBADF, as they
 * would have.  Returns 1 if standard input was closed.
 */
static int
hold_std_fds(void)
{
	int fd, closed0 = 0;

	for (fd = 0; fd <= 2; fd++)
		if (fcntl(fd, F_GETFD) == -1 && errno == EBADF) {
			if (fd == 0)
				closed0 = 1;
			if (open("/dev/null", O_RDONLY) != fd)
				break;
		}
	return closed0;
}

int
main(int argc, char *argv[])
{
	struct source *src = NULL;
	struct nt_out_config ocfg;
	struct nt_match_config mcfg;
	struct nt_lexicon *lex;
	struct nt_matcher *m;
	struct nt_par *par = NULL;
	struct nt_records *rec = NULL;
	struct nt_out *o;
	struct nt_error e;
	const struct nt_trie **tries;
	unsigned char *rbuf = NULL;
	const char *format = "inline", *compile = NULL, *color = "auto", *eq;
	const char *term;
	char **excl = NULL;
	size_t nsrc = 0, srccap = 0, nexcl = 0, exclcap = 0, i, guarded;
	size_t jobs = 1;
	unsigned flags = 0;
	int ch, only = 0, records = 0, untag = 0, linebuf = 0, chars = 0;
	int status = 0, fd, fmt, r, stdin_closed = hold_std_fds();
	unsigned long line;
	const char *why;
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sigbus;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, NULL);
	opterr = 0;	/* our messages, named "nertag" whatever argv[0] is */
	while ((ch = getopt_long(argc, argv, "f:G:g:hij:orVx:", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'f':
			format = optarg;
			break;
		case 'G':
		case 'g':
			xgrow(&src, &srccap, nsrc + 1, sizeof(*src));
			src[nsrc].index = ch == 'G';
			src[nsrc].path = optarg;
			src[nsrc].label = NULL;
			eq = strchr(optarg, '=');
			/* LABEL=PATH, unless what precedes '=' is no label. */
			if (ch == 'g' && eq != NULL &&
			    memchr(optarg, '/', (size_t)(eq - optarg)) == NULL) {
				if ((why = nt_gaz_label_problem(optarg,
				    (size_t)(eq - optarg))) != NULL) {
					nt_warnx("invalid label in '%s': %s",
					    optarg, why);
					usage();
				}
				src[nsrc].label = xmemdup(optarg,
				    (size_t)(eq - optarg));
				src[nsrc].path = eq + 1;
			}
			need_path(ch == 'g' ? "-g" : "-G", src[nsrc].path);
			nsrc++;
			break;
		case 'h':
			help();
			exit_printed();
		case 'i':
			flags |= NT_NORM_CASEFOLD;
			break;
		case 'j':
			jobs = jobs_arg(optarg);
			break;
		case 'o':
			only = 1;
			break;
		case 'r':
			records = 1;
			break;
		case 'V':
			printf("nertag %s (utf8proc %s, Unicode %s%s)\n",
			    NT_VERSION, nt_norm_utf8proc_version(),
			    nt_norm_unicode_version(),
			    nt_match_vector() ? ", AVX-512" : "");
			exit_printed();
		case 'x':
			xgrow(&excl, &exclcap, nexcl + 1, sizeof(*excl));
			need_path("-x", optarg);
			excl[nexcl++] = optarg;
			break;
		case OPT_ACCENTS:
			flags |= NT_NORM_STRIPMARK;
			break;
		case OPT_COLOR:
			/* A bare --color means auto, as in GNU grep. */
			color = optarg != NULL ? optarg : "auto";
			if (strcmp(color, "auto") != 0 &&
			    strcmp(color, "always") != 0 &&
			    strcmp(color, "never") != 0) {
				nt_warnx("--color takes auto, always or never");
				usage();
			}
			break;
		case OPT_COMPILE:
			need_path("--compile", optarg);
			compile = optarg;
			break;
		case OPT_LINEBUF:
			linebuf = 1;
			break;
		case OPT_OFFSETS:
			if (strcmp(optarg, "chars") == 0)
				chars = 1;
			else if (strcmp(optarg, "bytes") != 0) {
				nt_warnx("--offsets takes bytes or chars");
				usage();
			}
			break;
		case OPT_UNTAG:
			untag = 1;
			break;
		default:
			bad_option(argv);
		}
	}
	argc -= optind;
	argv += optind;

	/* -o overrides -f, but a bad -f is still a usage error. */
	fmt = nt_out_format(format);
	if (fmt == -1 || strcmp(format, "only") == 0) {
		nt_warnx("unknown format '%s' (inline, xml, tsv or jsonl)", format);
		usage();
	}
	if (only)
		fmt = nt_out_format("only");
	if (compile != NULL && argc > 0) {
		nt_warnx("--compile reads no input files");
		usage();
	}
	/* A layer is an index, or a run of gazetteers between two. */
	for (i = 0, r = 0; i < nsrc; i++)
		r += src[i].index || i == 0 || src[i - 1].index;
	if (r > NT_MATCH_MAX_LAYERS) {
		nt_warnx("at most %d indexes (-G) and runs of -g between them "
		    "(%d here)", NT_MATCH_MAX_LAYERS, r);
		usage();
	}
	if (compile != NULL && untag) {
		nt_warnx("--compile and --untag cannot be used together");
		usage();
	}
	for (i = 0; compile != NULL && i < nsrc; i++)
		if (src[i].index) {
			nt_warnx("--compile takes gazetteers (-g), not an index "
			    "(-G)");
			usage();
		}

	if (!untag) {
		lex = load(src, nsrc, excl, nexcl, flags, compile != NULL);
	} else
		lex = NULL;
	if (compile != NULL) {
		if (nt_lex_write_index(lex, compile, &e) == -1)
			fail(&e);
		goto done;
	}

	memset(&ocfg, 0, sizeof(ocfg));
	ocfg.fd = STDOUT_FILENO;
	ocfg.format = fmt;
	ocfg.line_buffered = linebuf;
	ocfg.chars = chars;
	ocfg.records = records;
	ocfg.show_file = argc > 1;
	ocfg.lex = lex;
	/* auto as grep(1) has it: not for a dumb terminal or one unnamed. */
	term = getenv("TERM");
	if (strcmp(color, "always") == 0 || (strcmp(color, "auto") == 0 &&
	    isatty(STDOUT_FILENO) && term != NULL &&
	    strcmp(term, "dumb") != 0 && (getenv("NO_COLOR") == NULL ||
	    *getenv("NO_COLOR") == '\0')))
		ocfg.color = fmt == nt_out_format("inline");
	o = nt_out_new(&ocfg);

	m = NULL;
	tries = NULL;
	if (!untag) {
		tries = xreallocarray(NULL, nt_lex_layers(lex), sizeof(*tries));
		for (i = 0; i < nt_lex_layers(lex); i++)
			tries[i] = nt_lex_trie(lex, i);
		memset(&mcfg, 0, sizeof(mcfg));
		mcfg.tries = tries;
		mcfg.ntries = nt_lex_layers(lex);
		mcfg.veto = nt_lex_veto(lex);
		/* A record is one line already; its \n escapes are text. */
		mcfg.flags = flags | (linebuf && !records ? NT_NORM_LINES : 0);
		mcfg.text = nt_out_text;
		mcfg.span = nt_out_span;
		mcfg.ctx = o;
		mcfg.damaged = nt_lex_damaged_flag(lex);
		if (jobs > 1 && !linebuf) {
			/*
			 * Threads share the tries: nothing may be left to
			 * check, or to note, while they read them.
			 */
			nt_lex_check_all(lex);
			if (nt_lex_damage(lex, &e) == -1)
				fail(&e);
			par = records ? nt_par_new_records(&mcfg, &ocfg, o,
			    jobs, 0) : nt_par_new(&mcfg, jobs, 0);
		} else {
			m = nt_match_new(&mcfg);
			/* Its filters read the index's first blocks. */
			if (nt_lex_damage(lex, &e) == -1)
				fail(&e);
			if (records)
				rec = nt_rec_new(m, o);
		}
	}
	if (records || untag)
		rbuf = xmalloc(READSIZE);
	guarded = lex != NULL && !untag && par == NULL ? nt_lex_guarded(lex) :
	    0;

	for (i = 0; i < (size_t)(argc > 0 ? argc : 1); i++) {
		const char *name = argc > 0 ? argv[i] : "-";

		if (strcmp(name, "-") == 0) {
			if (stdin_closed) {
				errno = EBADF;
				nt_warn("(standard input)");
				status = 1;
				continue;
			}
			fd = STDIN_FILENO;
		} else if ((fd = open(name, O_RDONLY)) == -1) {
			nt_warn("%s", name);
			status = 1;
			continue;
		}
		nt_out_file(o, name);
		if (par != NULL) {
			nt_par_file(par, name);
			r = run_par(fd, par, o);
		} else
			r = run(fd, m, rec, o, untag, linebuf, rbuf, lex,
			    &guarded);
		if (r == -2) {
			/* What was written is right; the rest is not. */
			nt_lex_damage(lex, &e);
			if (fd != STDIN_FILENO)
				close(fd);
			nt_out_flush(o);
			nt_warnx("%s: %s", e.path, e.reason);
			status = 1;
			break;
		}
		if (r == -3) {
			/* Not nertag's xml: what follows would be lost. */
			why = nt_out_untag_error(o, &line);
			nt_warnx("%s: line %lu: %s", strcmp(name, "-") == 0 ?
			    "(standard input)" : name, line, why);
			status = 1;
		}
		if (r == -1) {
			nt_warn("%s", strcmp(name, "-") == 0 ? "(standard input)" :
			    name);
			status = 1;
			/* Pass on what was read; the next file starts afresh. */
			if (rec != NULL)
				nt_rec_finish(rec);
			else if (m != NULL)
				nt_match_finish(m);
			else if (untag && nt_out_untag_end(o) == -1)
				/* A tag cut short: the read error says why. */
				(void)nt_out_untag_error(o, &line);
		}
		if (fd != STDIN_FILENO)
			close(fd);
		if (nt_out_error(o) != 0)
			break;
	}
	if (nt_out_flush(o) == -1) {
		nt_warnx("write error: %s", strerror(nt_out_error(o)));
		status = 1;
	}
	nt_rec_free(rec);
	nt_par_free(par);
	nt_match_free(m);
	nt_out_free(o);
	free(rbuf);
	free(tries);
done:
	nt_lex_free(lex);
	for (i = 0; i < nsrc; i++)
		free(src[i].label);
	free(src);
	free(excl);
	return status;
}
