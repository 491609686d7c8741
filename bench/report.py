#!/usr/bin/env python3
"""report.py -- turn bench.py's results.json into markdown tables.

Usage: bench/report.py RESULTS.json [--readme bench/README.md]

Prints the tables; with --readme, also replaces the text between the lines
`<!-- results:begin -->` and `<!-- results:end -->` of that file.
"""

import json
import os
import statistics
import sys

PEERS = ["hyperscan", "pyahocorasick", "grep", "ripgrep"]
NT = ["nertag-tsv", "nertag-inline", "nertag-tsv-i", "nertag-idx-tsv",
      "nertag-idx-tsv-i", "nertag-idx-inline", "nertag-idx-tsv-j2"]


def f1(x, nd=1):
    if x is None:
        return "–"
    if x >= 100:
        return f"{x:,.0f}"
    return f"{x:.{nd}f}"


def mib(kb):
    return "–" if kb is None else f"{kb / 1024:.0f}"


def bsize(n):
    if n is None:
        return "–"
    if n >= 1 << 20:
        return f"{n / (1 << 20):.1f} MiB"
    return f"{n / 1024:.0f} KiB"


def ms(st):
    if not st:
        return "–"
    v = st["median"] * 1e3
    return f"{v:,.0f}" if v >= 100 else f"{v:.1f}"


def find(recs, rid, g, size):
    for r in recs:
        if r["id"] == rid and r.get("gaz") == g and r["size"] == size:
            return r
    return None


def sc(r):
    """Scan throughput; only a star when the run is mostly startup."""
    return "*" if r.get("startup_bound") else f1(r["mbps"])


def oneline(r):
    """One-line throughput, on wall time when the run is mostly startup."""
    if r.get("oneline_wall_s") is None:
        return "–"
    st = r["startup"]["median"] if r.get("startup") else 0
    if r["oneline_wall_s"] - st < 0.25 * r["oneline_wall_s"]:
        return f1(r["bytes"] / 1e6 / r["oneline_wall_s"]) + " (wall)"
    return f1(r["oneline_mbps"])


def rate(r):
    """(MB/s, kind) used for ratios: scan, or wall when startup-bound."""
    if r.get("startup_bound"):
        return r["mbps_wall"], "w"
    return r["mbps"], ""


def paired(a, b, wall):
    """a's throughput over b's, round by round: the median of the per-round
    ratios, or None if the two were not timed in at least three common
    rounds.  A noisy machine slows a whole round; this cancels that where
    a ratio of medians, each from its own runs, would not."""
    ra, rb = a.get("rounds"), b.get("rounds")
    if not ra or not rb:
        return None
    sa = 0 if wall or not a.get("startup") else a["startup"]["median"]
    sb = 0 if wall or not b.get("startup") else b["startup"]["median"]
    wb = dict(zip(rb, b["walls"]))
    rs = [max(wb[i] - sb, 1e-6) / max(w - sa, 1e-6)
          for i, w in zip(ra, a["walls"]) if i in wb]
    return statistics.median(rs) if len(rs) >= 3 else None


def ratio(a, b):
    """Text for a/b throughput; 'w' when wall figures had to be used.
    Paired round by round (paired()) where both were timed in the same
    rounds, else the ratio of their medians."""
    (x, kx), (y, ky) = rate(a), rate(b)
    wall = bool(kx or ky)
    p = paired(a, b, wall)
    if p is not None:
        return p, " (wall)" if wall else ""
    if wall:
        x, y = a["mbps_wall"], b["mbps_wall"]
        return x / y, " (wall)"
    return x / y, ""


def cpu_mbps(r, res_dir):
    """Throughput on CPU time: size / (user+sys median - startup user+sys).

    Less sensitive than wall time to other processes on a shared machine.
    Startup CPU comes from hyperfine (mean user and system time).
    """
    if "user_s" not in r:
        return None
    if r["tool"] == "cat":
        cpu = r["user_s"] + r["sys_s"]
        return r["bytes"] / 1e6 / cpu if cpu > 0.01 else None
    if not r.get("startup"):
        return None
    st = r["startup"]
    if st.get("user") is None and res_dir:
        path = os.path.join(res_dir, f"startup-{r['id']}-g{r.get('gaz')}-{r['size']}.json")
        try:
            with open(path) as f:
                h = json.load(f)["results"][0]
            st = dict(st, user=h["user"], system=h["system"])
        except (OSError, KeyError, ValueError):
            return None
    cpu = r["user_s"] + r["sys_s"] - st["user"] - st["system"]
    return r["bytes"] / 1e6 / cpu if cpu > 0.01 else None


