#!/bin/sh
# Fault injection.  $NERTAG is a build with -DNT_FAULT_INJECT, whose Nth
# allocation fails when NERTAG_FAIL_ALLOC=N.  For every allocation a run
# makes (loading a folder with a stop list, matching in every format,
# records, compiling and loading an index), failing it must give exactly
# "nertag: out of memory" and exit 1, never a crash.  Then the I/O faults:
# read errors, a full disk, a closed pipe, signals while writing.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
nertag=${NERTAG:-$root/build/faults/nertag}
gaz=$root/tests/data/records-gaz
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL $1"; }

printf 'Kyiv and North\n Korea met S\303\243o Paulo; Kiev \377 Z\303\274rich.\n' \
    >"$tmp/in.txt"
printf 'k1\tKyiv\\tNorth Korea\nk2\tno names\n' >"$tmp/in.tsv"
"$nertag" --compile="$tmp/idx.ntx" -g "$gaz" || bad "compile"

# Each scenario: a name and its arguments (run from $tmp, input on stdin).
scenario() {
	name=$1
	shift
	args=$*
	# The run with no fault: its output is the reference.
	(cd "$tmp" && eval "$nertag $args") >"$tmp/want" 2>"$tmp/want.err" ||
	    { bad "$name: fails without a fault"; return; }
	n=1
	while :; do
		(cd "$tmp" && eval "NERTAG_FAIL_ALLOC=$n $nertag $args") \
		    >"$tmp/got" 2>"$tmp/err"
		st=$?
		if [ $st -eq 0 ]; then
			# Past the last allocation: the run is whole.
			if cmp -s "$tmp/got" "$tmp/want"; then ok; else
				bad "$name: allocation $n: exit 0, wrong output"; fi
			break
		fi
		if [ $st -ne 1 ]; then
			bad "$name: allocation $n: exit status $st"
		elif [ "$(cat "$tmp/err")" != "nertag: out of memory" ]; then
			bad "$name: allocation $n: stderr: $(head -c 200 "$tmp/err")"
		else
			ok
		fi
		n=$((n + 1))
		if [ $n -gt 5000 ]; then
			bad "$name: more than 5000 allocations?"
			break
		fi
	done
	echo "$name: failed each of $((n - 1)) allocations in turn"
}

scenario "folder + stop list, inline" "-g '$gaz' -x '$gaz/LOC.txt' < in.txt"
scenario "xml" "-f xml -g '$gaz' < in.txt"
scenario "tsv, -i, --ignore-accents" "-f tsv -i --ignore-accents -g '$gaz' < in.txt"
scenario "jsonl, chars" "-f jsonl --offsets=chars -g '$gaz' < in.txt"
scenario "records" "-r -f jsonl -g '$gaz' < in.tsv"
scenario "-o, two files" "-o -g '$gaz' in.txt in.txt"
scenario "index + stop list" "-G idx.ntx -x '$gaz/ORG.txt' < in.txt"
scenario "-j 2, tsv from an index" "-j 2 -f tsv -G idx.ntx < in.txt"
scenario "-j 2, records" "-j 2 -r -f jsonl -g '$gaz' < in.tsv"
scenario "untag" "--untag < in.txt"
scenario "compile" "--compile=out.ntx -g '$gaz' && cat out.ntx"

# Under valgrind, a failed allocation loses no memory and reads nothing
# uninitialised (a sample: early, middle and late allocations).
if command -v valgrind >/dev/null 2>&1; then
	for n in 1 20 40 60; do
		(cd "$tmp" && NERTAG_FAIL_ALLOC=$n valgrind -q \
		    --error-exitcode=99 --leak-check=full \
		    --errors-for-leak-kinds=definite "$nertag" -g "$gaz" \
		    -x "$gaz/LOC.txt" <in.txt >/dev/null 2>"$tmp/err")
		st=$?
		if [ $st -eq 1 ] || [ $st -eq 0 ]; then ok; else
			bad "valgrind, allocation $n: status $st: $(head -c 300 "$tmp/err")"
		fi
	done
