#!/bin/sh
# make_corpus.sh -- build the benchmark inputs from the Gutenberg corpus.
#
# Usage: bench/make_corpus.sh [SIZE]...      SIZE: 10M 100M 1G (default 10M 100M)
#
# Reads  $CORPUS_DIR  (default: ../shared/bench/corpus next to the repository)
# Writes $BENCHDATA/corpus/ (default /work/benchdata/corpus), never the repository:
#   corpus.txt              the seven novels, Gutenberg header/footer and BOM stripped
#   in-SIZE.txt             corpus.txt repeated and cut at a line end to SIZE bytes
#                           (10M = 10,000,000 bytes, 100M = 10^8, 1G = 10^9)
#   in-SIZE.oneline.txt     the same bytes with every newline replaced by a space
#   records-SIZE.tsv        the same text as `KEY<TAB>TEXT` records, one per
#                           paragraph (blank-line separated), line breaks inside a
#                           paragraph written as \n, backslash as \\, tab as \t
# Files that already exist with the expected size are kept (rerunnable).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
CORPUS_DIR=${CORPUS_DIR:-$here/../../shared/bench/corpus}
BENCHDATA=${BENCHDATA:-/work/benchdata}
out=$BENCHDATA/corpus
mkdir -p "$out"
[ $# -gt 0 ] || set -- 10M 100M

bytes() {
	case $1 in
	*G) echo $((${1%G} * 1000000000)) ;;
	*M) echo $((${1%M} * 1000000)) ;;
	*) echo "$1" ;;
	esac
}

# 1. Strip each novel: keep the lines strictly between "*** START OF" and
#    "*** END OF", drop the UTF-8 BOM, and concatenate in a fixed order.
if [ ! -s "$out/corpus.txt" ]; then
	for f in 2600-0.txt 135-0.txt 1184-0.txt 2554-0.txt 1400-0.txt 98-0.txt 2701-0.txt; do
		sed '1s/^\xEF\xBB\xBF//' "$CORPUS_DIR/$f" |
		    awk '/^\*\*\* END OF/ { exit } on { print } /^\*\*\* START OF/ { on = 1 }'
	done | tr -d '\r' > "$out/corpus.txt.tmp"
	mv "$out/corpus.txt.tmp" "$out/corpus.txt"
fi
csize=$(wc -c < "$out/corpus.txt")
echo "corpus.txt: $csize bytes"

for s in "$@"; do
	n=$(bytes "$s")
	f=$out/in-$s.txt
	if [ ! -f "$f" ] || [ "$(wc -c < "$f")" -gt "$n" ] ||
	    [ "$(wc -c < "$f")" -lt $((n - 4096)) ]; then
		# Repeat whole copies, cut at n bytes, then drop the partial last
		# line so that no UTF-8 sequence is split.
		reps=$((n / csize + 1))
		i=0
		while [ $i -lt $reps ]; do cat "$out/corpus.txt"; i=$((i + 1)); done |
		    head -c "$n" | sed '$d' > "$f.tmp"
		mv "$f.tmp" "$f"
		rm -f "$out/in-$s.oneline.txt" "$out/records-$s.tsv"
	fi
	if [ ! -f "$out/in-$s.oneline.txt" ]; then
		tr '\n' ' ' < "$f" > "$out/in-$s.oneline.txt.tmp"
		mv "$out/in-$s.oneline.txt.tmp" "$out/in-$s.oneline.txt"
	fi
	if [ ! -f "$out/records-$s.tsv" ]; then
		LC_ALL=C awk '
		function flush() {
			if (p != "") { printf "p%d\t%s\n", ++k, p; p = "" }
		}
		/^$/ { flush(); next }
		{
			gsub(/\\/, "\\\\"); gsub(/\t/, "\\t")
			p = (p == "") ? $0 : p "\\n" $0
		}
		END { flush() }' "$f" > "$out/records-$s.tsv.tmp"
		mv "$out/records-$s.tsv.tmp" "$out/records-$s.tsv"
	fi
	ls -l "$f" "$out/in-$s.oneline.txt" "$out/records-$s.tsv"
done
