"""Shared helpers for the nertag gazetteer tools (python3 standard library only).

- norm(): the matching normal form of the nertag spec, approximated in Python
  (canonical equivalence via NFC on both sides, white-space runs -> one space,
  apostrophe and dash classes folded).
- Tagger: a word-bounded, leftmost-longest tagger over a gazetteer folder or
  files, with the folder's *.exclude stop lists applied.  It is an estimator
  used until build/nertag exists; tools/measure.py prefers the real binary.
- read_corpus(): the English prose of ../shared/bench/corpus without the
  Project Gutenberg header and licence.
"""
import glob
import os
import re
import unicodedata

APOS = dict.fromkeys(map(ord, "\u2019\u02bc\u2018\u201b\u2032\uff07"), "'")
WS_RE = re.compile(r"[\s\u0085\u2028\u2029]+")


def _fold_dashes(s):
    out = []
    for c in s:
        if c == "\u2212" or (c != "-" and ord(c) > 127 and unicodedata.category(c) == "Pd"):
            out.append("-")
        else:
            out.append(c)
    return "".join(out)


def norm(s):
    """Normal form used to compare names (and text) as the spec does."""
    s = unicodedata.normalize("NFC", s).translate(APOS)
    s = WS_RE.sub(" ", s)
    if any(ord(c) > 127 for c in s):
        s = _fold_dashes(s)
    return s


def is_word_char(c):
    if c.isalnum() or c == "_":
        return True
    cat = unicodedata.category(c)
    return cat[0] in "LMN" or cat == "Pc"


def read_gazetteer(path):
    """Yield (name, id) from a nertag gazetteer or stop-list file."""
    with open(path, encoding="utf-8-sig") as f:
        for line in f:
            line = line.rstrip("\r\n")
            if not line or line.startswith("#"):
                continue
            parts = line.split("\t")
            yield parts[0], parts[1] if len(parts) > 1 else parts[0]


def label_of(path):
    with open(path, encoding="utf-8-sig") as f:
        for line in f:
            if line.startswith("# label:"):
                return line.split(":", 1)[1].strip()
            if line.strip() and not line.startswith("#"):
                break
    return os.path.basename(path).split(".")[0]


class Tagger:
    """Word-bounded leftmost-longest tagger; first definition of a name wins."""

    def __init__(self, paths, excludes=()):
        files, stops = [], list(excludes)
        for p in paths:
            if os.path.isdir(p):
                files += sorted(glob.glob(os.path.join(p, "*.txt")))
                stops += sorted(glob.glob(os.path.join(p, "*.exclude")))
            else:
                files.append(p)
        stop = set()
        for p in stops:
            stop.update(norm(n) for n, _ in read_gazetteer(p))
        self.entries = {}
        for p in files:
            lab = label_of(p)
            for name, ident in read_gazetteer(p):
                k = norm(name)
                if k in stop or k in self.entries:
                    continue
                self.entries[k] = (lab, ident)
        self.prefixes = set()
        for k in self.entries:
            for i in range(1, len(k) + 1):
                self.prefixes.add(k[:i])

    def tag(self, text):
        """Return [(start, end, label, id)] in character offsets of norm(text).

        The caller should pass text already passed through norm()."""
        out = []
        n = len(text)
        pre, ent = self.prefixes, self.entries
        if not hasattr(self, "_start_re"):
            firsts = sorted({k[0] for k in ent})
            self._start_re = re.compile(
                r"(?<![\w\u0300-\u036f])[" + "".join(re.escape(c) for c in firsts) + "]")
        last = 0
        for m in self._start_re.finditer(text):
            p = m.start()
            if p < last:
                continue
            best = None
            k = p + 1
            while k <= n and text[p:k] in pre:
                if text[p:k] in ent and (k == n or not is_word_char(text[k])):
                    best = k
                k += 1
            if best is not None:
                lab, ident = ent[text[p:best]]
                out.append((p, best, lab, ident))
                last = best
        return out


CORPUS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "bench", "corpus")


def corpus_files(corpus_dir=None):
    d = corpus_dir or os.environ.get("NERTAG_CORPUS") or CORPUS_DIR
    return sorted(glob.glob(os.path.join(d, "*-0.txt")))


def read_corpus(path):
    """Text of a Project Gutenberg file between its START and END markers."""
    with open(path, encoding="utf-8-sig") as f:
        t = f.read()
    m = re.search(r"^\*\*\* ?START OF.*$", t, re.M)
    if m:
        t = t[m.end():]
    m = re.search(r"^\*\*\* ?END OF.*$", t, re.M)
    if m:
        t = t[:m.start()]
    return t