def ok(r):
    return r is not None and "skipped" not in r and "mbps" in r


def cat_for(recs, g, size):
    """The `cat | cat` to set against gazetteer g: the one timed in its
    rounds, or else (older results) the one timed on its own."""
    return find(recs, "cat-rounds", g, size) or find(recs, "cat", None, size)


def table(res, size):
    recs = res["records"]
    out = []
    nb = res["inputs"][size]["bytes"]
    out.append(f"#### Input {size} ({nb:,} bytes; one-line variant the same bytes "
               f"with newlines as spaces)\n")
    out.append("| gazetteer | tool / configuration | scan MB/s | wall MB/s | "
               "CPU MB/s | one-line MB/s | startup ms | build s | index | RSS MiB | "
               "RSS one-line MiB | matches in 10 MB | note |")
    out.append("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|")
    cat = find(recs, "cat", None, size)
    if cat:
        out.append(f"| – | `cat \\| cat` (pipe) | {f1(cat['mbps'])} | "
                   f"{f1(cat['mbps_wall'])} | "
                   f"{f1(cpu_mbps(cat, None))} | "
                   f"{f1(cat['oneline_mbps'])} | – | – | – | "
                   f"{mib(cat['rss_kb'])} | {mib(cat['oneline_rss_kb'])} | – | "
                   "physical limit |")
    for g, gi in res["gazetteers"].items():
        for r in recs:
            if r.get("gaz") != g or r["size"] != size:
                continue
            idx = "–"
            if r.get("index_bytes"):
                # The same-match configurations index a shorter list.
                idx = "%s (%.0f B/name)" % (bsize(r["index_bytes"]),
                                            r["index_bytes"] /
                                            (r.get("names") or gi["names"]))
            if "skipped" in r:
                out.append(f"| {g} | {r['desc']} | – | – | – | – | {ms(r.get('startup'))} | "
                           f"{f1(r.get('build_s'), 2)} | {idx} | – | – | "
                           f"{r.get('probe_matches', '–')} | skipped: "
                           f"{r['skipped']} |")
                continue
            note = []
            if r["runs"] < res["runs"]:
                note.append(f"{r['runs']} run(s)")
            if r.get("oneline_error"):
                note.append("one-line: " + r["oneline_error"])
            out.append(
                f"| {g} | {r['desc']} | {sc(r)} | {f1(r['mbps_wall'])} | "
                f"{f1(cpu_mbps(r, res.get('_dir')))} | "
                f"{oneline(r)} | {ms(r['startup'])} | "
                f"{f1(r.get('build_s'), 2)} | {idx} | {mib(r['rss_kb'])} | "
                f"{mib(r.get('oneline_rss_kb'))} | "
                f"{r.get('probe_matches', '–')} | {'; '.join(note)} |")
    out.append("\n\\* startup (empty-input time) is more than 75% of the run: "
               "no reliable scan figure (size ÷ (run − startup)); see wall MB/s.")
    return out


def ratios(res, size):
    recs = res["records"]
    out = ["", f"#### Ratios nertag / peer (scan throughput, same run, input {size}; "
           "the median of the ratios of the runs in one round where both were "
           "timed in the same rounds, `cat` in the gazetteer's own rounds; "
           "\"(wall)\": wall-clock figures, startup included, because one side "
           "is startup-bound)\n"]
    if not res["nertag"]:
        out.append(f"nertag not measured in this run ({res['nertag_note']}).")
        return out
    out.append("| gazetteer | nertag configuration | ÷ hyperscan | ÷ pyahocorasick "
               "| ÷ grep | ÷ ripgrep | cat ÷ nertag |")
    out.append("|---|---|--:|--:|--:|--:|--:|")
    for g in res["gazetteers"]:
        cat = cat_for(recs, g, size)
        for nid in NT:
            n = find(recs, nid, g, size)
            if not ok(n):
                continue
            cells = []
            for p in PEERS:
                pr = find(recs, p, g, size)
                if ok(pr):
                    x, k = ratio(n, pr)
                    cells.append(f"{x:.2f}×{k}")
                else:
                    cells.append("–")
            if ok(cat):
                x, k = ratio(cat, n)
                cells.append(f"{x:.2f}×{k}")
            else:
                cells.append("–")
            out.append(f"| {g} | {n['desc']} | " + " | ".join(cells) + " |")
    return out


