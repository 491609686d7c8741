#!/usr/bin/env python3
"""Precision and coverage measurements for nertag's default gazetteers.

  measure.py sample [-n 250] [--seed 4]   tag the corpus, draw a random sample of
        tagged spans and write tools/precision-sample.tsv (verdicts kept for spans
        already judged in an earlier sample with the same span, label and context)
  measure.py score                        precision from the verdicts in the sample
  measure.py spans FILE                   print the spans tagged in FILE

Tags with build/nertag (-f tsv) when it exists and NERTAG_ESTIMATE is unset,
else with the Python estimator in ntlib.py, which follows the same rules.
"""
import argparse
import collections
import csv
import os
import random
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ntlib  # noqa: E402

TOOLS = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(TOOLS)
GAZ = os.path.join(ROOT, "gazetteers")
BIN = os.path.join(ROOT, "build", "nertag")
SAMPLE = os.path.join(TOOLS, "precision-sample.tsv")
HELD_OUT = {"1400-0.txt", "2554-0.txt"}
FIELDS = ["book", "span", "label", "id", "context", "verdict", "reason"]


def use_binary():
    return os.access(BIN, os.X_OK) and not os.environ.get("NERTAG_ESTIMATE")


_tagger = None


def tag_text(text):
    """[(start, end, label, text, id)] with character offsets into TEXT."""
    global _tagger
    if use_binary():
        data = text.encode("utf-8")
        out = subprocess.run([BIN, "-g", GAZ, "-f", "tsv"], input=data,
                             stdout=subprocess.PIPE, check=True).stdout.decode("utf-8")
        res = []
        # byte offsets -> character offsets
        for line in out.splitlines():
            s, e, lab, t, i = line.split("\t")
            s, e = int(s), int(e)
            cs = len(data[:s].decode("utf-8"))
            ce = cs + len(data[s:e].decode("utf-8"))
            res.append((cs, ce, lab, text[cs:ce], i))
        return res
    if _tagger is None:
        _tagger = ntlib.Tagger([GAZ])
    t = ntlib.norm(text)
    return [(s, e, lab, t[s:e], i) for s, e, lab, i in _tagger.tag(t)]


def flat(s):
    return " ".join(s.split())


def context(text, s, e, width=70):
    sp = lambda t: re.sub(r"\s+", " ", t)
    return "%s[[%s]]%s" % (sp(text[max(0, s - width):s]), flat(text[s:e]), sp(text[e:e + width]))


def read_sample(path=None):
    path = path or SAMPLE
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8", newline="") as f:
        return [r for r in csv.DictReader((l for l in f if not l.startswith("#")),
                                          delimiter="\t", quoting=csv.QUOTE_NONE)]


def cmd_sample(args):
    old = {(r["book"], r["span"], r["label"], r["context"]): r for r in read_sample()}
    allspans = []
    per_book = collections.Counter()
    for path in ntlib.corpus_files():
        book = os.path.basename(path)
        text = ntlib.read_corpus(path)
        if not use_binary():
            text = ntlib.norm(text)
        for s, e, lab, t, i in tag_text(text):
            allspans.append((book, flat(t), lab, flat(i), context(text, s, e)))
            per_book[book] += 1
    labs = collections.Counter(x[2] for x in allspans)
    print("tagger:", "build/nertag" if use_binary() else "ntlib estimator", file=sys.stderr)
    print("spans: %d (%s)" % (len(allspans), ", ".join("%s %d" % kv for kv in sorted(labs.items()))),
          file=sys.stderr)
    top = collections.Counter((x[1], x[2]) for x in allspans).most_common(40)
    print("most frequent:", ", ".join("%s/%s %d" % (a, b, n) for (a, b), n in top), file=sys.stderr)
    rnd = random.Random(args.seed)
    pick = sorted(rnd.sample(range(len(allspans)), args.n))
    with open(SAMPLE, "w", encoding="utf-8", newline="\n") as f:
        f.write("# Random sample of spans that the default gazetteers tag in ../shared/bench/corpus\n"
                "# (seed %d, %d of %d spans, tagger %s).  verdict: ok = a real entity of this label;\n"
                "# wrong-label = an entity of another label; no = not a named entity.  Judged by hand.\n"
                % (args.seed, args.n, len(allspans), "build/nertag" if use_binary() else "tools/ntlib.py"))
        f.write("\t".join(FIELDS) + "\n")
        for k in pick:
            book, t, lab, i, ctx = allspans[k]
            r = old.get((book, t, lab, ctx), {})
            f.write("\t".join([book, t, lab, i, ctx, r.get("verdict", ""), r.get("reason", "")]) + "\n")


def still_tagged(row):
    """Is the sampled span still tagged, with its label, by the current gazetteers?"""
    ctx = row["context"]
    i, j = ctx.index("[["), ctx.index("]]")
    text = ctx[:i] + ctx[i + 2:j] + ctx[j + 2:]
    return any(s == i and e == j - 2 and lab == row["label"] for s, e, lab, _, _ in tag_text(text))


