#!/bin/bash
# End-to-end checks of nertag as a Unix filter: pipes and signals, write
# errors, unreadable inputs, --line-buffered through a FIFO, colour on a
# terminal, --help and --version, install and uninstall, names split across
# read blocks, bounded memory, interrupted reads.
# Usage: NERTAG=/path/to/nertag bash tests/run-e2e.sh
# Prints "ok NAME" or "FAIL NAME: why" per check (and "skip NAME: why"),
# then "N passed, M failed"; exits 1 if any check failed.
# Run by sh from the Makefile: go on in bash.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -u

root=$(cd "$(dirname "$0")/.." && pwd)
NERTAG=${NERTAG:-$root/build/nertag}
data=$root/tests/data
gaz=$data/gaz
unset NERTAG_GAZETTEERS NO_COLOR
export LC_ALL=C

tmp=$(mktemp -d "${TMPDIR:-/tmp}/nertag-e2e.XXXXXX") || exit 1
cleanup() {
	[ -n "${bgpid:-}" ] && kill "$bgpid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok $1"; }
notok() { fail=$((fail + 1)); echo "FAIL $1: $2"; }
skip() { echo "skip $1: $2"; }
# check NAME WHY COMMAND...: ok if COMMAND succeeds.
check() {
	local name=$1 why=$2
	shift 2
	if "$@"; then ok "$name"; else notok "$name" "$why"; fi
}
lines() { wc -l <"$1" | tr -d ' '; }

# nt ARGS...: the binary ($NERTAG may hold a wrapper) with the test gazetteers.
nt() { $NERTAG -g "$gaz" "$@"; }

# A few MB of text with names, for the pipe checks.
big=$tmp/big.txt
python3 -c '
import sys
line = "Kyiv is in Ukraine; Taras Shevchenko met Acme in New\nYork and Z\u00fcrich.\n"
sys.stdout.write(line * 60000)' >"$big"
expected=$(nt <"$big" | head -n 1)

# --- SIGPIPE ---------------------------------------------------------------
start=$SECONDS
nt <"$big" 2>"$tmp/err" | head -n 1 >"$tmp/out"
st=${PIPESTATUS[0]}
check sigpipe-head-status "exit status $st, expected 141 (SIGPIPE)" \
    test "$st" -eq 141
check sigpipe-head-quiet "stderr: $(head -c 200 "$tmp/err")" test ! -s "$tmp/err"
check sigpipe-head-output "first line wrong" \
    test "$(cat "$tmp/out")" = "$expected"
check sigpipe-head-fast "took $((SECONDS - start)) s" \
    test $((SECONDS - start)) -le 2

(
	trap '' PIPE
	timeout 20 $NERTAG -g "$gaz" <"$big" 2>"$tmp/err" | head -n 1 >/dev/null
	exit "${PIPESTATUS[0]}"
)
st=$?
check sigpipe-ignored-status "exit status $st, expected 1" test "$st" -eq 1
check sigpipe-ignored-one-message \
    "stderr has $(lines "$tmp/err") lines: $(head -c 200 "$tmp/err")" \
    test "$(lines "$tmp/err")" -eq 1
check sigpipe-ignored-message "$(head -c 200 "$tmp/err")" \
    grep -q '^nertag: write error: Broken pipe$' "$tmp/err"

# --- write errors ----------------------------------------------------------
if [ -w /dev/full ]; then
	nt <"$big" >/dev/full 2>"$tmp/err"
	st=$?
	check dev-full-status "exit status $st, expected 1" test "$st" -eq 1
	check dev-full-one-message "stderr: $(head -c 200 "$tmp/err")" \
	    test "$(lines "$tmp/err")" -eq 1
	check dev-full-message "$(head -c 200 "$tmp/err")" \
	    grep -q '^nertag: write error: No space left on device$' "$tmp/err"
	echo Kyiv | nt >/dev/full 2>"$tmp/err"
	st=$?
	check dev-full-small-input "status $st, stderr: $(cat "$tmp/err")" \
	    test "$st" -eq 1 -a "$(lines "$tmp/err")" -eq 1
	for o in --help --version; do
		$NERTAG $o >/dev/full 2>"$tmp/err"
		st=$?
		check "dev-full$o" "status $st, stderr: $(cat "$tmp/err")" \
		    grep -q '^nertag: write error: No space left on device$' \
		    "$tmp/err"
		check "dev-full$o-status" "exit status $st" test "$st" -eq 1
	done
else
	skip dev-full "no writable /dev/full"
fi

# --- unreadable inputs -----------------------------------------------------
printf 'Kyiv\n' >"$tmp/a.txt"
printf 'Odesa? Ukraine\n' >"$tmp/b.txt"
nt -o "$tmp/a.txt" "$tmp" "$tmp/missing.txt" "$tmp/b.txt" \
    >"$tmp/out" 2>"$tmp/err"
st=$?
check files-bad-status "exit status $st, expected 1" test "$st" -eq 1
check files-bad-others-processed "stdout: $(cat "$tmp/out")" \
    test "$(cat "$tmp/out")" = "$(printf '%s\tLOC\tKyiv\n%s\tLOC\tUkraine' \
    "$tmp/a.txt" "$tmp/b.txt")"
check files-bad-directory-named "stderr: $(cat "$tmp/err")" \
    grep -qx "nertag: $tmp: Is a directory" "$tmp/err"
check files-bad-missing-named "stderr: $(cat "$tmp/err")" \
    grep -qx "nertag: $tmp/missing.txt: No such file or directory" "$tmp/err"
