# Compiled indexes, run by index-compiled.args from tests/golden with $NERTAG set:
# --compile then -G gives the same output as -g; an index compiled with
# other options, truncated, extended or damaged is refused with exit 1.
# Standard error goes to standard output so that one file shows the order.
set -u
data=$(cd ../data && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/nertag-index.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
ln -s "$data" data
text='Kiev, Kyiv and Zürich; STRASSE; North Korea; Paris.'

# run ARGS...: show the command, its output and errors, and its status.
run() {
	echo "\$ nertag $*"
	printf '%s\n' "$text" >in
	eval "$NERTAG $*" <in >out 2>&1
	st=$?
	sed 's/([0-9]* bytes, expected [0-9]*)/(N bytes, expected M)/' out
	echo "status $st"
}

run --compile=loc.ntx -g data/gaz
run -G loc.ntx
run -g data/gaz >from-gaz
run -G loc.ntx >from-index
tail -n +2 from-gaz >a; tail -n +2 from-index >b
cmp -s a b && echo "-G loc.ntx and -g gaz agree"
run -i -G loc.ntx
run --ignore-accents -G loc.ntx
run -i --compile=loc-i.ntx -g data/gaz
run -i -G loc-i.ntx
run -G loc-i.ntx
run -x data/reading.txt -G loc.ntx
run -G loc.ntx -g CITY=data/folder
run -g CITY=data/folder -G loc.ntx
run --compile=again.ntx -G loc.ntx
run --compile=no-such-dir/x.ntx -g data/gaz
# Through a symbolic link the file it names is replaced, the link kept; a
# dangling link, a FIFO or a device is refused and left as it was.
: >target.ntx
ln -s target.ntx link.ntx
run --compile=link.ntx -g data/gaz
test -L link.ntx && echo "link.ntx is still a link"
cmp -s target.ntx loc.ntx && echo "target.ntx holds the index"
ln -s missing.ntx dangling.ntx
run --compile=dangling.ntx -g data/gaz
test -L dangling.ntx && test ! -e missing.ntx && echo "dangling.ntx unchanged"
mkfifo fifo.ntx
run --compile=fifo.ntx -g data/gaz
test -p fifo.ntx && echo "fifo.ntx is still a FIFO"
ls -a | grep -q '\.tmp' || echo "no temporary file left"
# A FIFO given as an index is refused at once, not waited on.
mkfifo in-fifo.ntx
echo "\$ nertag -G in-fifo.ntx"
printf 'Kyiv\n' | timeout 20 sh -c "$NERTAG -G in-fifo.ntx" 2>&1
echo "status $?"
# The file replaced keeps its mode; a new one gets 0666 less the umask.
mkdir other
chmod 600 target.ntx
ln -s ../target.ntx other/link.ntx
run --compile=other/link.ntx -g data/gaz
echo "target.ntx: mode $(stat -c %a target.ntx)"
(umask 027 && run --compile=new.ntx -g data/gaz)
echo "new.ntx: mode $(stat -c %a new.ntx)"
size=$(wc -c <loc.ntx)
head -c 100 loc.ntx >short.ntx
run -G short.ntx
head -c $((size - 8)) loc.ntx >truncated.ntx
run -G truncated.ntx
cat loc.ntx loc.ntx >extended.ntx
run -G extended.ntx
cp loc.ntx damaged.ntx
printf 'X' | dd of=damaged.ntx bs=1 seek=$((size - 20)) conv=notrunc 2>/dev/null
run -G damaged.ntx
printf 'NERTAGIZ' | dd of=damaged.ntx bs=1 seek=0 conv=notrunc 2>/dev/null
run -G damaged.ntx