fi

# Read errors: a directory, and a file that opens but fails to read.
"$nertag" -g "$gaz" "$tmp" /proc/self/mem "$tmp/in.txt" >"$tmp/got" \
    2>"$tmp/err"
st=$?
if [ $st -eq 1 ] && [ "$(wc -l <"$tmp/err")" -eq 2 ] &&
    grep -q "Kyiv" "$tmp/got"; then ok; else
	bad "read errors: status $st, stderr $(cat "$tmp/err")"; fi

# A full disk: one message, exit 1.
"$nertag" -g "$gaz" "$tmp/in.txt" >/dev/full 2>"$tmp/err"
st=$?
if [ $st -eq 1 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ]; then ok; else
	bad "/dev/full: status $st, stderr $(cat "$tmp/err")"; fi

# A closed pipe with SIGPIPE ignored: one message, exit 1, no loop.
yes 'Kyiv and Kiev' | head -n 200000 >"$tmp/big.txt"
( trap '' PIPE; "$nertag" -g "$gaz" "$tmp/big.txt" 2>"$tmp/err"; \
    echo $? >"$tmp/st" ) | head -c 10 >/dev/null
if [ "$(cat "$tmp/st")" = 1 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ]; then ok
else bad "EPIPE: status $(cat "$tmp/st"), stderr $(cat "$tmp/err")"; fi

# Signals while writing to a slow reader: SIGSTOP and SIGCONT, and SIGWINCH
# (ignored), sent to nertag itself (by its pid) while it blocks on a full
# pipe; the output is whole.
"$nertag" -g "$gaz" "$tmp/big.txt" >"$tmp/want" 2>/dev/null
rm -f "$tmp/fifo"
mkfifo "$tmp/fifo"
"$nertag" -g "$gaz" "$tmp/big.txt" >"$tmp/fifo" 2>"$tmp/err" &
pid=$!
{ sleep 0.3; cat; } <"$tmp/fifo" >"$tmp/got" &
rpid=$!
for i in 1 2 3 4 5 6 7 8 9 10; do
	kill -STOP "$pid" 2>/dev/null
	sleep 0.02
	kill -CONT "$pid" 2>/dev/null
	kill -WINCH "$pid" 2>/dev/null
	sleep 0.02
done
wait "$pid"
st=$?
wait "$rpid"
if [ $st -eq 0 ] && cmp -s "$tmp/want" "$tmp/got" && [ ! -s "$tmp/err" ]
then ok; else
	bad "signals while writing: status $st, output differs or stderr: $(cat "$tmp/err")"
fi

# The rest needs tests/faults/shim.c, an LD_PRELOAD library that makes
# read(2) and write(2) fail with EINTR, move fewer bytes than asked, or
# fail with EIO or ENOSPC part of the way through a given file.
if ! ${CC:-cc} -O1 -shared -fPIC -o "$tmp/shim.so" \
    "$root/tests/faults/shim.c" 2>"$tmp/err"; then
	echo "skip: cannot build tests/faults/shim.c: $(head -c 200 "$tmp/err")"
	echo "$pass passed, $fail failed"
	[ "$fail" -eq 0 ]
	exit
fi
shim() {
	env LD_PRELOAD="$tmp/shim.so" \
	    ASAN_OPTIONS="verify_asan_link_order=0:${ASAN_OPTIONS:-}" "$@"
}
head -n 5000 "$tmp/big.txt" >"$tmp/mid.txt"
cat "$tmp/in.txt" >>"$tmp/mid.txt"
i=0
while [ $i -lt 500 ]; do cat "$tmp/in.tsv"; i=$((i + 1)); done >"$tmp/mid.tsv"
"$nertag" -f xml -g "$gaz" "$tmp/mid.txt" >"$tmp/mid.xml"