check files-bad-two-messages "stderr: $(cat "$tmp/err")" \
    test "$(lines "$tmp/err")" -eq 2
# A closed standard input is an error where it is read, even after a file
# that open(2) would otherwise have given its descriptor.
nt -o "$tmp/a.txt" - "$tmp/b.txt" <&- >"$tmp/out" 2>"$tmp/err"
st=$?
check stdin-closed-status "exit status $st, expected 1" test "$st" -eq 1
check stdin-closed-others "stdout: $(cat "$tmp/out")" \
    test "$(cat "$tmp/out")" = "$(printf '%s\tLOC\tKyiv\n%s\tLOC\tUkraine' \
    "$tmp/a.txt" "$tmp/b.txt")"
check stdin-closed-named "stderr: $(cat "$tmp/err")" \
    test "$(cat "$tmp/err")" = "nertag: (standard input): Bad file descriptor"
# A closed standard output stays a write error, gazetteers opened or not.
nt "$tmp/a.txt" >&- 2>"$tmp/err"
st=$?
check stdout-closed "exit status $st, stderr: $(cat "$tmp/err")" \
    test "$st" -eq 1 -a "$(cat "$tmp/err")" = \
    "nertag: write error: Bad file descriptor"
# chmod 000 does not stop root; a read error can still be had from
# /proc/self/mem, which opens but fails to read at offset 0 (EIO).
if [ -r /proc/self/mem ]; then
	nt "$tmp/a.txt" /proc/self/mem "$tmp/b.txt" >"$tmp/out" 2>"$tmp/err"
	st=$?
	check read-error "status $st, stderr: $(cat "$tmp/err")" \
	    test "$st" -eq 1 -a "$(lines "$tmp/err")" -eq 1 -a \
	    "$(lines "$tmp/out")" -eq 2
else
	skip read-error "no /proc/self/mem"
fi
if [ "$(id -u)" -ne 0 ]; then
	cp "$tmp/a.txt" "$tmp/locked.txt"
	chmod 000 "$tmp/locked.txt"
	nt "$tmp/locked.txt" "$tmp/b.txt" >"$tmp/out" 2>"$tmp/err"
	st=$?
	check unreadable-file "status $st, stderr: $(cat "$tmp/err")" \
	    grep -q 'Permission denied' "$tmp/err"
else
	skip unreadable-file "running as root, who reads any file (see read-error)"
fi

# --- --line-buffered through a FIFO ----------------------------------------
# bg_finish: close the background nertag's input (fd 3), read the rest of
# its output (fd 4), and wait for it: its exit status in st.
bg_finish() {
	exec 3>&-
	timeout 5 cat <&4 >/dev/null
	exec 4<&-
	wait "$bgpid"
	st=$?
	bgpid=
}
mkfifo "$tmp/in.fifo" "$tmp/out.fifo"
nt --line-buffered <"$tmp/in.fifo" >"$tmp/out.fifo" 2>"$tmp/err" &
bgpid=$!
exec 3>"$tmp/in.fifo" 4<"$tmp/out.fifo"
printf 'We met in Kyiv.\n' >&3
line=
IFS= read -r -t 1 line <&4
check line-buffered-fifo "got '$line' within 1 s" \
    test "$line" = 'We met in <LOC>Kyiv</LOC>.'
printf 'Then New\n' >&3
line=
IFS= read -r -t 1 line <&4
check line-buffered-no-wait "got '$line' within 1 s" test "$line" = 'Then New'
bg_finish
check line-buffered-exit "exit status $st after the input closed" \
    test "$st" -eq 0

# --- an index shrunk in place while in use ---------------------------------
# The index is mapped: a truncation under a running nertag makes the next
# read of it a bus error.  nertag must stop with a message naming the
# file and exit 1, not die of the signal.  --line-buffered tells when the
# first line was tagged, and so that the index was mapped and read.
$NERTAG --compile="$tmp/bus.ntx" -g "$gaz"
mkfifo "$tmp/bin.fifo" "$tmp/bout.fifo"
$NERTAG --line-buffered -G "$tmp/bus.ntx" <"$tmp/bin.fifo" \
    >"$tmp/bout.fifo" 2>"$tmp/err" &
bgpid=$!
exec 3>"$tmp/bin.fifo" 4<"$tmp/bout.fifo"
printf 'We met in Kyiv.\n' >&3
line=
IFS= read -r -t 5 line <&4
: >"$tmp/bus.ntx"
printf 'Then Ukraine and Taras Shevchenko and Kyiv and Ukraine.\n' >&3
bg_finish
check index-shrunk-status "first line '$line', exit status $st, stderr: $(cat "$tmp/err")" \
    test "$line" = 'We met in <LOC>Kyiv</LOC>.' -a "$st" -eq 1
check index-shrunk-message "stderr: $(cat "$tmp/err")" \
    grep -q "^nertag: $tmp/bus.ntx: the index changed while in use" "$tmp/err"

