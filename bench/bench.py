#!/usr/bin/env python3
"""bench.py -- time nertag and its peers side by side; write results JSON.

Called by bench/run (which builds the data first); see bench/README.md.

  bench.py [--mode quick|default|full] [--out DIR] [--only TOOL,...]
           [--gaz 10k,120k,...] [--sizes 100M,...] [--runs N] [--limit SECONDS]

For every gazetteer size and every tool configuration it measures:
  build      time to build the tool's index (nertag --compile, hs_tag -c),
             median of up to 3 runs, and the index size in bytes;
  startup    hyperfine -N median of the command on empty input (11 runs, 3 when
             one run takes more than a second); for tools without a stored
             index this includes loading the names and building the automaton;
  probe      one run on the 10 MB input, output kept to count the matches
             (line-oriented formats) and to estimate the full run's time;
  throughput median wall time of RUNS runs on the SIZE input, taken in
             rounds across the configurations of one gazetteer (stdin from the
             file, stdout to /dev/null); "scan MB/s" = size / (median -
             startup median), "wall MB/s" = size / median; peak RSS is the
             largest peak RSS of the process tree over those runs
             (/usr/bin/time %M); "startup-bound" when startup is more
             than 75% of the median: the scan figure is then unreliable;
  one-line   one run on the same text with every newline a space: time, RSS.
The "same-match" configurations time nertag with and without -i on a list
derived from each of the 10k and 120k gazetteers, gSIZE-ci.txt, on which
both modes tag exactly the same spans (bench/make_gazetteers.py
--same-match, run here with the nertag being timed when the list is
missing): their ratio is the cost of case folding alone, where the plain
lists' -i ratio also counts the 7x more matches that -i finds there.
A configuration whose estimated run time exceeds --limit seconds is skipped
and reported as such.  The results go to OUT/results.json; bench/report.py
turns them into markdown.
"""

import argparse
import datetime
import json
import os
import platform
import re
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import make_gazetteers  # noqa: E402  (a sibling script, not an installed module)

BD = os.environ.get("BENCHDATA", "/work/benchdata")
NERTAG = os.environ.get("NERTAG", os.path.join(REPO, "build", "nertag"))
HS = os.path.join(BD, "bin", "hs_tag")
PY = "/usr/bin/python3"          # Debian's, which has python3-ahocorasick
PYAC = os.path.join(HERE, "pyac_tag.py")
U8 = "env LC_ALL=C.UTF-8 "

MODES = {
    # sizes: inputs timed; gaz: gazetteers; runs: throughput runs;
    # limit: longest single run allowed (s); probe: input for the estimate.
    "quick": dict(sizes=["10M"], gaz=["10k", "120k"], runs=3, limit=20,
                  probe="10M", startup_runs=5),
    "default": dict(sizes=["100M"], gaz=["10k", "120k", "1M"], runs=5,
                    limit=180, probe="10M", startup_runs=11),
    "full": dict(sizes=["100M", "1G"], gaz=["10k", "120k", "1M", "5M"],
                 runs=5, limit=300, probe="10M", startup_runs=11),
}


def q(p):
    return shlex.quote(p)


def corpus(name):
    return os.path.join(BD, "corpus", name)


def gazfile(g):
    return os.path.join(BD, "gaz", f"g{g}.txt")


# Same-match lists only for these: g1M is g120k plus synthetic names that do
# not occur in the corpus, so its list would tell nothing new for the price
# of two more configurations on the largest index.
CI_GAZ = ("10k", "120k")


def cigazfile(g):
    return os.path.join(BD, "gaz", f"g{g}-ci.txt")


def idxfile(tool, g):
    return os.path.join(BD, "index", f"{tool}-g{g}.idx")


def nnames(g, path=None):
    with open(path or gazfile(g), "rb") as f:
        return sum(1 for line in f if line.strip() and not line.startswith(b"#"))


