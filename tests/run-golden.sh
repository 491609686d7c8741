#!/bin/sh
# Golden tests for nertag.  Usage: NERTAG=/path/to/nertag sh tests/run-golden.sh
#
# Each case is a set of files in tests/golden sharing a NAME:
#	NAME.args	shell words appended to the nertag command, evaluated
#			with eval from tests/golden (so ../data/... paths work,
#			and a case may pipe into another command)
#	NAME.in		standard input (default /dev/null)
#	NAME.out	expected standard output (default empty)
#	NAME.err	expected standard error (default empty)
#	NAME.status	expected exit status (default 0)
# $NERTAG may hold a wrapper ("valgrind -q ... nertag"), so it is used
# unquoted through eval; it is exported for helper scripts (NAME.args may
# run "sh helper.sh").  One line is printed per failing case, then
# "N passed, M failed"; the exit status is 1 if any case failed.
# VERBOSE=1 also shows the differences.
set -u

here=$(cd "$(dirname "$0")" && pwd)
NERTAG=${NERTAG:-$here/../build/nertag}
# A bare relative path to the binary still works after the cd below.
case $NERTAG in
*' '*) ;;
*/*)	if [ -x "$NERTAG" ]; then
		NERTAG=$(cd "$(dirname "$NERTAG")" && pwd)/$(basename "$NERTAG")
	fi ;;
esac
export NERTAG
# Output must not depend on the caller's environment.
unset NERTAG_GAZETTEERS NO_COLOR
LC_ALL=C
export LC_ALL

tmp=$(mktemp -d "${TMPDIR:-/tmp}/nertag-golden.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'rm -rf "$tmp"; exit 1' INT TERM HUP
: >"$tmp/empty"

cd "$here/golden" || exit 1
pass=0
fail=0
for a in *.args; do
	[ -f "$a" ] || continue
	name=${a%.args}
	in=/dev/null
	[ -f "$name.in" ] && in=$name.in
	args=$(cat "$a")
	(eval "$NERTAG $args") <"$in" >"$tmp/out" 2>"$tmp/err"
	status=$?

	want_out=$tmp/empty
	[ -f "$name.out" ] && want_out=$name.out
	want_err=$tmp/empty
	[ -f "$name.err" ] && want_err=$name.err
	want_status=0
	[ -f "$name.status" ] && want_status=$(cat "$name.status")

	why=
	cmp -s "$tmp/out" "$want_out" || why="$why stdout"
	cmp -s "$tmp/err" "$want_err" || why="$why stderr"
	[ "$status" = "$want_status" ] ||
	    why="$why status $status (expected $want_status)"
	if [ -z "$why" ]; then
		pass=$((pass + 1))
		continue
	fi
	fail=$((fail + 1))
	echo "FAIL $name:$why"
	if [ -n "${VERBOSE:-}" ]; then
		diff "$want_out" "$tmp/out" | sed 's/^/	out: /'
		diff "$want_err" "$tmp/err" | sed 's/^/	err: /'
	fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