# --- colour ----------------------------------------------------------------
esc=$(printf '\033[')
has_color() { grep -qF "$esc" "$1"; }
no_color() { ! grep -qF "$esc" "$1"; }
if script -qc true /dev/null </dev/null >/dev/null 2>&1; then
	# tty CMD: run CMD with its standard output on a pseudo-terminal.
	# TERM is set, so that the tests that expect no colour can fail
	# where the caller's is unset (as in CI); the cases below override it.
	tty() { TERM=${TERM_FOR_TTY:-xterm} script -qc "$1" /dev/null </dev/null; }
	tty "$NERTAG -g $gaz $tmp/a.txt" >"$tmp/out" 2>&1
	check color-auto-tty "no colour on a terminal: $(od -c "$tmp/out" |
	    head -2)" has_color "$tmp/out"
	# As grep(1): a terminal that is dumb, or of no known type, gets none.
	TERM_FOR_TTY=dumb tty "$NERTAG -g $gaz $tmp/a.txt" >"$tmp/out" 2>&1
	check color-auto-dumb "colour with TERM=dumb" no_color "$tmp/out"
	env -u TERM script -qc "$NERTAG -g $gaz $tmp/a.txt" /dev/null \
	    </dev/null >"$tmp/out" 2>&1
	check color-auto-no-term "colour with TERM unset" no_color "$tmp/out"
	NO_COLOR=1 tty "$NERTAG -g $gaz $tmp/a.txt" >"$tmp/out" 2>&1
	check color-no-color-env "colour despite NO_COLOR" no_color "$tmp/out"
	tty "$NERTAG --color=never -g $gaz $tmp/a.txt" >"$tmp/out" 2>&1
	check color-never-tty "colour with --color=never" no_color "$tmp/out"
	NO_COLOR=1 tty "$NERTAG --color=always -g $gaz $tmp/a.txt" \
	    >"$tmp/out" 2>&1
	check color-always-beats-no-color "no colour" has_color "$tmp/out"
	tty "$NERTAG -f tsv -g $gaz $tmp/a.txt" >"$tmp/out" 2>&1
	check color-tsv-tty "colour in tsv" no_color "$tmp/out"
else
	skip color-tty "script(1) cannot make a pseudo-terminal here"
fi
nt "$tmp/a.txt" >"$tmp/out"
check color-auto-pipe "colour in a pipe" no_color "$tmp/out"
nt --color=always "$tmp/a.txt" >"$tmp/out"
check color-always-pipe "no colour with --color=always" has_color "$tmp/out"
check color-always-reset "colour not reset" \
    test "$(cat "$tmp/out")" = "$(printf '\033[1;31m<LOC>Kyiv</LOC>\033[m')"
# Colour ends before a line feed and starts again after it, so that a pager
# that shows a line without those before it shows it in its colour; an
# empty line gets none.
printf 'New\nYork\n' >"$tmp/ny.txt"
printf 'New York\n' >"$tmp/ny.gaz"
$NERTAG --color=always -g LOC="$tmp/ny.gaz" "$tmp/ny.txt" >"$tmp/out"
check color-per-line "a coloured span runs over a line feed: $(od -c \
    "$tmp/out" | head -3)" test "$(cat "$tmp/out")" = "$(printf \
    '\033[1;31m<LOC id="New York">New\033[m\n\033[1;31mYork</LOC>\033[m')"
printf 'San\n\nFrancisco\n' >"$tmp/sf.txt"
printf 'San Francisco\n' >"$tmp/sf.gaz"
$NERTAG --color=always -g LOC="$tmp/sf.gaz" "$tmp/sf.txt" >"$tmp/out"
check color-empty-line "colour on an empty line: $(od -c "$tmp/out" |
    head -3)" test "$(cat "$tmp/out")" = "$(printf \
    '\033[1;31m<LOC id="San Francisco">San\033[m\n\n\033[1;31mFrancisco</LOC>\033[m')"

# --- --help, --version -----------------------------------------------------
$NERTAG --help >"$tmp/out" 2>"$tmp/err"
st=$?
check help-status "exit status $st" test "$st" -eq 0
check help-stdout-only "stderr: $(cat "$tmp/err")" test ! -s "$tmp/err"
check help-one-screen "$(lines "$tmp/out") lines" \
    test "$(lines "$tmp/out")" -le 40
check help-width "a line is longer than 80 columns" \
    test "$(awk '{ if (length > n) n = length } END { print n + 0 }' \
    "$tmp/out")" -le 80
check help-all-options "an option is missing from --help" \
    bash -c 'for o in --format --gazetteer --index --exclude --ignore-case \
    --ignore-accents --only-matching --records --jobs --offsets --color \
    --line-buffered --compile --untag --help --version; do
	grep -q -e "$o" "$1" || exit 1; done' sh "$tmp/out"
$NERTAG --version >"$tmp/out" 2>"$tmp/err"
st=$?
check version-status "exit status $st" test "$st" -eq 0
check version-names "$(cat "$tmp/out")" \
    grep -Eq '^nertag [0-9][^ ]* \(utf8proc [0-9.]+, Unicode [0-9.]+(, AVX-512)?\)$' \
    "$tmp/out"
$NERTAG -V >"$tmp/out2" 2>&1
check version-short "-V differs from --version" cmp -s "$tmp/out" "$tmp/out2"
$NERTAG --version >&- 2>"$tmp/err"
st=$?
check version-closed-stdout "status $st, stderr: $(cat "$tmp/err")" \
    test "$st" -eq 1 -a "$(lines "$tmp/err")" -eq 1

# --- install and uninstall -------------------------------------------------
# A private build directory, so that the shared build/ is left alone; -o
# keeps make from rebuilding the shared default indexes.
mk() {
	make -s -C "$root" BUILD="$tmp/build" -o gazetteers/default.ntx \
	    -o gazetteers/default-i.ntx -o gazetteers/default-a.ntx \
	    -o gazetteers/default-ia.ntx "$@" >"$tmp/make.log" 2>&1
}
if [ -n "${NERTAG_E2E_NO_INSTALL:-}" ]; then
	skip install "NERTAG_E2E_NO_INSTALL is set"
