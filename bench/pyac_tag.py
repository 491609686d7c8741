#!/usr/bin/python3
"""pyac_tag.py -- benchmark peer: tag gazetteer names with pyahocorasick.

Usage: /usr/bin/python3 bench/pyac_tag.py NAMES [FILE]

Run it with Debian's /usr/bin/python3 (package python3-ahocorasick).  NAMES:
one name a line (`NAME` or `NAME<TAB>ID`, ID ignored), `#` comment lines and
blank lines skipped.  Output: `START<TAB>END<TAB>TEXT` per match, offsets in
bytes of the input (as nertag's tsv).

The automaton reports every occurrence of every name (Automaton.iter); the
script keeps the word-bounded ones (the character before and after is not a
word character: Unicode category L*, M*, N* or Pc, the rule of nertag's spec)
and selects leftmost-longest non-overlapping matches.  The input is decoded as
UTF-8 (invalid bytes as surrogate escapes, never word characters) and
processed in chunks of about 4 MiB cut at a line end (or anywhere in a text
without newlines, keeping the last MAXLEN characters for the next chunk), so
memory does not grow with the input.
"""

import sys
import unicodedata

import ahocorasick

CHUNK = 4 << 20


def load(path):
    a = ahocorasick.Automaton()
    maxlen = 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            name = line.rstrip("\r\n").split("\t", 1)[0]
            if not name or name.startswith("#"):
                continue
            a.add_word(name, len(name))
            maxlen = max(maxlen, len(name))
    a.make_automaton()
    return a, maxlen


_word_cache = {}


def is_word(ch):
    w = _word_cache.get(ch)
    if w is None:
        if "\udc80" <= ch <= "\udcff":       # an undecodable byte
            w = False
        else:
            cat = unicodedata.category(ch)
            w = cat[0] in "LMN" or cat == "Pc"
        _word_cache[ch] = w
    return w


def tag(a, maxlen, data_iter, out):
    """data_iter yields (text, final) pieces; writes matches to out."""
    pend = ""            # text carried over from the previous piece
    base_b = 0           # byte offset of pend[0] in the input
    commit = 0           # character index in pend before which nothing starts
    for piece, final in data_iter:
        text = pend + piece
        n = len(text)
        horizon = n if final else n - maxlen - 1
        cands = []
        for end, ln in a.iter(text):
            s = end + 1 - ln
            if s < commit or s >= horizon:
                continue
            if s > 0 and is_word(text[s - 1]):
                continue
            if end + 1 < n and is_word(text[end + 1]):
                continue
            cands.append((s, -(end + 1)))
        cands.sort()
        # Byte offsets: encode the text between consecutive matches once.
        pos_c, pos_b = 0, base_b
        lines = []
        for s, ne in cands:
            e = -ne
            if s < commit:
                continue
            pos_b += len(text[pos_c:s].encode("utf-8", "surrogateescape"))
            m = text[s:e]
            mb = len(m.encode("utf-8", "surrogateescape"))
            lines.append(f"{pos_b}\t{pos_b + mb}\t{m}\n")
            pos_c, pos_b = e, pos_b + mb
            commit = e
        out.write("".join(lines))
        if final:
            break
        keep = max(commit, horizon) - 1      # one char of left context
        base_b = pos_b + len(text[pos_c:keep].encode("utf-8", "surrogateescape"))
        pend = text[keep:]
        commit = max(commit, horizon) - keep


def pieces(f):
    """Yield decoded chunks cut after a newline where there is one."""
    rest = b""
    while True:
        buf = f.read(CHUNK)
        if not buf:
            yield rest.decode("utf-8", "surrogateescape"), True
            return
        buf = rest + buf
        cut = buf.rfind(b"\n") + 1
        if cut == 0:                          # no newline: cut at a char start
            cut = len(buf)
            while cut > 0 and len(buf) - cut < 4 and (buf[cut - 1] & 0xC0) == 0x80:
                cut -= 1
            if cut > 0 and buf[cut - 1] >= 0xC0:
                cut -= 1
        rest = buf[cut:]
        yield buf[:cut].decode("utf-8", "surrogateescape"), False


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit("usage: pyac_tag.py NAMES [FILE]")
    a, maxlen = load(sys.argv[1])
    f = sys.stdin.buffer
    if len(sys.argv) == 3 and sys.argv[2] != "-":
        f = open(sys.argv[2], "rb")
    out = open(sys.stdout.fileno(), "w", encoding="utf-8",
               errors="surrogateescape", buffering=1 << 16, closefd=False)
    tag(a, maxlen, pieces(f), out)
    out.flush()


if __name__ == "__main__":
    main()