def run_once(cmd, stdin_path, timeout, stdout_path=os.devnull):
    """Run the shell command cmd; return dict(wall, user, sys, rss_kb, rc).

    The command runs under /usr/bin/time, whose report gives the peak RSS
    of the process tree.  (Python's own wait4 would count this Python
    process's RSS too: a child's ru_maxrss includes the memory it had
    before exec, a copy of its parent's.)
    """
    with open(stdin_path, "rb") as fin, open(stdout_path, "wb") as fout, \
            tempfile.TemporaryFile() as ferr, \
            tempfile.NamedTemporaryFile("r") as ftime:
        t0 = time.perf_counter()
        p = subprocess.Popen(["/usr/bin/time", "-q", "-f", "%M %U %S",
                              "-o", ftime.name, "sh", "-c", cmd],
                             stdin=fin, stdout=fout, stderr=ferr,
                             start_new_session=True)
        killed = []

        def kill():
            killed.append(1)
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        timer = threading.Timer(timeout, kill)
        timer.start()
        p.wait()
        wall = time.perf_counter() - t0
        timer.cancel()
        ferr.seek(0)
        err = ferr.read(400).decode("utf-8", "replace").strip()
        fields = (ftime.read().split() + ["0", "0", "0"])[:3]
    rc = p.returncode
    if killed:
        rc = -9
    return dict(wall=wall, user=float(fields[1]), sys=float(fields[2]),
                rss_kb=int(fields[0]), rc=rc, timeout=bool(killed), err=err)