elif ! [ -f "$root/gazetteers/default.ntx" ] ||
    ! [ -f "$root/gazetteers/default-i.ntx" ]; then
	skip install "no default indexes: run make first"
else
	dest=$tmp/dest
	mk install DESTDIR="$dest" PREFIX=/usr
	check install-destdir "make install failed: $(tail -3 "$tmp/make.log")" \
	    test $? -eq 0
	check install-files "a file is missing" test -x "$dest/usr/bin/nertag" \
	    -a -f "$dest/usr/share/man/man1/nertag.1" \
	    -a -f "$dest/usr/share/nertag/LOC.txt" \
	    -a -f "$dest/usr/share/nertag/default.ntx"
	out=$(cd / && echo 'Kyiv, Ukraine' |
	    NERTAG_GAZETTEERS=$dest/usr/share/nertag "$dest/usr/bin/nertag" \
	    2>&1)
	check install-destdir-runs "output: $out" \
	    test "$out" = '<LOC>Kyiv</LOC>, <LOC>Ukraine</LOC>'
	check uninstall-destdir "make uninstall failed" \
	    mk uninstall DESTDIR="$dest" PREFIX=/usr
	left=$(find "$dest" -type f | head -3)
	check uninstall-destdir-removes "left: $left" test -z "$left"

	p=$tmp/prefix
	mk install PREFIX="$p"
	check install-prefix "make install failed: $(tail -3 "$tmp/make.log")" \
	    test $? -eq 0
	out=$(cd / && echo 'Kyiv, Ukraine' | "$p/bin/nertag" 2>&1)
	check install-prefix-finds-gazetteers "output: $out" \
	    test "$out" = '<LOC>Kyiv</LOC>, <LOC>Ukraine</LOC>'
	check install-prefix-help-names-datadir "--help does not name $p" \
	    bash -c '"$1" --help | grep -qF "$2/share/nertag"' sh \
	    "$p/bin/nertag" "$p"
	# A gazetteer of the user's own in the data folder is kept.
	printf 'Lviv\n' >"$p/share/nertag/mine.txt"
	check uninstall-prefix "make uninstall failed" \
	    mk uninstall PREFIX="$p"
	left=$(find "$p" -type f | head -3)
	check uninstall-prefix-removes "left: $left" \
	    test "$left" = "$p/share/nertag/mine.txt"
fi

# --- many layers -------------------------------------------------------------
# Each -G, and each run of -g between them, is a layer: 64 are matched, the
# 64th too; a 65th is a usage error, not a list silently left out.
printf '# label: A\nKyiv\n' >"$tmp/la.txt"
printf '# label: B\nOdesa\n' >"$tmp/lb.txt"
$NERTAG --compile="$tmp/la.ntx" -g "$tmp/la.txt"
$NERTAG --compile="$tmp/lb.ntx" -g "$tmp/lb.txt"
args=
i=0
while [ $i -lt 63 ]; do args="$args -G $tmp/la.ntx"; i=$((i + 1)); done
out=$(echo 'Kyiv, Odesa' | $NERTAG $args -G "$tmp/lb.ntx" 2>&1)
check layers-64 "output: $out" test "$out" = '<A>Kyiv</A>, <B>Odesa</B>'
echo 'Kyiv, Odesa' | $NERTAG $args -g "$tmp/la.txt" -G "$tmp/la.ntx" \
    -G "$tmp/lb.ntx" >"$tmp/out" 2>"$tmp/err"
st=$?
check layers-65 "status $st, stderr: $(head -n 1 "$tmp/err")" \
    test $st -eq 2 -a ! -s "$tmp/out"
check layers-65-message "stderr: $(head -n 1 "$tmp/err")" \
    grep -q "at most 64" "$tmp/err"

# --- a compiled folder keeps its stop list ---------------------------------
# A stop list applies to every gazetteer in use; a folder compiled into an
# index must do what the folder did beside other gazetteers, and two
# indexes each stop the other's names.
mkdir -p "$tmp/fx"
printf 'Lviv\nOdesa\n' >"$tmp/fx/C.txt"
printf 'Odesa\nKharkiv\n' >"$tmp/fx/s.exclude"
printf '# label: LOC\nOdesa\nKharkiv\nKyiv\n' >"$tmp/p.txt"
want=$(echo 'Odesa Lviv Kharkiv Kyiv' | $NERTAG -g "$tmp/p.txt" -g "$tmp/fx")
$NERTAG --compile="$tmp/fx.ntx" -g "$tmp/fx"
got=$(echo 'Odesa Lviv Kharkiv Kyiv' | $NERTAG -g "$tmp/p.txt" -G "$tmp/fx.ntx")
check compiled-stop-list "folder: $want, index: $got" test "$got" = "$want"
$NERTAG --compile="$tmp/p.ntx" -g "$tmp/p.txt"
got=$(echo 'Odesa Lviv Kharkiv Kyiv' | $NERTAG -G "$tmp/p.ntx" -G "$tmp/fx.ntx")
check compiled-stop-list-two-indexes "folder: $want, indexes: $got" \
    test "$got" = "$want"
check compiled-stop-list-own "$want" test "$want" = \
    'Odesa <C>Lviv</C> Kharkiv <LOC>Kyiv</LOC>'

# --- names split across read blocks ----------------------------------------
# A writer that sends one byte per write(2), pausing so that each read(2)
# sees one byte: every name is split at every byte.
python3 -c '
import sys
s = ("Kyiv, Zu\u0308rich and Z\u00fcrich; North Korea, New\n  York, "
     "Taras\u00a0Shevchenko, C\u00f4te d\u2019Ivoire, Ky\u00efv, "
     "Rostov\u2014on\u2013Don, Acme. AT&T Park <x> Kyiv").encode()
