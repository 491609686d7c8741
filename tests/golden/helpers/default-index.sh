# The default gazetteers, run by default-index.args from tests/golden with
# $NERTAG set.  Without -g and -G, nertag reads $NERTAG_GAZETTEERS (here a
# temporary copy) and uses default.ntx (default-i.ntx with -i) in place of
# the gazetteers when it is newer than every *.txt and *.exclude file
# there; a stale index is passed over in silence, a damaged one with a warning.  To see which
# was used, the index is compiled from other names (Odesa) than the
# folder holds (Kyiv).
set -u
tmp=$(mktemp -d "${TMPDIR:-/tmp}/nertag-default.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
mkdir dir other
printf '# label: LOC\nKyiv\nReading\n' >dir/LOC.txt
printf 'reading\n' >dir/stop.exclude
printf '# label: LOC\nOdesa\n' >other/LOC.txt
NERTAG_GAZETTEERS=$tmp/dir
export NERTAG_GAZETTEERS

# run ARGS...: show the command, its output and errors, and its status.
run() {
	echo "\$ nertag${*:+ $*}"
	printf 'Kyiv, Odesa, Reading, READING\n' | eval "$NERTAG $*" \
	    >out 2>&1
	st=$?
	sed "s|$tmp|TMP|g" out
	echo "status $st"
}

echo "# no index: the gazetteers"
run
echo "# a fresh default.ntx is used in their place"
run --compile=dir/default.ntx -g other
touch -d '2001-01-01 00:00' dir/LOC.txt dir/stop.exclude
touch -d '2002-01-01 00:00' dir/default.ntx
run
echo "# -i needs default-i.ntx, so the gazetteers are read"
run -i
run -i --compile=dir/default-i.ntx -g other
touch -d '2002-01-01 00:00' dir/default-i.ntx
run -i
echo "# a gazetteer or a stop list newer than the index makes it stale"
touch -d '2003-01-01 00:00' dir/LOC.txt
run
touch -d '2001-01-01 00:00' dir/LOC.txt
touch -d '2003-01-01 00:00' dir/stop.exclude
run
touch -d '2001-01-01 00:00' dir/stop.exclude
echo "# newer by part of a second is newer"
touch -d '2002-01-01 00:00:00.900' dir/LOC.txt
touch -d '2002-01-01 00:00:00.100' dir/default.ntx
run
touch -d '2001-01-01 00:00' dir/LOC.txt
touch -d '2002-01-01 00:00' dir/default.ntx
echo "# a damaged default index is passed over"
printf 'XXXXXXXX' | dd of=dir/default.ntx bs=1 seek=0 conv=notrunc 2>/dev/null
touch -d '2002-01-01 00:00' dir/default.ntx
run
echo "# --compile without -g compiles the default gazetteers"
run --compile=all.ntx
run -G all.ntx
echo "# a missing folder is an error"
NERTAG_GAZETTEERS=none run