def hyperfine(cmd, runs, warmup, json_path, ignore_failure=False):
    """Median seconds of cmd on empty input, measured by hyperfine."""
    # -N: no intermediate shell (whose spawn time hyperfine would otherwise
    # subtract, a correction noisier than a few-ms startup); hyperfine gives
    # the command /dev/null as stdin and discards its output.
    r = subprocess.run(["hyperfine", "-N", "--runs", str(runs), "--warmup",
                        str(warmup), "--style", "none", "--export-json",
                        json_path] + (["-i"] if ignore_failure else []) + [cmd], stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        raise RuntimeError(r.stderr.strip()[-300:])
    with open(json_path) as f:
        res = json.load(f)["results"][0]
    return dict(median=res["median"], mean=res["mean"], min=res["min"],
                stddev=res.get("stddev"), runs=len(res["times"]),
                user=res.get("user"), system=res.get("system"))


def configs(gaz, have_nertag):
    """The tool configurations for one gazetteer size."""
    g = gazfile(gaz)
    out = []
    if have_nertag:
        nt = q(NERTAG)
        ni = idxfile("nertag", gaz)
        nii = idxfile("nertag-i", gaz)
        build = f"{nt} --compile={q(ni)} -g {q(g)}"
        out += [
            dict(id="nertag-tsv", tool="nertag", desc="nertag -f tsv -g",
                 cmd=f"{nt} -f tsv -g {q(g)}", lines=True),
            dict(id="nertag-inline", tool="nertag", desc="nertag -g (inline)",
                 cmd=f"{nt} -g {q(g)}", lines=False),
            dict(id="nertag-tsv-i", tool="nertag", desc="nertag -i -f tsv -g",
                 cmd=f"{nt} -i -f tsv -g {q(g)}", lines=True),
            dict(id="nertag-idx-tsv", tool="nertag", desc="nertag -f tsv -G",
                 cmd=f"{nt} -f tsv -G {q(ni)}", build=build, index=ni,
                 lines=True),
            dict(id="nertag-idx-tsv-i", tool="nertag",
                 desc="nertag -i -f tsv -G", cmd=f"{nt} -i -f tsv -G {q(nii)}",
                 build=f"{nt} -i --compile={q(nii)} -g {q(g)}", index=nii,
                 lines=True),
            dict(id="nertag-idx-inline", tool="nertag",
                 desc="nertag -G (inline)", cmd=f"{nt} -G {q(ni)}",
                 build=build, index=ni, lines=False),
            # Both cores: against cat | cat, which uses two as well.
            dict(id="nertag-idx-tsv-j2", tool="nertag",
                 desc="nertag -j 2 -f tsv -G", cmd=f"{nt} -j 2 -f tsv -G {q(ni)}",
                 build=build, index=ni, lines=True),
        ]
        cg = cigazfile(gaz)
        if gaz in CI_GAZ and os.path.exists(cg):
            ci, cii = idxfile("nertag-ci", gaz), idxfile("nertag-ci-i", gaz)
            names = nnames(gaz, cg)
            out += [
                dict(id="nertag-ci-idx-tsv", tool="nertag",
                     desc="nertag -f tsv -G (same-match list)",
                     cmd=f"{nt} -f tsv -G {q(ci)}",
                     build=f"{nt} --compile={q(ci)} -g {q(cg)}", index=ci,
                     names=names, lines=True),
                dict(id="nertag-ci-idx-tsv-i", tool="nertag",
                     desc="nertag -i -f tsv -G (same-match list)",
                     cmd=f"{nt} -i -f tsv -G {q(cii)}",
                     build=f"{nt} -i --compile={q(cii)} -g {q(cg)}", index=cii,
                     names=names, lines=True),
            ]
    hi = idxfile("hs", gaz)
    hii = idxfile("hs-i", gaz)
    out += [
        dict(id="hyperscan", tool="hyperscan", desc="hs_tag -G (compiled db)",
             cmd=f"{q(HS)} -G {q(hi)}", build=f"{q(HS)} -g {q(g)} -c {q(hi)}",
             index=hi, lines=True),
        dict(id="hyperscan-i", tool="hyperscan",
             desc="hs_tag -i -G (ASCII caseless)", cmd=f"{q(HS)} -G {q(hii)}",
             build=f"{q(HS)} -i -g {q(g)} -c {q(hii)}", index=hii, lines=True),
        dict(id="pyahocorasick", tool="pyahocorasick", desc="pyac_tag.py",
             cmd=f"{PY} {q(PYAC)} {q(g)}", lines=True),
        dict(id="grep", tool="grep", desc="grep -F -w -o -f",
             cmd=f"{U8}grep -F -w -o -f {q(g)}", lines=True, ok_rc=(0, 1),
             pipe=True),
        dict(id="ripgrep", tool="ripgrep", desc="rg -F -w -o -f NAMES -",
             cmd=f"{U8}rg -F -w -o -f {q(g)} -", lines=True, ok_rc=(0, 1)),
    ]
    return out


def size_bytes(name):
    return os.path.getsize(corpus(f"in-{name}.txt"))


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def measure(c, size, opt, res_dir, built):
    """Measure configuration c on input SIZE; return its record."""
    good = c.get("ok_rc", (0,))      # grep and rg exit 1 when nothing matched
    # GNU grep stops at the first match when its output is /dev/null, so
    # its output goes through a pipe to cat instead.
    cmd = c["cmd"] + (" | cat" if c.get("pipe") else "")
    rec = dict(id=c["id"], tool=c["tool"], desc=c["desc"], size=size,
               gaz=c.get("gaz"), names=c.get("names"), cmd=c["cmd"] + " < IN" +
               (" | cat" if c.get("pipe") else "") + " > /dev/null")
    limit = opt.limit
    tag = f"{c['id']}-g{c.get('gaz')}-{size}"
    # 1. Build the index (once per gazetteer; shared by variants).
    if c.get("build"):
        rec["build_cmd"] = c["build"]
        key = c["build"]
        if key not in built:
            times, info = [], None
            for i in range(3):
                r = run_once(c["build"], os.devnull, limit)
                if r["rc"] != 0:
                    info = dict(error=("timeout > %ds" % limit) if r["timeout"]
                                else f"exit {r['rc']}: {r['err']}")
                    break
                times.append(r["wall"])
                info = dict(build_s=statistics.median(times),
                            build_rss_kb=r["rss_kb"], build_runs=len(times),
                            index_bytes=os.path.getsize(c["index"]))
                if r["wall"] > 5:
                    break
            built[key] = info
        info = built[key]
        if "error" in info:
            rec["skipped"] = "build failed: " + info["error"]
            return rec
        rec.update(info)
    # 2. Startup on empty input.
    r = run_once(c["cmd"], os.devnull, limit)
    if r["rc"] not in good:
        rec["skipped"] = ("timeout > %ds on empty input" % limit
                          if r["timeout"] else f"exit {r['rc']}: {r['err']}")
        return rec
    slow = r["wall"] > 1
    try:
        rec["startup"] = hyperfine(
            c["cmd"], 3 if slow else opt.startup_runs, 0 if slow else 2,
            os.path.join(res_dir, f"startup-{tag}.json"), good != (0,))
    except RuntimeError as e:
        rec["skipped"] = f"hyperfine: {e}"
        return rec
    st = rec["startup"]["median"]
    # 3. Probe run, output kept to count matches.
    probe = corpus(f"in-{opt.probe}.txt")
    psize = os.path.getsize(probe)
    with tempfile.NamedTemporaryFile(dir=res_dir) as tmp:
        r = run_once(cmd, probe, limit, tmp.name)
        if r["rc"] not in good:
            rec["skipped"] = ("timeout > %ds on the %s probe" % (limit, opt.probe)
                              if r["timeout"] else f"exit {r['rc']}: {r['err']}")
            return rec
        if c["lines"]:
            with open(tmp.name, "rb") as f:
                rec["probe_matches"] = sum(1 for _ in f)
    rec["probe_s"] = r["wall"]
    nbytes = size_bytes(size)
    est = st + max(r["wall"] - st, 0) * nbytes / psize
    rec["estimate_s"] = est
    if est > limit:
        rec["skipped"] = "est. %.0f s a run (> %d s)" % (est, limit)
        return rec
    # 4. Throughput runs happen in run_rounds(), interleaved with the other
    # configurations of the same gazetteer.
    runs = opt.runs if est * opt.runs <= 2 * limit else max(1, int(2 * limit // est))
    rec["_todo"] = dict(cmd=cmd, good=good, runs=min(runs, opt.runs), st=st,
                        nbytes=nbytes, rr=[])
    return rec


def run_rounds(recs, size, opt, with_cat=False):
    """Time the prepared configurations in rounds (run 1 of each, then run 2
    of each, ...), so that a burst of load from other processes on a shared
    machine hits every tool alike; then one run each on the one-line input.
    Each record keeps the rounds its runs were in, so that report.py can
    take a ratio round by round.  With with_cat, every round also runs
    `cat | cat`, and the record of those runs (id "cat-rounds") is returned:
    the limit measured beside each configuration rather than minutes
    before it, on a machine whose pipe speed moves from hour to hour."""
    inp = corpus(f"in-{size}.txt")
    todo = [r for r in recs if "_todo" in r]
    nround = max((r["_todo"]["runs"] for r in todo), default=0)
    cat_rr = []
    for i in range(nround):
        if with_cat:
            r = run_once("cat | cat", inp, opt.limit)
            r["round"] = i
            cat_rr.append(r)
        for rec in todo:
            t = rec["_todo"]
            if "skipped" in rec or i >= t["runs"]:
                continue
            r = run_once(t["cmd"], inp, opt.limit * 1.5)
            if r["rc"] not in t["good"]:
                rec["skipped"] = ("timeout on the %s input" % size if r["timeout"]
                                  else f"exit {r['rc']}: {r['err']}")
                continue
            r["round"] = i
            t["rr"].append(r)
    for rec in todo:
        t = rec.pop("_todo")
        if "skipped" in rec:
            continue
        rr, st, nbytes = t["rr"], t["st"], t["nbytes"]
        med = statistics.median(x["wall"] for x in rr)
        rec.update(bytes=nbytes, runs=len(rr), wall_s=med,
                   walls=[x["wall"] for x in rr],
                   rounds=[x["round"] for x in rr],
                   user_s=statistics.median(x["user"] for x in rr),
                   sys_s=statistics.median(x["sys"] for x in rr),
                   rss_kb=max(x["rss_kb"] for x in rr),
                   mbps_wall=nbytes / 1e6 / med,
                   mbps=nbytes / 1e6 / max(med - st, 1e-6),
                   startup_bound=(med - st) < 0.25 * med)
        # 5. One-line variant.
        r = run_once(t["cmd"], corpus(f"in-{size}.oneline.txt"), opt.limit * 1.5)
        if r["rc"] in t["good"]:
            rec.update(oneline_wall_s=r["wall"], oneline_rss_kb=r["rss_kb"],
                       oneline_mbps=nbytes / 1e6 / max(r["wall"] - st, 1e-6))
        else:
            rec["oneline_error"] = "timeout" if r["timeout"] else f"exit {r['rc']}"
    if not cat_rr:
        return None
    rec = cat_record("cat-rounds", "`cat \\| cat` (pipe), in the same rounds",
                     size, cat_rr)
    rec.update(rounds=[x["round"] for x in cat_rr], startup=None)
    return rec


def cat_record(rid, desc, size, rr):
    """The record of the `cat | cat` runs rr on the SIZE input."""
    nbytes = size_bytes(size)
    med = statistics.median(x["wall"] for x in rr)
    return dict(id=rid, tool="cat", desc=desc, size=size, gaz=None,
                cmd="cat < IN | cat > /dev/null", bytes=nbytes, runs=len(rr),
                wall_s=med, walls=[x["wall"] for x in rr],
                mbps=nbytes / 1e6 / med, mbps_wall=nbytes / 1e6 / med,
                user_s=statistics.median(x["user"] for x in rr),
                sys_s=statistics.median(x["sys"] for x in rr),
                rss_kb=max(x["rss_kb"] for x in rr))


def measure_cat(size, opt):
    cmd = "cat | cat"
    inp = corpus(f"in-{size}.txt")
    rr = [run_once(cmd, inp, opt.limit) for _ in range(max(opt.runs, 5))]
    rec = cat_record("cat", "cat | cat (pipe)", size, rr)
    r1 = run_once(cmd, corpus(f"in-{size}.oneline.txt"), opt.limit)
    rec.update(oneline_wall_s=r1["wall"], oneline_rss_kb=r1["rss_kb"],
               oneline_mbps=rec["bytes"] / 1e6 / r1["wall"])
    return rec


def measure_parallel(opt, have_nertag, res_dir):
    """Issue #6: parallel --pipe --keep-order speed-up on a records input."""
    size = opt.sizes[0]
    rin = corpus(f"records-{size}.tsv")
    nbytes = os.path.getsize(rin)
    out = []
    cmds = [("cat (no parallel)", "cat")]
    for j in (1, 2):
        cmds.append((f"parallel -j{j} cat", f"parallel --pipe --keep-order -j {j} cat"))
    if have_nertag:
        ni = idxfile("nertag", "120k")
        nt = f"{q(NERTAG)} -r -f tsv -G {q(ni)}"
        if os.path.exists(ni):
            cmds.append(("nertag -r (no parallel)", nt))
            for j in (1, 2):
                cmds.append((f"parallel -j{j} nertag -r",
                             f"parallel --pipe --keep-order -j {j} {nt}"))
            # --pipepart reads the file itself at block offsets: parallel's
            # fastest way to split input, for comparison.
            for j in (1, 2):
                cmds.append((f"parallel --pipepart --block 10M -j{j} nertag -r",
                             f"parallel --pipepart -a {q(rin)} --block 10M "
                             f"--keep-order -j {j} {nt}"))
    for name, cmd in cmds:
        rr = []
        for _ in range(3):
            r = run_once(cmd, rin, opt.limit)
            if r["rc"] != 0:
                break
            rr.append(r)
        rec = dict(name=name, cmd=cmd + " < RECORDS > /dev/null", size=size,
                   bytes=nbytes)
        if len(rr) < 3:
            rec["error"] = "timeout" if r["timeout"] else f"exit {r['rc']}: {r['err']}"
        else:
            med = statistics.median(x["wall"] for x in rr)
            rec.update(wall_s=med, mbps=nbytes / 1e6 / med,
                       user_s=statistics.median(x["user"] for x in rr),
                       sys_s=statistics.median(x["sys"] for x in rr),
                       rss_kb=max(x["rss_kb"] for x in rr))
        log("  parallel:", name, rec.get("wall_s", rec.get("error")))
        out.append(rec)
    return out


def machine():
    def sh(cmd):
        try:
            return subprocess.run(cmd, shell=True, capture_output=True,
                                  text=True).stdout.strip()
        except OSError:
            return ""
    lscpu = sh("lscpu")
    model = re.search(r"Model name:\s*(.*)", lscpu)
    mem = sh("awk '/MemTotal/ {print $2}' /proc/meminfo")
    return dict(
        date=datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        cpu=model.group(1) if model else platform.processor(),
        cores=os.cpu_count(),
        mem_gib=round(int(mem) / 1048576, 1) if mem else None,
        kernel=platform.release(),
        load=os.getloadavg(),
        versions=dict(
            nertag=sh(f"{q(NERTAG)} --version 2>&1 | head -1"),
            repo=sh(f"git -C {q(REPO)} log -1 --format='%h %cd' --date=iso"),
            hyperscan=sh("pkg-config --modversion libhs"),
            pyahocorasick=sh("dpkg-query -W -f '${Version}' python3-ahocorasick"),
            python=sh(f"{PY} --version"),
            grep=sh("grep --version | head -1"),
            ripgrep=sh("rg --version | head -1"),
            parallel=sh("parallel --version | head -1"),
            hyperfine=sh("hyperfine --version"),
            cc=sh("cc --version | head -1"),
        ))


def nertag_ok():
    """Is there a working nertag binary?  Returns (ok, reason)."""
    if not os.access(NERTAG, os.X_OK):
        return False, f"{NERTAG} not built"
    with tempfile.TemporaryDirectory() as d:
        g = os.path.join(d, "LOC.txt")
        with open(g, "w") as f:
            f.write("Paris\n")
        try:
            r = subprocess.run([NERTAG, "-f", "tsv", "-g", g],
                               input=b"in Paris.\n", capture_output=True,
                               timeout=10)
        except (OSError, subprocess.TimeoutExpired) as e:
            return False, f"smoke test failed: {e}"
        if r.returncode != 0 or b"Paris" not in r.stdout:
            return False, ("smoke test failed: exit %d %s" %
                           (r.returncode, r.stderr.decode(errors="replace")[:200]))
    return True, ""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mode", choices=MODES, default="default")
    ap.add_argument("--out")
    ap.add_argument("--only", help="comma-separated tool ids or tools")
    ap.add_argument("--gaz")
    ap.add_argument("--sizes")
    ap.add_argument("--runs", type=int)
    ap.add_argument("--limit", type=float)
    ap.add_argument("--no-parallel", action="store_true")
    opt = ap.parse_args()
    for k, v in MODES[opt.mode].items():
        if getattr(opt, k, None) is None:
            setattr(opt, k, v)
    if isinstance(opt.gaz, str):
        opt.gaz = opt.gaz.split(",")
    if isinstance(opt.sizes, str):
        opt.sizes = opt.sizes.split(",")
    only = set(opt.only.split(",")) if opt.only else None
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    res_dir = opt.out or os.path.join(BD, "results", f"{stamp}-{opt.mode}")
    os.makedirs(res_dir, exist_ok=True)
    os.makedirs(os.path.join(BD, "index"), exist_ok=True)
    # Time a private copy of nertag: the binary in build/ may be rebuilt by
    # someone else during the run (and its index format may change with it).
    global NERTAG
    if os.access(NERTAG, os.X_OK):
        snap = os.path.join(res_dir, "nertag")
        shutil.copy2(NERTAG, snap)
        NERTAG = snap
    have_nt, why = nertag_ok()
    log(f"nertag: {'found' if have_nt else 'not measured: ' + why}")
    if have_nt and (not only or only & {"nertag", "nertag-ci-idx-tsv",
                                        "nertag-ci-idx-tsv-i"}):
        for g in opt.gaz:
            if g in CI_GAZ and not os.path.exists(cigazfile(g)):
                log(f"deriving {cigazfile(g)}")
                make_gazetteers.same_match(NERTAG, corpus("corpus.txt"),
                                           gazfile(g), cigazfile(g))
    results = dict(mode=opt.mode, machine=machine(), nertag=have_nt,
                   nertag_note=why, nertag_path=NERTAG, limit_s=opt.limit,
                   runs=opt.runs, probe=opt.probe, records=[], parallel=[],
                   gazetteers={g: dict(path=gazfile(g), names=nnames(g),
                                       bytes=os.path.getsize(gazfile(g)))
                               for g in opt.gaz},
                   same_match={g: dict(path=cigazfile(g),
                                       names=nnames(g, cigazfile(g)),
                                       bytes=os.path.getsize(cigazfile(g)))
                               for g in opt.gaz if g in CI_GAZ and
                               os.path.exists(cigazfile(g))},
                   inputs={s: dict(path=corpus(f"in-{s}.txt"),
                                   bytes=size_bytes(s)) for s in opt.sizes})
    path = os.path.join(res_dir, "results.json")

    def save():
        with open(path + ".tmp", "w") as f:
            json.dump(results, f, indent=1)
        os.replace(path + ".tmp", path)

    built = {}
    for size in opt.sizes:
        too_slow = {}    # config id -> gazetteer that already hit the limit
        if not only or "cat" in only:
            log(f"[{size}] cat")
            results["records"].append(measure_cat(size, opt))
            save()
        for g in opt.gaz:
            recs = []
            for c in configs(g, have_nt):
                if only and c["id"] not in only and c["tool"] not in only:
                    continue
                c["gaz"] = g
                t0 = time.time()
                if c["id"] in too_slow:
                    rec = dict(id=c["id"], tool=c["tool"], desc=c["desc"],
                               size=size, gaz=g, cmd=c["cmd"] + " < IN > /dev/null",
                               skipped="already over the limit with the "
                               f"{too_slow[c['id']]} gazetteer")
                else:
                    rec = measure(c, size, opt, res_dir, built)
                if "timeout" in rec.get("skipped", "") or \
                        "est." in rec.get("skipped", ""):
                    too_slow[c["id"]] = g
                rec["elapsed_s"] = time.time() - t0
                if "skipped" in rec:
                    log(f"[{size}] g{g} {c['id']}: skipped ({rec['skipped']})")
                else:
                    log(f"[{size}] g{g} {c['id']}: startup %.1f ms, est. %.1f s a run"
                        % (rec["startup"]["median"] * 1e3, rec["estimate_s"]))
                recs.append(rec)
            log(f"[{size}] g{g}: timing in rounds")
            catr = run_rounds(recs, size, opt,
                              with_cat=not only or "cat" in only)
            if catr:
                catr["gaz"] = g
                recs.append(catr)
            for rec in recs:
                if "mbps" in rec:
                    log(f"[{size}] g{g} {rec['id']}: %.1f MB/s scan, %.1f MB/s wall, "
                        "rss %d MiB" % (rec["mbps"], rec["mbps_wall"],
                                        rec["rss_kb"] // 1024))
            results["records"] += recs
            save()
    if not opt.no_parallel and (not only or "parallel" in only):
        results["parallel"] = measure_parallel(opt, have_nt, res_dir)
    results["machine"]["load_end"] = os.getloadavg()
    save()
    print(path)


if __name__ == "__main__":
    main()