def cmd_score(args):
    rows = read_sample(args.file)
    if args.current:
        gone = [r for r in rows if not still_tagged(r)]
        print("no longer tagged by the current gazetteers: %d (%s)" % (
            len(gone), ", ".join("%s/%s:%s" % (r["span"], r["label"], r["verdict"]) for r in gone)))
        rows = [r for r in rows if r not in gone]
    for part, keep in (("all books", lambda r: True),
                       ("held-out books (%s)" % ", ".join(sorted(HELD_OUT)), lambda r: r["book"] in HELD_OUT),
                       ("filter books", lambda r: r["book"] not in HELD_OUT)):
        rs = [r for r in rows if keep(r)]
        judged = [r for r in rs if r["verdict"]]
        ok = sum(1 for r in judged if r["verdict"] == "ok")
        part_ok = sum(1 for r in judged if r["verdict"] == "partial")
        v = collections.Counter(r["verdict"] for r in judged)
        print("%s: %d/%d ok = %.1f%%; counting partial spans %.1f%% (%s)" % (
            part, ok, len(judged), 100.0 * ok / max(1, len(judged)),
            100.0 * (ok + part_ok) / max(1, len(judged)),
            ", ".join("%s %d" % kv for kv in sorted(v.items()))))
        if part == "all books":
            for lab in ("LOC", "ORG", "PER"):
                j = [r for r in judged if r["label"] == lab]
                o = sum(1 for r in j if r["verdict"] == "ok")
                print("  %s: %d/%d ok = %.1f%%" % (lab, o, len(j), 100.0 * o / max(1, len(j))))


def cmd_coverage(args):
    """Compare the tagged spans of a text with its hand-marked entities."""
    with open(args.text, encoding="utf-8") as f:
        text = f.read()
    if not use_binary():
        text = ntlib.norm(text)
    ents, cands = [], []
    with open(args.entities, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            m, lab, canon = line.rstrip("\n").split("\t")
            if lab == "-":
                continue
            cands.append((m, lab, canon))
    # longer mentions first; a shorter one inside a longer one is not a mention
    for m, lab, canon in sorted(cands, key=lambda c: -len(c[0])):
        for mm in re.finditer(r"(?<!\w)" + re.escape(m) + r"(?!\w)", text):
            if not any(s <= mm.start() and mm.end() <= e for s, e, _, _, _ in ents):
                ents.append((mm.start(), mm.end(), lab, m, canon))
    spans = tag_text(text)
    used = set()
    res = collections.Counter()
    rows = []
    for s, e, lab, m, canon in sorted(ents):
        hit = [x for x in spans if x[0] < e and x[1] > s]
        if any(x[0] == s and x[1] == e and x[2] == lab for x in hit):
            x = [x for x in hit if x[0] == s and x[1] == e][0]
            v = "found" + ("" if x[4] == canon else " (id %s)" % x[4])
            res["found"] += 1
        elif any(x[2] == lab for x in hit):
            v = "partial: " + ", ".join("%s/%s" % (x[3], x[2]) for x in hit)
            res["partial"] += 1
        elif hit:
            v = "wrong label: " + ", ".join("%s/%s" % (x[3], x[2]) for x in hit)
            res["wrong label"] += 1
        else:
            v = "missed"
            res["missed"] += 1
        used.update(hit)
        rows.append((m, lab, v))
    extra = [x for x in spans if x not in used]
    print("| mention | label | result |\n| --- | --- | --- |")
    for m, lab, v in rows:
        print("| %s | %s | %s |" % (m, lab, v))
    n = len(ents)
    print("\nmentions %d: found %d (%.0f%%), partial %d, wrong label %d, missed %d; "
          "tagged spans that are no entity: %d%s" % (
              n, res["found"], 100.0 * res["found"] / max(1, n), res["partial"], res["wrong label"],
              res["missed"], len(extra),
              (" (" + ", ".join("%s/%s" % (x[3], x[2]) for x in extra) + ")") if extra else ""))


def cmd_spans(args):
    with open(args.file, encoding="utf-8") as f:
        text = f.read()
    if not use_binary():
        text = ntlib.norm(text)
    for s, e, lab, t, i in tag_text(text):
        print("%d\t%d\t%s\t%s\t%s" % (s, e, lab, t, i))


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("sample")
    p.add_argument("-n", type=int, default=250)
    p.add_argument("--seed", type=int, default=4)
    p = sub.add_parser("score")
    p.add_argument("--file", default=None, help="sample file (default tools/precision-sample.tsv)")
    p.add_argument("--current", action="store_true",
                   help="leave out sampled spans that the current gazetteers no longer tag")
    p = sub.add_parser("coverage")
    p.add_argument("text")
    p.add_argument("entities")
    p = sub.add_parser("spans")
    p.add_argument("file")
    args = ap.parse_args()
    {"sample": cmd_sample, "score": cmd_score, "spans": cmd_spans, "coverage": cmd_coverage}[args.cmd](args)


if __name__ == "__main__":
    main()
