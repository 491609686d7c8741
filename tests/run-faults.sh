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

# Signals while writing to a slow reader (EINTR, short writes): the output
# is whole.  SIGSTOP/SIGCONT interrupt writes; a handled SIGWINCH too.
"$nertag" -g "$gaz" "$tmp/big.txt" >"$tmp/want" 2>/dev/null
"$nertag" -g "$gaz" "$tmp/big.txt" 2>"$tmp/err" | {
	sleep 0.2; cat; } >"$tmp/got" &
pid=$!
sleep 0.05
for p in $(pgrep -f "nertag.*big.txt" 2>/dev/null); do
	kill -STOP "$p" 2>/dev/null; kill -CONT "$p" 2>/dev/null
	kill -WINCH "$p" 2>/dev/null
done
wait $pid
if cmp -s "$tmp/want" "$tmp/got" && [ ! -s "$tmp/err" ]; then ok; else
	bad "signals while writing: output differs or stderr: $(cat "$tmp/err")"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