# EINTR on every other call and short reads and writes, on the input, the
# gazetteers and the output: the same output, byte for byte.
interrupted() {
	name=$1
	shift
	(cd "$tmp" && eval "$nertag $*") >"$tmp/want" 2>"$tmp/want.err"
	(cd "$tmp" && eval "shim SHIM_EINTR=1 SHIM_SHORT=61 $nertag $*") \
	    >"$tmp/got" 2>"$tmp/err"
	st=$?
	if [ $st -eq 0 ] && cmp -s "$tmp/want" "$tmp/got" &&
	    [ ! -s "$tmp/err" ]; then ok; else
		bad "EINTR and short reads and writes, $name: status $st: $(head -c 200 "$tmp/err")"
	fi
}
interrupted "inline, stdin" "-g '$gaz' -x '$gaz/LOC.txt' < mid.txt"
interrupted "xml, -i, file" "-f xml -i -g '$gaz' mid.txt"
interrupted "tsv, chars" "-f tsv --offsets=chars -g '$gaz' mid.txt"
interrupted "jsonl, line-buffered" "-f jsonl --line-buffered -g '$gaz' mid.txt"
interrupted "records" "-r -f tsv -g '$gaz' < mid.tsv"
interrupted "untag" "--untag mid.xml"
interrupted "index" "-G idx.ntx mid.txt"
interrupted "compile" "--compile=out.ntx -g '$gaz' && cat out.ntx"

# expect_error NAME PATTERN COMMAND...: exit 1 and exactly one line on
# stderr, which matches PATTERN.
expect_error() {
	name=$1
	pat=$2
	shift 2
	(cd "$tmp" && eval "$*") >"$tmp/got" 2>"$tmp/err"
	st=$?
	if [ $st -eq 1 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] &&
	    grep -q -- "$pat" "$tmp/err"; then ok; else
		bad "$name: status $st, stderr: $(head -c 300 "$tmp/err")"
	fi
}
# A read error part of the way through the input, or a gazetteer.
expect_error "EIO on stdin after 100 bytes" "^nertag: .*Input/output error" \
    "shim SHIM_EIO=mid.txt SHIM_AFTER=100 $nertag -g '$gaz' < mid.txt"
expect_error "EIO on FILE after 30000 bytes" "^nertag: .*mid.txt.*Input/output error" \
    "shim SHIM_EIO=mid.txt SHIM_AFTER=30000 $nertag -g '$gaz' mid.txt"
expect_error "EIO on a gazetteer" "^nertag: .*ORG.txt.*Input/output error" \
    "shim SHIM_EIO=ORG.txt $nertag -g '$gaz' < in.txt"
expect_error "EIO on a stop list" "^nertag: .*LOC.txt.*Input/output error" \
    "shim SHIM_EIO=LOC.txt $nertag -x '$gaz/LOC.txt' -g '$gaz/ORG.txt' < in.txt"
# --untag: a read error inside an entity passes on what was read, then the
# next file is read afresh.
printf 'one &amp; more\n' >"$tmp/ent1.xml"
printf 'two <LOC>x</LOC>\n' >"$tmp/ent2.xml"
expect_error "EIO inside an entity, --untag" "^nertag: .*ent1.xml.*Input/output" \
    "shim SHIM_EIO=ent1.xml SHIM_AFTER=7 $nertag --untag ent1.xml ent2.xml"
if [ "$(cat "$tmp/got")" = "one &amtwo x" ]; then ok; else
	bad "EIO inside an entity, --untag: stdout '$(cat "$tmp/got")'"
fi
# A disk that fills up part of the way: through the output, and through
# --compile, which must leave neither OUT nor its temporary file behind.
expect_error "ENOSPC on stdout after 5000 bytes" "^nertag: .*No space left" \
    "shim SHIM_ENOSPC=got SHIM_AFTER=5000 $nertag -g '$gaz' mid.txt"
mkdir -p "$tmp/cdir"
expect_error "ENOSPC during --compile" "^nertag: .*No space left" \
    "shim SHIM_ENOSPC=cdir/ SHIM_AFTER=100 $nertag --compile=cdir/out.ntx -g '$gaz'"
if [ -z "$(ls -A "$tmp/cdir")" ]; then ok; else
	bad "ENOSPC during --compile left files: $(ls -A "$tmp/cdir")"; fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
