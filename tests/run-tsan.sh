#!/bin/bash
# nertag -j under ThreadSanitizer: $NERTAG is a -fsanitize=thread build,
# $REF the plain build.  For each case the threaded run must give the
# plain single-threaded output byte for byte, and TSan must report nothing
# (halt_on_error makes a report fail the run).  Cases: the test
# gazetteers, a stop list, -i, xml and jsonl with code-point offsets, the
# default compiled index (mapped, checked whole before the threads start),
# a text with no place to cut, and records.
# Usage: NERTAG=... REF=... bash tests/run-tsan.sh
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
gaz=$root/tests/data/gaz
tmp=$(mktemp -d "${TMPDIR:-/tmp}/nertag-tsan.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
export TSAN_OPTIONS="halt_on_error=1 ${TSAN_OPTIONS:-}"
# TSan of older clangs cannot map its shadow memory under some kernels'
# address randomisation; without it, it can.
norand() { setarch "$(uname -m)" -R "$@"; }
pass=0
fail=0

python3 -c '
import random, sys
r = random.Random(5)
words = ["Kyiv", "Kiev", "Ukraine", "North", "Korea", "New", "York", "and",
         "Z\u00fcrich", "Zu\u0308rich", "Taras", "Shevchenko", "Acme", "the",
         "\u03a3\u03af\u03c3\u03c5\u03c6\u03bf\u03c2", "Paris", "United",
         "Nations", "x"]
seps = [" "] * 8 + ["\n", ", ", "\n\n", "\u3000"]
sys.stdout.write("".join(r.choice(words) + r.choice(seps)
                 for _ in range(250000)))' >"$tmp/in.txt"
python3 -c '
import sys
sys.stdout.write("\u03a3\u03af\u03c3\u03c5\u03c6\u03bf\u03c2\u3000" * 40000
    + "Kyiv and Kyiv\n" * 100)' >"$tmp/greek.txt"

check() {
	local name=$1 input=$2
	shift 2
	if ! "$REF" "$@" <"$input" >"$tmp/want" 2>&1; then
		fail=$((fail + 1))
		echo "FAIL tsan-$name: the plain build fails"
		return
	fi
	if norand $NERTAG -j 3 "$@" <"$input" >"$tmp/got" 2>"$tmp/err" &&
	    cmp -s "$tmp/want" "$tmp/got"; then
		pass=$((pass + 1))
		echo "ok tsan-$name"
	else
		fail=$((fail + 1))
		echo "FAIL tsan-$name: $(head -c 600 "$tmp/err")"
	fi
}
check tsv "$tmp/in.txt" -f tsv -g "$gaz"
check stop-list "$tmp/in.txt" -g "$gaz" -x "$gaz/ORG.txt"
check ignore-case "$tmp/in.txt" -i -f xml -g "$gaz"
check jsonl-chars "$tmp/in.txt" -f jsonl --offsets=chars -g "$gaz"
check default-index "$tmp/in.txt" -f tsv
check no-cut "$tmp/greek.txt" -f tsv -g "$gaz"
# Records: one line in 50 longer than a chunk, the rest short.
python3 -c '
import sys
for i in range(30000):
    n = 40000 if i % 600 == 0 else 6
    sys.stdout.write("k%d\t" % i + "Kyiv and North Korea, x " * n + "\n")' \
    >"$tmp/rec.tsv"
check records "$tmp/rec.tsv" -r -f jsonl -g "$gaz"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