sys.stdout.buffer.write(s)' >"$tmp/split.txt"
trickle() {
	python3 -c '
import os, sys, time
data = open(sys.argv[1], "rb").read()
for i in range(len(data)):
    os.write(1, data[i:i + 1])
    time.sleep(0.001)' "$1"
}
for args in "" "-f tsv" "-f jsonl --offsets=chars" "-i --ignore-accents" \
    "-f xml"; do
	nt $args <"$tmp/split.txt" >"$tmp/want"
	trickle "$tmp/split.txt" | nt $args >"$tmp/got"
	check "byte-at-a-time${args:+ $args}" "output differs: $(diff \
	    "$tmp/want" "$tmp/got" | head -5)" cmp -s "$tmp/want" "$tmp/got"
done
printf 'k1\tKyiv\\tand New\\nYork\nk2\tZ\xc3\xbcrich\n' >"$tmp/rec.txt"
nt -r -f tsv <"$tmp/rec.txt" >"$tmp/want"
trickle "$tmp/rec.txt" | nt -r -f tsv >"$tmp/got"
check byte-at-a-time-records "output differs" cmp -s "$tmp/want" "$tmp/got"
check byte-at-a-time-tagged "no name found in the reference" \
    test "$(grep -c LOC "$tmp/want")" -eq 3

# --- memory ----------------------------------------------------------------
# gen BYTES: that many bytes of text with names and no newline.
gen() {
	python3 -c '
import sys
n = int(sys.argv[1])
b = ("Kyiv and Z\u00fcrich, North Korea " * 4096).encode()
w = sys.stdout.buffer.write
while n > 0:
    w(b[:n])
    n -= len(b)' "$1"
}
if [ -x /usr/bin/time ]; then
	gen 1048576 | /usr/bin/time -o "$tmp/rss1" -f %M \
	    $NERTAG -g "$gaz" >/dev/null
	gen 200000000 | /usr/bin/time -o "$tmp/rss2" -f %M \
	    $NERTAG -g "$gaz" >/dev/null
	r1=$(tail -n 1 "$tmp/rss1")
	r2=$(tail -n 1 "$tmp/rss2")
	check memory-no-newline "peak RSS ${r2} KiB for 200 MB, ${r1} KiB for 1 MiB" \
	    test $((r2 - r1)) -le 1024
	printf 'a\t' >"$tmp/rechead"
	(cat "$tmp/rechead"; gen 100000000) | /usr/bin/time -o "$tmp/rss3" \
	    -f %M $NERTAG -g "$gaz" -r -f tsv >/dev/null
	r3=$(tail -n 1 "$tmp/rss3")
	check memory-one-huge-record "peak RSS ${r3} KiB for a 100 MB record, ${r1} KiB for 1 MiB" \
	    test $((r3 - r1)) -le 1024
else
	skip memory "no /usr/bin/time"
fi

# --- interrupted reads -----------------------------------------------------
# SIGSTOP and SIGCONT while nertag waits in read(2) must not lose data.
mkfifo "$tmp/slow.fifo"
nt <"$tmp/slow.fifo" >"$tmp/got" 2>"$tmp/err" &
bgpid=$!
exec 3>"$tmp/slow.fifo"
printf 'Kyiv and New\n' >&3
sleep 0.2
kill -STOP "$bgpid"
sleep 0.1
kill -CONT "$bgpid"
sleep 0.1
printf 'York.\n' >&3
exec 3>&-
wait "$bgpid"
st=$?
bgpid=
check sigstop-sigcont "status $st, output: $(cat "$tmp/got")" test "$st" -eq 0 \
    -a "$(cat "$tmp/got")" = "$(printf '<LOC>Kyiv</LOC> and <LOC id="New York">New\nYork</LOC>.')"

# --- damaged large index ---------------------------------------------------
# A large index is checked block by block where it is first read.  Whatever
# byte is damaged, nertag either gives the right output or stops with a
# message naming the file, exit 1, having written only a prefix of the right
# output: never a wrong tag.
python3 -c '
for i in range(6000):
    print("Place%05d Hills\tID%05d-%s" % (i, i, "q" * (i % 50)))' >"$tmp/many.txt"
python3 -c '
import sys
for i in range(0, 6000, 3):
    sys.stdout.write("In Place%05d Hills, " % i + ("and Place%05d.\n" % (i + 1)))' >"$tmp/many.in"