def targets(res, size):
    recs = res["records"]
    out = ["", f"#### Targets (input {size})\n"]
    if not res["nertag"]:
        out.append("Not checked: nertag not measured in this run.")
        return out
    out.append("| target | measured | met |")
    out.append("|---|---|---|")

    def row(name, val, good):
        out.append(f"| {name} | {val} | {'yes' if good else 'NO'} |")

    def get(rid, g):
        r = find(recs, rid, g, size)
        return r if ok(r) else None

    def rss_row(r, g, how):
        if ok(r) and r.get("index_bytes"):
            lim = r["index_bytes"] / 1024 + 16 * 1024
            worst = max(r["rss_kb"], r.get("oneline_rss_kb") or 0)
            row(f"peak RSS ≤ index + 16 MiB ({g}{how}, 100 MB and one-line)",
                f"{worst / 1024:.1f} MiB vs {lim / 1024:.1f} MiB", worst <= lim)

    for g in ("10k", "120k"):
        n, h = get("nertag-idx-tsv", g), get("hyperscan", g)
        if n and h:
            x, k = ratio(n, h)
            row(f"tsv ≥ 1.2× Hyperscan at {g} (-G vs compiled db)",
                f"{x:.2f}×{k}", x >= 1.2)
    n, p = get("nertag-idx-tsv", "1M"), get("pyahocorasick", "1M")
    if n and p:
        x, k = ratio(n, p)
        row("tsv ≥ 10× pyahocorasick at 1M (-G)", f"{x:.2f}×{k}", x >= 10)
    for g in res["gazetteers"]:
        for how, ts, il, ci in (("-g", "nertag-tsv", "nertag-inline", "nertag-tsv-i"),
                                ("-G", "nertag-idx-tsv", "nertag-idx-inline",
                                 "nertag-idx-tsv-i")):
            t, i, c = get(ts, g), get(il, g), get(ci, g)
            if t and i:
                x, k = ratio(t, i)
                row(f"inline within 1.3× of tsv ({g}, {how})",
                    f"tsv/inline {x:.2f}{k}", x <= 1.3)
            if t and c:
                x, k = ratio(t, c)
                row(f"-i within 1.5× of case-sensitive ({g}, {how})",
                    f"{x:.2f}{k}", x <= 1.5)
        # The same target where -i finds exactly the matches the case-
        # sensitive run finds: the cost of folding without that of more
        # output.  Equal match counts on the probe are part of the check.
        t, c = get("nertag-ci-idx-tsv", g), get("nertag-ci-idx-tsv-i", g)
        if t and c:
            x, k = ratio(t, c)
            mt, mc = t.get("probe_matches"), c.get("probe_matches")
            same = mt is not None and mt == mc
            row(f"-i within 1.5× of case-sensitive, same matches ({g}-ci, -G)",
                f"{x:.2f}{k}; matches in 10 MB {mt if mt is None else f'{mt:,}'} / "
                f"{mc if mc is None else f'{mc:,}'}"
                + ("" if same else " (differ: list not same-match)"),
                x <= 1.5 and same)
    r = find(recs, "nertag-idx-tsv", "1M", size)
    if r and r.get("startup"):
        v = r["startup"]["median"] * 1e3
        row("startup from the 1M index < 5 ms (median of %d)" % r["startup"]["runs"],
            f"{v:.2f} ms", v < 5)
    if r and r.get("build_s") is not None:
        row("building the 1M index < 2 s", f"{r['build_s']:.2f} s", r["build_s"] < 2)
    for g, gi in res["gazetteers"].items():
        r = find(recs, "nertag-idx-tsv", g, size)
        if r and r.get("index_bytes"):
            b = r["index_bytes"] / gi["names"]
            row(f"index ≤ 64 B/name ({g})", f"{b:.1f} B/name", b <= 64)
        rss_row(r, g, "")
    for g in res["gazetteers"]:
        cat = cat_for(recs, g, size)
        # -j 2 uses both cores, as cat | cat does.
        for rid, how in (("nertag-idx-tsv", ""), ("nertag-idx-tsv-j2", ", -j 2")):
            n = get(rid, g)
            if n and ok(cat):
                x, k = ratio(cat, n)
                row(f"within 5× of cat ({g}, tsv from index{how})",
                    f"{x:.2f}×{k}", x <= 5)
        rss_row(find(recs, "nertag-idx-tsv-j2", g, size), g, ", -j 2")
    return out


