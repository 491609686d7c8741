# The --compile example of nertag(1), run by example-compile.args from
# tests/golden with $NERTAG set, in a temporary copy of its files.
set -u
tmp=$(mktemp -d "${TMPDIR:-/tmp}/nertag-example.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
cp places.txt news.txt "$tmp" && cd "$tmp" || exit 1
$NERTAG --compile=places.ntx -g places.txt &&
$NERTAG -G places.ntx -f tsv news.txt
