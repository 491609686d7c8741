#!/bin/sh
# The flashtext peer suite (../shared/peers/flashtext): 60 keyword-extraction
# cases, checked case-insensitively (-i) and case-sensitively, with the
# byte spans of every match.  Usage: run-peer.sh /path/to/nertag
set -u
nertag=${1:-build/nertag}
root=$(cd "$(dirname "$0")/.." && pwd)
peer=${NERTAG_PEER_DIR:-$root/../shared/peers/flashtext}
# The suite lives beside the clone, not in it: a clone on its own skips it,
# saying so, unless NERTAG_PEER_REQUIRED is set.
if [ ! -f "$peer/check.py" ]; then
	if [ -n "${NERTAG_PEER_REQUIRED:-}" ]; then
		echo "run-peer.sh: no peer suite at $peer" >&2
		exit 1
	fi
	echo "skip peer suite: none at $peer (set NERTAG_PEER_DIR)"
	exit 0
fi
cd "$peer" || exit 1
status=0
tmp=$(mktemp) || exit 1
for mode in "ci:-i" "cs:"; do
	expect=${mode%%:*}
	flag=${mode#*:}
	echo "== peer: flashtext cases, --expect $expect, spans in bytes"
	python3 check.py --all --expect "$expect" --spans 1,2 --units bytes \
	    "$nertag $flag -g {gazetteer} -f tsv < {input}" >"$tmp" 2>&1
	r=$?
	grep -v '^PASS' "$tmp"
	[ $r -eq 0 ] || status=1
done
rm -f "$tmp"
exit $status