def parallel(res):
    if not res.get("parallel"):
        return []
    out = ["", "#### parallel --pipe --keep-order (issue #6), records input "
           f"{res['parallel'][0]['size']} ({res['parallel'][0]['bytes']:,} bytes)\n",
           "| command | wall s | MB/s | user s | sys s | note |", "|---|--:|--:|--:|--:|---|"]
    for r in res["parallel"]:
        if "error" in r:
            out.append(f"| `{r['name']}` | – | – | – | – | {r['error']} |")
        else:
            out.append(f"| `{r['name']}` | {r['wall_s']:.2f} | {f1(r['mbps'])} | "
                       f"{r['user_s']:.2f} | {r['sys_s']:.2f} | |")
    by = {r["name"]: r for r in res["parallel"] if "error" not in r}
    st = [r["startup"]["median"] for r in res["records"]
          if r["id"] == "nertag-idx-tsv" and r.get("gaz") == "120k"
          and r.get("startup")]
    if st:
        nblk = res["parallel"][0]["bytes"] / (1 << 20)
        out.append(f"\nPer-process startup of `nertag -f tsv -G` (120k index, empty "
                   f"input, hyperfine median): {st[0] * 1e3:.1f} ms; parallel "
                   f"starts one process per 1 MiB block (its default --block), "
                   f"about {nblk:.0f} here, so {st[0] * nblk:.2f} s of startup in all.")
    for pre, tool in (("parallel", "cat"), ("parallel", "nertag -r"),
                      ("parallel --pipepart --block 10M", "nertag -r")):
        a, b = by.get(f"{pre} -j1 {tool}"), by.get(f"{pre} -j2 {tool}")
        if a and b:
            out.append(f"\nSpeed-up of -j2 over -j1 for `{pre} … {tool}`: "
                       f"{a['wall_s'] / b['wall_s']:.2f}×.")
    return out


def render(res):
    m = res["machine"]
    out = [f"### Run of {m['date']} (mode `{res['mode']}`)\n",
           f"Machine: {m['cpu']}, {m['cores']} cores, {m['mem_gib']} GiB RAM, "
           f"Linux {m['kernel']}; load average at start "
           f"{m['load'][0]:.2f}, at end {m.get('load_end', [0])[0]:.2f}. "
           f"Throughput: median of {res['runs']} runs (fewer where noted); "
           f"runs longer than {res['limit_s']:.0f} s skipped.\n",
           "Versions: " + "; ".join(f"{k} {v}" for k, v in m["versions"].items() if v)
           + "\n",
           "Gazetteers: " + ", ".join(
               [f"{g} = {gi['names']:,} names"
                for g, gi in res["gazetteers"].items()] +
               [f"{g}-ci = {gi['names']:,} names (same-match list from {g})"
                for g, gi in res.get("same_match", {}).items()]) + "\n"]
    if not res["nertag"]:
        out.append(f"**nertag not measured in this run:** {res['nertag_note']}.\n")
    for size in res["inputs"]:
        out += table(res, size)
        out += ratios(res, size)
        out += targets(res, size)
        out.append("")
    out += parallel(res)
    return "\n".join(out) + "\n"


def main():
    args = sys.argv[1:]
    readme = None
    if "--readme" in args:
        i = args.index("--readme")
        readme = args[i + 1]
        del args[i:i + 2]
    if len(args) != 1:
        sys.exit(__doc__)
    with open(args[0]) as f:
        res = json.load(f)
    res["_dir"] = os.path.dirname(os.path.abspath(args[0]))
    md = render(res)
    sys.stdout.write(md)
    if readme:
        with open(readme) as f:
            text = f.read()
        b, e = "<!-- results:begin -->", "<!-- results:end -->"
        if b in text and e in text:
            text = text[:text.index(b) + len(b)] + "\n" + md + text[text.index(e):]
            with open(readme + ".tmp", "w") as f:
                f.write(text)
            os.replace(readme + ".tmp", readme)
        else:
            print(f"report.py: no markers in {readme}", file=sys.stderr)


if __name__ == "__main__":
    main()
