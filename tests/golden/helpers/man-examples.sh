# Run every command of the EXAMPLES section of man/nertag.1 and compare
# its output with the one the page shows; run by man-examples.args from
# tests/golden with $NERTAG set.  In the page, "$ " starts a command, a
# line indented by four spaces after one ending in "|" continues it, and
# " \e" at the end of an output line joins it to the next.  The commands
# run in a temporary copy of the example files, with "nertag" replaced by
# $NERTAG.
set -u
page=../../man/nertag.1
tmp=$(mktemp -d "${TMPDIR:-/tmp}/nertag-man.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/run"
cp places.txt people.txt news.txt docs.jsonl "$tmp/run" || exit 1
awk -v dir="$tmp" '
function unescape(s) {
	gsub(/\\e/, "\\", s)
	return s
}
/^\.Sh EXAMPLES/ { ex = 1; next }
/^\.Sh / { ex = 0 }
!ex { next }
/^\.Bd -literal/ { lit = 1; next }
/^\.Ed/ { lit = 0; incmd = 0; next }
!lit { next }
{
	line = unescape($0)
	while (line ~ / \\$/ && (getline nxt) > 0) {
		sub(/\\$/, "", line)
		line = line unescape(nxt)
	}
	if (line ~ /^\$ /) {
		k++
		printf "%s\n", substr(line, 3) > (dir "/cmd." k)
		printf "" > (dir "/exp." k)
		incmd = line ~ /[|&]$/
	} else if (incmd && line ~ /^    /) {
		incmd = line ~ /[|&]$/
		printf "%s\n", substr(line, 5) >> (dir "/cmd." k)
	} else {
		incmd = 0
		printf "%s\n", line >> (dir "/exp." k)
	}
}' "$page"

k=1
while [ -f "$tmp/cmd.$k" ]; do
	cmd=$(sed 's/\<nertag\>/$NERTAG/g' "$tmp/cmd.$k")
	(cd "$tmp/run" && eval "$cmd") >"$tmp/got" 2>&1
	if cmp -s "$tmp/got" "$tmp/exp.$k"; then
		echo "ok: $(head -n 1 "$tmp/cmd.$k")"
	else
		echo "FAIL: $(head -n 1 "$tmp/cmd.$k")"
		diff "$tmp/exp.$k" "$tmp/got"
	fi
	k=$((k + 1))
done
