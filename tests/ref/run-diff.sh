#!/bin/sh
# Differential test: nertag against the reference matcher (tests/ref) on
# every text in the tests (the golden inputs, tests/example.txt, the e2e
# texts), with the test gazetteers and with the shipped ones and their stop
# list, with and without -i and --ignore-accents.  The spans (byte offsets)
# must be the same.  Usage: NERTAG=build/nertag REFTAG=build/reftag
# sh tests/ref/run-diff.sh.  Prints "N passed, M failed"; exits 1 on failure.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
nertag=${NERTAG:-$root/build/nertag}
reftag=${REFTAG:-$root/build/reftag}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0

# diff_one TEXT NERTAG-ARGS -- REFTAG-ARGS
diff_one() {
	text=$1
	nargs=$2
	rargs=$3
	# shellcheck disable=SC2086
	"$nertag" -f tsv $nargs <"$text" 2>"$tmp/err" | cut -f1,2 >"$tmp/got"
	# shellcheck disable=SC2086
	"$reftag" $rargs <"$text" | cut -f1,2 >"$tmp/want"
	if [ -s "$tmp/err" ]; then
		fail=$((fail + 1))
		echo "FAIL $text [$nargs]: $(head -c 200 "$tmp/err")"
	elif cmp -s "$tmp/got" "$tmp/want"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL $text [$nargs]: nertag and the reference differ:"
		diff "$tmp/want" "$tmp/got" | head -n 10
	fi
}

for text in "$root"/tests/golden/*.in "$root"/tests/example.txt \
    "$root"/tests/data/text/*.txt; do
	# Large inputs are for the streaming tests; the reference is quadratic.
	[ "$(wc -c <"$text")" -le 20000 ] || continue
	for f in "" "-i" "--ignore-accents" "-i --ignore-accents"; do
		r=$(echo "$f" | sed 's/--ignore-accents/-a/')
		diff_one "$text" "$f -g $root/tests/data/gaz" \
		    "$r $root/tests/data/gaz/LOC.txt $root/tests/data/gaz/ORG.txt $root/tests/data/gaz/PER.txt"
	done
done
# The shipped gazetteers (40,000 names) on the example text only.
diff_one "$root/tests/example.txt" "-g $root/gazetteers" \
    "-x $root/gazetteers/default.exclude $(ls "$root"/gazetteers/*.txt)"
diff_one "$root/tests/example.txt" "-i --ignore-accents -g $root/gazetteers" \
    "-ia -x $root/gazetteers/default.exclude $(ls "$root"/gazetteers/*.txt)"
# A compiled index with a stop list (the matcher's veto), after a gazetteer.
g=$root/tests/data/gaz
"$nertag" --compile="$tmp/idx.ntx" -g "$g"
for text in "$root"/tests/example.txt "$root"/tests/golden/*.in; do
	[ "$(wc -c <"$text")" -le 20000 ] || continue
	diff_one "$text" "-g $g/PER.txt -G $tmp/idx.ntx -x $g/LOC.txt" \
	    "-x $g/LOC.txt $g/PER.txt $g/LOC.txt $g/ORG.txt $g/PER.txt"
done
# What case folding yields is normalised too: U+0149 folds to U+02BC 'n'.
printf "# label: LOC\n'n Hout\n\312\274Na\n" >"$tmp/fold.txt"
printf "x \305\211 Hout, 'N HOUT, \305\211a; \312\274n hout y\n" >"$tmp/fold.in"
for f in "" "-i" "-i --ignore-accents"; do
	r=$(echo "$f" | sed 's/--ignore-accents/-a/')
	diff_one "$tmp/fold.in" "$f -g $tmp/fold.txt" "$r $tmp/fold.txt"
done
# Canonical caseless matching: U+0345 folds to iota after the marks are
# in order, and before they are dropped.
for f in "" "-i" "--ignore-accents" "-i --ignore-accents"; do
	r=$(echo "$f" | sed 's/--ignore-accents/-a/')
	diff_one "$root/tests/golden/casefold-ypogegrammeni.in" \
	    "$f -g $root/tests/data/greek" "$r $root/tests/data/greek/LOC.txt"
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