$NERTAG --compile="$tmp/many.ntx" -g "$tmp/many.txt"
$NERTAG -f tsv -G "$tmp/many.ntx" <"$tmp/many.in" >"$tmp/many.good"
size=$(stat -c %s "$tmp/many.ntx")
wrong=
caught=0
for at in $(python3 -c "
import random
r = random.Random(7)
print(*sorted(r.sample(range(192, $size), 60)))"); do
	python3 - "$tmp/many.ntx" "$tmp/bad.ntx" "$at" <<'PY'
import sys
b = bytearray(open(sys.argv[1], 'rb').read())
b[int(sys.argv[3])] ^= 0x10
open(sys.argv[2], 'wb').write(b)
PY
	$NERTAG -f tsv -G "$tmp/bad.ntx" <"$tmp/many.in" >"$tmp/out" 2>"$tmp/err"
	st=$?
	if [ "$st" -eq 0 ] && cmp -s "$tmp/out" "$tmp/many.good"; then
		continue
	fi
	if [ "$st" -eq 1 ] && grep -q "bad.ntx: index is damaged" "$tmp/err" &&
	    [ "$(wc -l <"$tmp/err")" -eq 1 ] &&
	    cmp -s "$tmp/out" <(head -c "$(stat -c %s "$tmp/out")" "$tmp/many.good"); then
		caught=$((caught + 1))
		continue
	fi
	wrong="$wrong $at(status $st: $(head -c 100 "$tmp/err"))"
done
check index-damage-never-wrong "damaged bytes at$wrong" test -z "$wrong"
check index-damage-caught "$caught of 60 damaged bytes caught (50 wanted)" \
    test "$caught" -ge 50
# Damage read at start-up (the root, in the first block) stops before output.
python3 - "$tmp/many.ntx" "$tmp/bad.ntx" <<'PY'
import sys
b = bytearray(open(sys.argv[1], 'rb').read())
b[200] ^= 0x01
open(sys.argv[2], 'wb').write(b)
PY
$NERTAG -f tsv -G "$tmp/bad.ntx" <"$tmp/many.in" >"$tmp/out" 2>"$tmp/err"
st=$?
check index-damage-at-load "status $st, $(wc -c <"$tmp/out") bytes out, $(cat "$tmp/err")" \
    test "$st" -eq 1 -a ! -s "$tmp/out"

# Damage where no walk goes is found once as much input as index has been
# read: then the rest is checked at once, so that walks need not ask.
# Text without names reads little of the index; small, it never meets the
# damage; larger than the index, it does.
size=$(stat -c %s "$tmp/many.ntx")
python3 -c "
import sys
sys.stdout.write(('the quick brown fox jumps over the lazy dog ' * 2 + '\\n') * ($size // 90 + 100))" >"$tmp/plain.big"
head -c 2000 "$tmp/plain.big" >"$tmp/plain.small"
found=
for at in $(seq $((size - 40)) -997 $((size / 2))); do
	python3 - "$tmp/many.ntx" "$tmp/bad.ntx" "$at" <<'PY'
import sys
b = bytearray(open(sys.argv[1], 'rb').read())
b[int(sys.argv[3])] ^= 0x10
open(sys.argv[2], 'wb').write(b)
PY
	if $NERTAG -G "$tmp/bad.ntx" <"$tmp/plain.small" 2>/dev/null |
	    cmp -s - "$tmp/plain.small"; then
		found=$at
		break
	fi
done
$NERTAG -G "$tmp/bad.ntx" <"$tmp/plain.big" >"$tmp/out" 2>"$tmp/err"
st=$?
check index-damage-checked-whole "damage at ${found:-none}: status $st, $(cat "$tmp/err")" \
    test -n "$found" -a "$st" -eq 1 -a "$(wc -l <"$tmp/err")" -eq 1 &&
    grep -q "bad.ntx: index is damaged" "$tmp/err" &&
    cmp -s "$tmp/out" <(head -c "$(stat -c %s "$tmp/out")" "$tmp/plain.big")

# --- threads (-j) ----------------------------------------------------------
# -j N must give the single-threaded output byte for byte, in every format,
# over text whose names run over lines and over the places where it is cut
# (every 256-512 KiB); the default gazetteers, too.
python3 -c '
import random, sys
r = random.Random(11)
words = ["Kyiv", "Kiev", "Ukraine", "North", "Korea", "New", "York", "and",
         "Z\u00fcrich", "Zu\u0308rich", "S\u00e3o", "Paulo", "Taras",
         "Shevchenko", "Rostov-on-Don", "\u2019s-Hertogenbosch", "Acme",
         "the", "of", "\u03a3\u03af\u03c3\u03c5\u03c6\u03bf\u03c2", "Paris",
         "London", "United", "Nations", "Straße", "AT&T", "Park", "x"]
seps = [" "] * 12 + ["\n", ", ", ". ", "  ", "\n\n", "\u3000", "\t", "-"]
out = []
n = 0
while n < 3000000:
    w = r.choice(words) + r.choice(seps)
    out.append(w)
    n += len(w)
sys.stdout.write("".join(out))' >"$tmp/j.txt"
jsame=
for args in "" "-f xml" "-f tsv" "-f jsonl --offsets=chars" "-o" "-i -f tsv" \
    "--ignore-accents" "-f tsv -G $root/gazetteers/default.ntx"; do
	# shellcheck disable=SC2086
	nt $args <"$tmp/j.txt" >"$tmp/j1" 2>&1
	for j in 2 3; do
		# shellcheck disable=SC2086
		nt -j "$j" $args <"$tmp/j.txt" >"$tmp/j2" 2>&1
		cmp -s "$tmp/j1" "$tmp/j2" || jsame="$jsame [-j $j $args]"
	done
done
check jobs-same-output "differs with$jsame" test -z "$jsame"
# Every line feed here is inside "New\nYork": every cut (after a line
# feed) falls inside a name.
python3 -c '
import sys
sys.stdout.write("Taras Shevchenko met Acme in New\nYork and Z\u00fcrich. " * 70000)' \
    >"$tmp/j.ny"
check jobs-names-over-cuts "differs" cmp -s <(nt <"$tmp/j.ny") \
    <(nt -j 2 <"$tmp/j.ny")
# Several files (a FILE column, offsets from 0 in each), one of them read
# through a pipe a few bytes at a time.
head -c 700000 "$tmp/j.txt" >"$tmp/j.a"
nt -f tsv "$tmp/j.a" - "$tmp/j.txt" <"$tmp/j.a" >"$tmp/j1"
python3 -c '
import os, sys, time
d = open(sys.argv[1], "rb").read()
for i in range(0, len(d), 4093):
    os.write(1, d[i:i + 4093])' "$tmp/j.a" |
    nt -j 2 -f tsv "$tmp/j.a" - "$tmp/j.txt" >"$tmp/j2"
check jobs-files-and-pipe "differs" cmp -s "$tmp/j1" "$tmp/j2"
# The default gazetteers, and -j 0 (one thread a CPU).
$NERTAG <"$tmp/j.txt" >"$tmp/j1"
$NERTAG -j 0 <"$tmp/j.txt" >"$tmp/j2"
check jobs-default-gazetteers "differs" cmp -s "$tmp/j1" "$tmp/j2"
# A text with no two ASCII bytes in a row has no place to cut: the rest
# goes through one matcher, and is right.
python3 -c '
import sys
sys.stdout.write(("\u03a3\u03af\u03c3\u03c5\u03c6\u03bf\u03c2\u3000" * 100000)
    + "Kyiv and Kyiv\n" * 1000)' >"$tmp/j.greek"
nt -f tsv <"$tmp/j.greek" >"$tmp/j1"
nt -j 2 -f tsv <"$tmp/j.greek" >"$tmp/j2"
check jobs-no-place-to-cut "differs, $(wc -l <"$tmp/j1") lines" \
    cmp -s "$tmp/j1" "$tmp/j2"
# Records: chunks end after a line feed; a record longer than a chunk
# (256 KiB) goes through one splitter; keys, escapes, lines without a tab,
# empty lines, CR LF, a last record without a line feed, several files.
python3 -c '
import random, sys
r = random.Random(3)
words = ["Kyiv", "Kiev", "North", "Korea", "New", "York", "and", "x",
         "Z\u00fcrich", "Taras", "Shevchenko", "Acme", "\\t", "\\n",
         "\\\\", "\u03a3\u03af\u03c3\u03c5\u03c6\u03bf\u03c2"]
out = []
for i in range(25000):
    k = r.random()
    if i in (7000, 7001, 16000):
        out.append("big%d\t" % i + " ".join(r.choice(words)
                   for _ in range(70000)) + "\n")
    elif k < 0.01:
        out.append("no tab here, Kyiv\n")
    elif k < 0.015:
        out.append("\n")
    else:
        out.append("id%d\t" % i + " ".join(r.choice(words)
                   for _ in range(r.randint(1, 30))) +
                   ("\r\n" if k > 0.99 else "\n"))
out.append("last\tKyiv and New\\nYork")
sys.stdout.write("".join(out))' >"$tmp/j.rec"
jsame=
for args in "-f tsv" "" "-f xml" "-f jsonl --offsets=chars" "-o"; do
	# shellcheck disable=SC2086
	nt -r $args "$tmp/j.rec" - <"$tmp/j.rec" >"$tmp/j1"
	# shellcheck disable=SC2086
	nt -r -j 2 $args "$tmp/j.rec" - <"$tmp/j.rec" >"$tmp/j2"
	cmp -s "$tmp/j1" "$tmp/j2" || jsame="$jsame [$args]"
done
check jobs-records "differs with -r -j 2$jsame" test -z "$jsame"
# Where threads are not used, -j changes nothing.
check jobs-line-buffered "differs" cmp -s <(nt --line-buffered <"$tmp/j.txt") \
    <(nt -j 2 --line-buffered <"$tmp/j.txt")
# Usage errors.
for bad in x -1 257 "" 2x " 2" +3 "2 "; do
	nt -j "$bad" </dev/null >"$tmp/out" 2>"$tmp/err"
	st=$?
	check "jobs-usage-'$bad'" "status $st, $(head -c 200 "$tmp/err")" \
	    test "$st" -eq 2 -a ! -s "$tmp/out" &&
	    grep -q -- '-j takes a number of threads' "$tmp/err"
done
# A dead pipe: quiet, SIGPIPE, as with one thread.
nt -j 2 <"$big" 2>"$tmp/err" | head -n 1 >"$tmp/out"
st=${PIPESTATUS[0]}
check jobs-sigpipe "status $st, stderr $(head -c 200 "$tmp/err")" \
    test "$st" -eq 141 -a ! -s "$tmp/err"
# Damage anywhere in an index is found before any output: the threads
# share it, so it is checked whole first.
python3 - "$tmp/many.ntx" "$tmp/bad.ntx" <<'PY'
import sys
b = bytearray(open(sys.argv[1], 'rb').read())
b[len(b) - 100] ^= 0x10
open(sys.argv[2], 'wb').write(b)
PY
$NERTAG -j 2 -f tsv -G "$tmp/bad.ntx" <"$tmp/many.in" >"$tmp/out" 2>"$tmp/err"
st=$?
check jobs-damaged-index "status $st, $(wc -c <"$tmp/out") bytes out, $(cat "$tmp/err")" \
    test "$st" -eq 1 -a ! -s "$tmp/out" -a "$(wc -l <"$tmp/err")" -eq 1 &&
    grep -q "bad.ntx: index is damaged" "$tmp/err"
# Memory does not grow with the input, with no newline either: a ring of
# chunks and their matches (dense here), filled by 50 MB already.
if [ -x /usr/bin/time ]; then
	gen 50000000 | /usr/bin/time -o "$tmp/rss1" -f %M \
	    $NERTAG -j 2 -f tsv -g "$gaz" >/dev/null
	gen 200000000 | /usr/bin/time -o "$tmp/rss2" -f %M \
	    $NERTAG -j 2 -f tsv -g "$gaz" >/dev/null
	r1=$(tail -n 1 "$tmp/rss1")
	r2=$(tail -n 1 "$tmp/rss2")
	check jobs-memory "peak RSS ${r2} KiB for 200 MB, ${r1} KiB for 50 MB" \
	    test $((r2 - r1)) -le 1024 -a "$r2" -le 32768
fi

# --- A gazetteer or stop list that never ends -------------------------------
# /dev/zero as -g or -x: the NUL on its first line is reported as soon as
# it is read (it was read whole first, until memory ran out: a helper's
# finding).  The time limit and the memory cap keep a regression from
# taking the machine with it.
# (A sanitizer's build cannot start under the cap: then the time alone.)
cap=2000000
(ulimit -v $cap && $NERTAG --version) >/dev/null 2>&1 || cap=unlimited
for opt in -g -x; do
	args="$opt /dev/zero"
	[ "$opt" = -x ] && args="-g $gaz -x /dev/zero"
	# shellcheck disable=SC2086
	(ulimit -v $cap 2>/dev/null; timeout 5 $NERTAG $args \
	    </dev/null >"$tmp/out" 2>"$tmp/err")
	st=$?
	check "endless-nul-$opt" "status $st, stderr: $(head -c 200 "$tmp/err")" \
	    test "$st" -eq 1 -a "$(cat "$tmp/err")" = \
	    "nertag: /dev/zero:1: NUL byte"
done

# --- Messages stay on one line ---------------------------------------------
# A line feed or another control character in a file name is written as an
# escape (a helper's finding: it split the message in two).
$NERTAG -g "$gaz" "$tmp/no"$'\n'"file" </dev/null >/dev/null 2>"$tmp/err"
st=$?
check message-one-line-input "status $st, stderr: $(head -c 200 "$tmp/err")" \
    test "$st" -eq 1 -a "$(cat "$tmp/err")" = \
    "nertag: $tmp/no\\nfile: No such file or directory"
mkdir -p "$tmp/g"$'\t'"az"
printf 'Kyiv\n\377\n' >"$tmp/g"$'\t'"az/LOC"$'\r'".txt"
$NERTAG -g "$tmp/g"$'\t'"az" </dev/null >/dev/null 2>"$tmp/err"
st=$?
check message-one-line-gazetteer "status $st, stderr: $(head -c 200 "$tmp/err")" \
    test "$st" -eq 1 -a "$(cat "$tmp/err")" = \
    "nertag: $tmp/g\\taz/LOC\\r.txt:2: invalid UTF-8"
$NERTAG -f $'a\033b' </dev/null >/dev/null 2>"$tmp/err"
check message-one-line-usage "stderr: $(head -c 200 "$tmp/err")" \
    test "$(head -n 1 "$tmp/err")" = \
    "nertag: unknown format 'a\\x1Bb' (inline, xml, tsv or jsonl)"

# --- At most 255 labels a layer (the man page's limit) ---------------------
mkdir -p "$tmp/labels"
for i in $(seq 255); do echo "n$i" >"$tmp/labels/L$(printf %03d "$i").txt"; done
echo n7 n255 | $NERTAG -g "$tmp/labels" >"$tmp/out" 2>"$tmp/err"
st=$?
check labels-255 "status $st, out $(head -c 100 "$tmp/out"), err $(head -c 200 "$tmp/err")" \
    test "$st" -eq 0 -a "$(cat "$tmp/out")" = "<L007>n7</L007> <L255>n255</L255>"
echo n256 >"$tmp/labels/L256.txt"
echo n7 | $NERTAG -g "$tmp/labels" >"$tmp/out" 2>"$tmp/err"
st=$?
check labels-256 "status $st, err $(head -c 200 "$tmp/err")" \
    test "$st" -eq 1 -a ! -s "$tmp/out" -a "$(cat "$tmp/err")" = \
    "nertag: $tmp/labels/L256.txt: more than 255 labels"

# --- -j with records whose output dwarfs their input -------------------------
# A 10 KB id on every one of 50,000 names in 100 KB of records: 500 MB of
# output.  A worker kept a chunk's whole output (2.3 GB peak for three
# times as much, a helper's finding); past four times the chunk it leaves
# the chunk to the main thread, which writes as it goes.  Same bytes as
# one thread, in a bounded memory.  ($cap, from the checks above, keeps a
# regression from taking the machine with it; a sanitizer's quarantine of
# freed blocks is kept small.)
if [ -x /usr/bin/time ]; then
	python3 -c "
import sys
open(sys.argv[1], 'w').write('# label: PER\\nx\\t' + 'I' * 10000 + '\\n')
open(sys.argv[2], 'w').write(('k\\t' + 'x ' * 500 + '\\n') * 100)
" "$tmp/longid.txt" "$tmp/longid.tsv"
	for j in 1 2; do
		(ulimit -v $cap 2>/dev/null
		ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=1 \
		    /usr/bin/time -f %M -o "$tmp/rss$j" $NERTAG -j $j -r \
		    -g "$tmp/longid.txt" <"$tmp/longid.tsv" | md5sum >"$tmp/sum$j")
	done
	check records-jobs-long-output "sums $(cat "$tmp/sum1") $(cat "$tmp/sum2"), peak RSS $(cat "$tmp/rss1") and $(cat "$tmp/rss2") KiB" \
	    test "$(cat "$tmp/sum1")" = "$(cat "$tmp/sum2")" -a \
	    "$(cat "$tmp/rss2")" -lt $(($(cat "$tmp/rss1") + 65536))
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
