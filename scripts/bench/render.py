#!/usr/bin/env python3
"""Writes docs/PERFORMANCE.md from the results of one scripts/bench.sh run.

usage: render.py WORK_DIR OUT_MD

Every number in the document comes from WORK_DIR (env.txt, <process>/{fortran,cpp}-*.txt,
prepare.json, jmh.json, native.txt, threads*.txt, stream*.txt, startup.txt); the explanatory text,
each target's verdict and the explanation of a missed target are chosen by the measured outcome.
"""
import json
import math
import os
import statistics
import sys

work, out_md = sys.argv[1], sys.argv[2]


def read_env():
    env = {}
    for line in open(os.path.join(work, "env.txt")):
        if "=" in line:
            k, v = line.rstrip("\n").split("=", 1)
            env[k] = v
    return env


env = read_env()
processes = env["processes"].split()
prepare = json.load(open(os.path.join(work, "prepare.json")))
# Other processes' share of the machine during each JMH iteration (warm-up included), in order.
contention = {}
cpath = os.path.join(work, "contention.txt")
if os.path.exists(cpath):
    for line in open(cpath):
        f = line.split()
        if len(f) == 3:
            contention.setdefault((f[0], f[1]), []).append(float(f[2]))

CLEAN = 0.10   # an iteration or run counts as undisturbed when others used < 10% of the machine

jmh = {}
for e in json.load(open(os.path.join(work, "jmh.json"))):
    key = (e["params"]["process"], e["params"]["variant"])
    its = [x for fork in e["primaryMetric"]["rawData"] for x in fork]
    shares = contention.get(key, [])[-len(its):] if key in contention else []
    # Other work on the machine only ever adds time, so the fastest undisturbed iteration is the
    # estimate; each iteration is itself the average over many calls. When no iteration was
    # undisturbed, the fastest one is reported and marked.
    clean = [t for t, c in zip(its, shares) if c < CLEAN] if len(shares) == len(its) else []
    best = min(clean) if clean else min(its)
    jmh[key] = dict(best=best, median=statistics.median(its), disturbed=not clean and len(shares) == len(its),
                    clean=len(clean), n=len(its))


def native(p, name):
    """A native driver run: {mode: (min_us, median_us)}, good helicities, flags, |M|^2, contention."""
    path = os.path.join(work, p, name + ".txt")
    if not os.path.exists(path):
        return None
    r = {"modes": {}, "median": {}, "me": [], "flags": "", "good": None, "other": None}
    for line in open(path):
        f = line.split()
        if not f:
            continue
        if f[0] == "RESULT":
            r["modes"][f[1]] = float(f[f.index("min_us") + 1])
            r["median"][f[1]] = float(f[f.index("median_us") + 1])
        elif f[0] == "ME":
            r["me"].append(float(f[2]))
        elif f[0] == "GOODHEL":
            r["good"] = (int(f[1]), int(f[2]))
        elif f[0] == "FLAGS":
            r["flags"] = " ".join(f[1:])
        elif f[0] == "CONTENTION":
            r["other"] = float(f[1])
    return r


def me_reference(p):
    return [float(x) for x in open(os.path.join(work, p, "me.txt")) if x.strip()]


def esc(text):
    """A table cell: '|' (as in |M|²) would end the cell."""
    return text.replace("|", "\\|")


def fmt_us(x):
    if x is None:
        return "—"
    if x >= 1000:
        return f"{x:,.0f}"
    if x >= 100:
        return f"{x:.0f}"
    if x >= 10:
        return f"{x:.1f}"
    return f"{x:.2f}"


def fmt_ratio(x):
    if x is None:
        return "—"
    if x >= 100:
        return f"{x:.0f}×"
    if x >= 10:
        return f"{x:.1f}×"
    return f"{x:.2f}×"


def jmh_us(p, v):
    s = jmh.get((p, v))
    return None if s is None else s["best"]


DAGGER = "†"


def jmh_cell(p, v):
    s = jmh.get((p, v))
    if s is None:
        return "—"
    mark = DAGGER if s["disturbed"] else ""
    return f"{fmt_us(s['best'])}{mark} <sub>median {fmt_us(s['median'])}</sub>"


def native_cell(r, mode):
    mark = DAGGER if r["other"] is not None and r["other"] >= CLEAN else ""
    return f"{fmt_us(r['modes'][mode])}{mark} <sub>median {fmt_us(r['median'][mode])}</sub>"


def compile_range(prep):
    """Emit + javac time over the distinct ports (reverse 8/all reuse the reverse-4 class)."""
    comp = [v for k, v in prep.get("compile_s", {}).items() if k not in ("reverse-8", "reverse-all")]
    return f"{min(comp):.1f}–{max(comp):.1f} s" if comp else "?"


def process_meta(p):
    meta = {}
    for line in open(os.path.join(work, p, "process.txt")):
        k, v = line.rstrip("\n").split("=", 1)
        meta[k] = v
    return meta


# ------------------------------------------------------------------ per-process numbers
R = {}
for p in processes:
    meta = process_meta(p)
    d = int(meta["d"])
    fs, fn = native(p, "fortran-shipped"), native(p, "fortran-native")
    fx = native(p, "fortran-nofma")
    cs, cn = native(p, "cpp-shipped"), native(p, "cpp-native")
    ref = me_reference(p)
    native_err = 0.0
    for r in (fs, fn, cs, cn):
        if r:
            for a, b in zip(r["me"], ref):
                native_err = max(native_err, abs(a - b) / abs(b))
    base = fn["modes"]["filtered"] if fn else (cn["modes"]["filtered"] if cn else None)
    base_name = "Fortran -O3 -march=native" if fn else "C++ -O3 -march=native"
    primal = jmh_us(p, "primal")
    fwd = {k: jmh_us(p, f"forward-{k}") for k in ("4", "8", "all")}
    rev = {k: jmh_us(p, f"reverse-{k}") for k in ("4", "8", "all")}
    # forward cost model t(n) = a + b n through the three measured direction counts
    xs = [min(4, d), min(8, d), d]
    ys = [fwd["4"], fwd["8"], fwd["all"]]
    fit = None
    if None not in ys and len(set(xs)) > 1:
        mx, my = statistics.mean(xs), statistics.mean(ys)
        b = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
        fit = (my - b * mx, b)
    good = (fn or fs)["good"] if (fn or fs) else None
    proved = prepare.get(p, {}).get("helicities_proved_zero")
    # Helicity combinations each side evaluates per point: MadGraph's filtered steady state keeps the
    # ones non-zero at its first calls, megrad all but those it proved zero.
    hel = None
    if good and proved is not None:
        hel = dict(ncomb=good[1], fortran=good[0], java=good[1] - proved, proved=proved)
    R[p] = dict(meta=meta, d=d, fs=fs, fn=fn, fx=fx, cs=cs, cn=cn, base=base, base_name=base_name, primal=primal,
                fwd=fwd, rev=rev, fit=fit, prep=prepare.get(p, {}), native_err=native_err, good=good, hel=hel)

largest = [p for p in ("uux_ttxgg", "gg_ttxg") if p in R] or processes[-1:]


def ratio(a, b):
    return None if a is None or b is None or b == 0 else a / b


def same_work(p):
    """The Fortran time doing the same helicity work as the Java primal, and its label, or (None, None)."""
    r = R[p]
    h = r["hel"]
    if not r["fn"] or not h:
        return None, None
    if h["java"] == h["fortran"]:
        return r["fn"]["modes"]["filtered"], "filtered"
    if h["java"] == h["ncomb"]:
        return r["fn"]["modes"]["fullsum"], "full-helicity-sum"
    return None, None


# ------------------------------------------------------------------ start-up
startup = {}
startup_wrt = ""
startup_cmd = ""
startup_d = 0
for line in open(os.path.join(work, "startup.txt")):
    f = line.split(None, 1)
    if f[0] == "wrt":
        startup_wrt = f[1].strip()
    elif f[0] == "command":
        startup_cmd = f[1].strip()
    elif f[0] == "d":
        startup_d = int(f[1])
    else:
        startup.setdefault(f[0], []).append(float(f[1]))
med = {k: statistics.median(v) for k, v in startup.items()}


def kv(name):
    """A results file of 'key value' lines ({} when this part did not run)."""
    d = {}
    path = os.path.join(work, name)
    if os.path.exists(path):
        for line in open(path):
            f = line.rstrip("\n").split(None, 1)
            if len(f) == 2:
                d[f[0]] = f[1]
    return d


# ------------------------------------------------------------------ native backend vs Java (issue 4)
def best_of(reps):
    """(best, median, disturbed) over (µs, others' share) repetitions, by the statistic of the JMH tables."""
    its = [t for t, _ in reps]
    clean = [t for t, c in reps if not math.isnan(c) and c < CLEAN]
    return (min(clean) if clean else min(its)), statistics.median(its), not clean


NAT = {}
npath = os.path.join(work, "native.txt")
if os.path.exists(npath):
    cur = None
    for line in open(npath):
        f = line.split()
        if not f:
            continue
        if f[0] == "PROCESS":
            cur = NAT.setdefault(f[1], {"d": 0, "build": {}, "check": {}, "reps": {}})
        elif f[0] == "DIRECTIONS":
            cur["d"] = int(f[1])
        elif f[0] == "BUILD":
            cur["build"][f[1]] = float(f[2])
        elif f[0] == "CHECK":
            cur["check"][f[1]] = float(f[2])
        elif f[0] == "TIME":
            cur["reps"].setdefault(f[1], []).append((float(f[2]), float(f[3])))
    for v in NAT.values():
        v["time"] = {k: best_of(r) for k, r in v["reps"].items()}
native_processes = env.get("native_processes", "").split() or list(NAT)
codipack = bool(env.get("codipack")) or any("codipack-reverse" in v["time"] for v in NAT.values())


def nat(p, label):
    t = NAT.get(p, {}).get("time", {}).get(label)
    return None if t is None else t[0]


def nat_cell(p, label):
    t = NAT.get(p, {}).get("time", {}).get(label)
    if t is None:
        return "—"
    return f"{fmt_us(t[0])}{DAGGER if t[2] else ''} <sub>median {fmt_us(t[1])}</sub>"


# ------------------------------------------------------------------ threads and streaming (issue 6)
TH = kv("threads.txt")
TH_RUN = {(k, t): kv(f"threads-{k}-{t}.txt") for k in ("gradient", "primal") for t in (1, 2)}
TH_RUN = {key: v for key, v in TH_RUN.items() if v}
ST = kv("stream.txt")
ST_SAMPLE, ST_EVAL = kv("stream-sample.txt"), kv("stream-eval.txt")


def speedup(kind):
    one, two = TH_RUN.get((kind, 1)), TH_RUN.get((kind, 2))
    return ratio(float(one["wall_s"]), float(two["wall_s"])) if one and two else None


def mib(kb):
    return f"{int(kb) / 1024:.0f} MiB"


def size(nbytes):
    return f"{nbytes / 1e9:.2f} GB" if nbytes >= 1e9 else (f"{nbytes / 1e6:.1f} MB" if nbytes >= 1e5 else f"{nbytes / 1e3:.0f} kB")


def secs(x):
    return f"{x:.0f} s" if x >= 10 else f"{x:.1f} s"


def tape_bytes(prep):
    """Per-point tape: a 4-byte address and two 8-byte partials per leaf, a target and a count per record, 8 bytes per recorded call value."""
    return prep["tape_leaves"] * 20 + prep["tape_records"] * 9 + max(prep.get("tape_values", 0), 0) * 8


def busy_mark(run):
    """† when others used ≥ 10% of the machine during a whole-process run."""
    return DAGGER if run and float(run.get("other_share", 0)) >= CLEAN else ""


def run_command():
    """This run's command, with machine-specific paths replaced by what they stand for."""
    cmd = env.get("command", "scripts/bench.sh")
    out = []
    for word in cmd.split(" "):
        if word.startswith("CODIPACK_INCLUDE="):
            word = "CODIPACK_INCLUDE=/path/to/CoDiPack/include"
        elif word.startswith("MEGRAD_CORPUS="):
            word = "MEGRAD_CORPUS=/path/to/corpus"
        out.append(word)
    return " ".join(out)

# ------------------------------------------------------------------ document
L = []
w = L.append
w("# Performance")
w("")
w("Generated by `scripts/bench.sh` on " + env["date"] + f" at commit `{env['commit']}`"
  + (f" (plus {env['dirty']} modified tracked file{'s' if env['dirty'] != '1' else ''})" if env.get("dirty", "0") != "0" else "")
  + ". Do not edit by hand: rerun the script. Every ratio below divides two numbers measured in this same run on this same machine.")
w("")
other = env.get("other_cpu_share")
if other is not None and float(other) > 0.05:
    w(f"> **Caution: the machine was not quiet.** Other processes used {float(other) * 100:.0f}% of its CPU time "
      "during this run (CPU time of the whole machine minus this run's own), so absolute times are pessimistic and "
      "ratios noisier than usual. Rerun on an idle machine for publishable numbers.")
    w("")
w("## Reproduce")
w("")
w("```sh")
FULL = "builds megrad and the JMH module, runs everything (~15 min on 2 cores, after waiting up to 5 min for a quiet machine), rewrites docs/PERFORMANCE.md"
if run_command() == "scripts/bench.sh":
    w(f"scripts/bench.sh            # this document: {FULL}")
else:
    w(f"{run_command()}   # the command that produced this document")
    w(f"scripts/bench.sh            # default sizes: {FULL}")
w("BENCH_PROCESSES=\"gg_ttx gg_ttxg\" BENCH_OUT=/tmp/perf.md scripts/bench.sh   # other processes / output")
w("BENCH_PROCESSES=ee_mumu BENCH_JMH_ARGS=\"-f 1 -wi 1 -w 1s -i 1 -r 1s\" BENCH_NATIVE_SECS=1 BENCH_THREAD_POINTS=10000 "
  "BENCH_STREAM_POINTS=100000 BENCH_WAIT_QUIET=0 BENCH_OUT=/tmp/perf.md scripts/bench.sh   # a trial of every step (~2–3 min); numbers not for publishing")
w("BENCH_KEEP=1 scripts/bench.sh && python3 scripts/bench/render.py /tmp/megrad-bench.XXXXXX docs/PERFORMANCE.md   # keep the raw results; re-render them")
w("```")
w("")
w("The script needs a JDK 17, Maven, g++, make, Python 3, and the corpus (`../shared/madgraph` or `$MEGRAD_CORPUS`); "
  "it installs gfortran with `apt-get` when it is missing. CoDiPack 3 (GPL-3.0, not shipped with megrad) is optional: "
  "`CODIPACK_INCLUDE` names its include directory and adds the CoDiPack columns of the native table. "
  "The script never writes into the corpus: native builds happen in copies under a temporary directory, and the streaming "
  "run's CSV files (about 170 bytes a point) live in that directory only while the run needs them. "
  "JMH lives in `scripts/bench/` with its own `pom.xml` (not a module of the root build), "
  "so `mvn test` and `mvn package` neither download nor run it.")
w("")
w("## Machine")
w("")
w("| | |")
w("|---|---|")
w(f"| CPU | {env['cpu']}, {env.get('cpu_id', '')} ({env['cpus']} cores, {env['threads_per_core']} thread per core, {env['hypervisor'] or 'bare metal'} guest; AVX-512: {env['avx512']}) |")
w(f"| Caches | {env['caches'].replace(';', '; ')} |")
w(f"| Memory, OS | {env['memory']}, {env['os']}, Linux {env['kernel']} |")
w(f"| JDK | {env['java']}; {env['java_vm']} |")
w(f"| Fortran | {env['gfortran']} |")
w(f"| C++ | {env['gxx']} |")
w(f"| Build | {env['mvn']} |")
w(f"| CoDiPack | {env['codipack'] + ' (`CODIPACK_INCLUDE`)' if env.get('codipack') else 'not used (`CODIPACK_INCLUDE` not set)'} |")
w(f"| Load average (1, 5, 15 min) | start {env['load_start']}; end {env.get('load_end', '?')} |")
if other is not None:
    w(f"| CPU used by other processes during the run | {float(other) * 100:.1f}% of the machine |")
run_s = int(env.get("elapsed_s", 0)) - int(env.get("quiet_wait_s", 0))
w(f"| Run time | {run_s // 60} min {run_s % 60} s"
  + (f", after waiting {int(env['quiet_wait_s']) // 60} min {int(env['quiet_wait_s']) % 60} s for other work to stop" if int(env.get("quiet_wait_s", 0)) else "")
  + " |")
w("")
w("## Method")
w("")
w(f"- **Points**: the 16 reference points of each process (`reference.json`), cycled in the same order by every implementation.")
fs_flags = next((R[p]["fs"]["flags"] for p in processes if R[p]["fs"]), "?")
cs_flags = next((R[p]["cs"]["flags"] for p in processes if R[p]["cs"]), "?")
w("- **MadGraph's own code** (`scripts/bench/drivers/`): a small driver around Fortran `SMATRIX` and C++ `CPPProcess::sigmaKin`, "
  "built from a copy of the corpus output: `make` in `Source` (or `src`), then `matrix.f`/`CPPProcess.cc` and the driver with the same flags. "
  f"*Shipped* flags: Fortran `{fs_flags}`, C++ `{cs_flags}`; *native*: the same plus `-O3 -march=native` (C++: `-O3 -march=native` instead of `-Ofast`). "
  f"Each mode is timed for {env['native_secs']} s in 5 repetitions after a warm-up.")
hel_parts = []
for p in processes:
    h = R[p]["hel"]
    if h:
        hel_parts.append(f"{p} {h['proved']}/{h['ncomb']}" if h["proved"] else f"{p} none of {h['ncomb']}")
hel_same = all(R[p]["hel"] and R[p]["hel"]["java"] == R[p]["hel"]["fortran"] for p in processes)
w("- **Helicities**: after its first calls MadGraph skips the helicity combinations that were zero so far (*filtered*, its steady state "
  "and what production runs see). megrad skips the combinations it proves zero for every momentum and every parameter "
  "(`io.megrad.codegen.analysis.ZeroHelicities`, an abstract interpretation of exact zeros over the point routine: "
  + (", ".join(hel_parts) + " proved zero)" if hel_parts else "counts not recorded in this run)")
  + (". " if not hel_parts else "; these are exactly the ones MadGraph's filter drops at the reference points (massless fermion lines conserve helicity), "
     "so the filtered Fortran does the same helicity work as every megrad row. " if hel_same else
     "; where MadGraph's filter drops more than megrad proves, megrad evaluates the difference at every point (see the helicity counts under each process). ")
  + "The Fortran driver also times every helicity, as at MadGraph's first call (*full sum*: `HELRESET` before each call), as a diagnostic. "
  "The C++ code has no reset hook, so it is timed filtered only.")
w("- **Baseline** (the denominator of every × baseline column): MadGraph's Fortran at `-O3 -march=native`, filtered.")
w(f"- **megrad Java** under JMH 1.37 (`{env['jmh_args']}`; each iteration gives the average time per call; "
  "`scripts/bench/src/main/java/io/megrad/bench/EvaluateBenchmark.java`): *primal* is the port compiled with no derivative directions; "
  "*forward K* is forward vector mode with K directions; *reverse K* is the taped adjoint port asked for K derivatives. "
  "The inputs, in order, are every component of every final-state momentum, then three param-card entries; K = 4 and 8 take the first K, "
  "*all* takes all d. One JVM fork per benchmark, so JIT variance between forks is not averaged out. Before timing, `Prepare` checks each port: primal |M|² against the reference and reverse against forward gradients.")
w("- **Finite differences**: the cost model (2d+1) × baseline, central differences over d inputs on MadGraph's own code.")
w(f"- **Native backend** (issue 4; `scripts/bench/src/main/java/io/megrad/bench/NativeCompare.java`): the process as C++ over megrad's built-in forward scalar"
  + (" and over CoDiPack's forward vector and reverse scalars" if codipack else "") + ", built by `megrad`'s own `NativeBuilder` "
  "(g++) into an empty cache and called per point through JNI, against the Java port in the same JVM and the same loop; "
  "gradients w.r.t. every final-state momentum component. Each cell: a 2 s warm-up, then "
  f"{env['native_secs']} s in 5 repetitions, cycling the reference points; statistic as below.")
if TH:
    w(f"- **Threads** (issue 6): wall time of the whole `megrad eval` process on {int(TH['points']):,} points sampled at the "
      f"process's √s, with `--threads 1` and `--threads 2`, after an untimed run that fills the cache (so neither run compiles); "
      "JVM start, translation, sampling and writing included. The two output files are compared byte for byte.")
if ST:
    w(f"- **Streaming** (issue 6): `megrad sample` writes {int(ST['points']):,} points as CSV, then `megrad eval` reads them back "
      f"and writes |M|² as CSV, both with `MEGRAD_JAVA_OPTS={ST['heap']}`; wall time and peak resident memory of each JVM "
      "(`wait4` rusage, `scripts/bench/timed.py`).")
w("- **Statistic**: other work on a shared machine only ever adds time, so every time in the tables is the fastest repetition "
  "(native: of 5; Java: of the JMH measurement iterations in which other processes used under 10% of the machine, "
  "from `/proc/stat` minus the benchmark JVM's own CPU time), with the median of all repetitions in small print. "
  f"{DAGGER} marks a time for which no repetition was undisturbed (native: others used ≥ 10% of the machine during the run); treat it as an upper bound.")
w("")

for p in processes:
    r = R[p]
    d, base, primal = r["d"], r["base"], r["primal"]
    params = r["meta"]["params"].replace(",", ", ")
    good = r["good"]
    w(f"## {p}")
    w("")
    nfinal = (d - len(r["meta"]["params"].split(","))) // 4
    desc = f"d = {d} inputs ({nfinal} final-state momenta × 4 components, and {params})."
    if good:
        desc += f" {good[0]} of its {good[1]} helicity combinations are non-zero at the reference points"
        h = r["hel"]
        if h and h["proved"]:
            desc += (f"; megrad proves the other {h['proved']} zero and skips them." if h["java"] == h["fortran"]
                     else f"; megrad proves {h['proved']} zero and skips them, and evaluates {h['java']}.")
        elif h:
            desc += "; megrad proves none zero." if good[0] == good[1] else f"; megrad proves none zero and evaluates all {good[1]}."
        else:
            desc += "."
    w(desc)
    w("")
    w("| Implementation | µs / point | × baseline | × Java primal |")
    w("|---|---:|---:|---:|")

    def row(name, us, cell=None, vs_primal=True):
        w(f"| {esc(name)} | {cell or fmt_us(us)} | {fmt_ratio(ratio(us, base))} | {fmt_ratio(ratio(us, primal)) if vs_primal else ''} |")

    if r["fn"]:
        row("MadGraph Fortran, -O3 -march=native, filtered — **baseline**", r["fn"]["modes"]["filtered"], native_cell(r["fn"], "filtered"))
        row("MadGraph Fortran, -O3 -march=native, full helicity sum", r["fn"]["modes"]["fullsum"], native_cell(r["fn"], "fullsum"))
    if r["fx"]:
        row("MadGraph Fortran, -O3 -march=native -ffp-contract=off (no FMA; diagnostic), full helicity sum", r["fx"]["modes"]["fullsum"], native_cell(r["fx"], "fullsum"))
    if r["fs"]:
        row("MadGraph Fortran as shipped (no -O), filtered", r["fs"]["modes"]["filtered"], native_cell(r["fs"], "filtered"))
        row("MadGraph Fortran as shipped (no -O), full helicity sum", r["fs"]["modes"]["fullsum"], native_cell(r["fs"], "fullsum"))
    if r["cs"]:
        row(f"MadGraph C++ as shipped ({r['cs']['flags']}), filtered", r["cs"]["modes"]["filtered"], native_cell(r["cs"], "filtered"))
    if r["cn"]:
        row("MadGraph C++ -O3 -march=native, filtered", r["cn"]["modes"]["filtered"], native_cell(r["cn"], "filtered"))
    row("**megrad Java primal** (|M|² only)", primal, jmh_cell(p, "primal"))
    for k in ("4", "8", "all"):
        n = d if k == "all" else min(int(k), d)
        row(f"megrad forward gradient, {n} directions" + (" (all)" if k == "all" else ""), r["fwd"][k], jmh_cell(p, f"forward-{k}"))
    for k in ("4", "8", "all"):
        n = d if k == "all" else min(int(k), d)
        row(f"megrad reverse gradient, {n} inputs" + (" (all)" if k == "all" else ""), r["rev"][k], jmh_cell(p, f"reverse-{k}"))
    if base:
        row(f"central finite differences, (2d+1) = {2 * d + 1} baseline calls (cost model)", (2 * d + 1) * base)
    w("")
    notes = []
    prep = r["prep"]
    if r["fit"] and primal and r["fit"][0] > 0 and r["fit"][1] > 0:
        a, b = r["fit"]
        notes.append(f"Forward mode fits t(n) ≈ {fmt_us(a)} + {fmt_us(b)}·n µs for n directions: each direction costs "
                     f"{b / primal:.2f} primal evaluations, on top of a fixed {a / primal:.1f}× (the primal plus each statement's local partials).")
    if prep.get("tape_records", -1) > 0 and r["rev"]["all"]:
        rec, leaves, vals = prep["tape_records"], prep["tape_leaves"], max(prep.get("tape_values", 0), 0)
        notes.append(f"Reverse mode's tape per point: {rec:,} records (each call of a loop-free procedure is one, the rest are statements) "
                     f"with {leaves:,} statement leaves and {vals:,} recorded call values (≈ {size(tape_bytes(prep))}: a 4-byte address and "
                     f"two 8-byte partials per leaf, 8 bytes per value).")
    if prep:
        comp = prep.get("compile_s", {})
        notes.append(f"Checks before timing: primal |M|² within {prep.get('primal_me_max_rel_err', float('nan')):.1e} of the reference (relative), "
                     f"reverse within {prep.get('reverse_vs_forward_max_err', float('nan')):.1e} of forward (relative to the row's largest derivative); "
                     f"MadGraph's own builds within {r['native_err']:.1e}. Translation {prep.get('translate_s', 0):.2f} s; "
                     f"emitting and compiling each distinct port {compile_range(prep)} (in-process javac, in a JVM that has compiled before).")
    for n in notes:
        w("- " + n)
    w("")

# ------------------------------------------------------------------ native backend vs Java
w("## Native backend vs Java port (issue 4)")
w("")
nat_rows = [p for p in native_processes if p in NAT]
if not nat_rows:
    w("Not measured in this run.")
    w("")
else:
    multi = [f"{p} (d = {NAT[p]['d']}) takes {-(-NAT[p]['d'] // 8)}" for p in nat_rows if NAT[p]["d"] > 8]
    w("µs per point, single-threaded, one call per point; *fwd* and *rev* are the gradient w.r.t. every final-state momentum "
      "component (d directions) in forward and in reverse mode. The native built-in forward scalar carries 8 directions per pass "
      "(`NativeOptions.DEFAULT_WIDTH`)" + (", so " + ", ".join(multi) + " passes" if multi else "")
      + ". Build times are g++ from an empty cache (the Java ports' "
      "compile times are under each process above)."
      + ("" if codipack else " CoDiPack columns: `CODIPACK_INCLUDE` was not set."))
    w("")
    head = ["process", "d", "Java primal", "native primal", "Java fwd", "native built-in fwd", "Java rev"]
    if codipack:
        head += ["CoDiPack fwd", "CoDiPack rev", "CoDiPack rev × native primal"]
    head += ["build built-in [s]"] + (["build CoDiPack fwd / rev [s]"] if codipack else [])
    w("| " + " | ".join(head) + " |")
    w("|---|---:|" + "---:|" * (len(head) - 2))
    for p in nat_rows:
        n = NAT[p]
        cells = [p, str(n["d"])] + [nat_cell(p, k) for k in ("java-primal", "native-primal", "java-forward", "native-builtin-forward", "java-reverse")]
        if codipack:
            cells += [nat_cell(p, "codipack-forward"), nat_cell(p, "codipack-reverse"),
                      fmt_ratio(ratio(nat(p, "codipack-reverse"), nat(p, "native-primal")))]
        b = n["build"]
        cells.append(f"{b['builtin']:.1f}" if "builtin" in b else "—")
        if codipack:
            cells.append(f"{b.get('codipack-forward', float('nan')):.1f} / {b.get('codipack-reverse', float('nan')):.1f}")
        w("| " + " | ".join(cells) + " |")
    w("")
    notes = []
    fw = [ratio(nat(p, "java-forward"), nat(p, "native-builtin-forward")) for p in nat_rows]
    pr = [ratio(nat(p, "native-primal"), nat(p, "java-primal")) for p in nat_rows]
    fw, pr = [x for x in fw if x], [x for x in pr if x]

    def span(xs):
        return f"{min(xs):.2g}×" if len(xs) == 1 or f"{min(xs):.2g}" == f"{max(xs):.2g}" else f"{min(xs):.2g}–{max(xs):.2g}×"

    if fw:
        notes.append(f"The Java forward mode takes {span(fw)} the time of the native built-in forward scalar for the same directions; "
                     f"the native primal takes {span(pr)} the time of the Java primal.")
    if codipack:
        rv = [(p, ratio(nat(p, "codipack-reverse"), nat(p, "java-reverse"))) for p in nat_rows]
        rv = [(p, x) for p, x in rv if x]
        if rv:
            notes.append("CoDiPack reverse against the Java reverse port: " + "; ".join(f"{p} {fmt_ratio(x)}" for p, x in rv) + ".")
    chk = max((e for p in nat_rows for e in NAT[p]["check"].values()), default=None)
    if chk is not None:
        notes.append(f"Checks before timing: every column within {chk:.1e} of the Java forward port at the reference points "
                     "(|M|² relative; gradients relative to the row's largest derivative).")
    for x in notes:
        w("- " + x)
    w("")

# ------------------------------------------------------------------ threads and streaming
w("## Threads and streaming (issue 6)")
w("")
if not TH_RUN and not ST:
    w("Not measured in this run.")
    w("")
else:
    w("Whole `megrad` processes, JVM start included: wall time, CPU time (user + system) and peak resident memory of each. "
      f"{DAGGER} marks a run during which other processes used ≥ 10% of the machine.")
    w("")
    w("| Run | Wall time | CPU time | Peak RSS |")
    w("|---|---:|---:|---:|")
    tproc, tpoints = TH.get("process", "?"), int(TH.get("points", 0))
    for kind in ("gradient", "primal"):
        for t in (1, 2):
            run = TH_RUN.get((kind, t))
            if run:
                what = "with the gradient" if kind == "gradient" else "|M|² only"
                name = f"{tproc}, {tpoints:,} sampled points, {what}, --threads {t}"
                w(f"| {esc(name)} | {float(run['wall_s']):.2f} s{busy_mark(run)} | "
                  f"{float(run['user_s']) + float(run['sys_s']):.1f} s | {mib(run['maxrss_kb'])} |")
    if ST:
        sproc, spoints, heap = ST.get("process", "?"), int(ST.get("points", 0)), ST.get("heap", "?")
        for what, run in (("megrad sample writes them as CSV", ST_SAMPLE), ("megrad eval streams them in, |M|² out as CSV", ST_EVAL)):
            if run:
                name = f"{sproc}, {spoints:,} points: {what}, {heap}"
                w(f"| {esc(name)} | {float(run['wall_s']):.1f} s{busy_mark(run)} | "
                  f"{float(run['user_s']) + float(run['sys_s']):.1f} s | {mib(run['maxrss_kb'])} |")
    w("")
    notes = []
    for kind, what in (("gradient", "with the gradient"), ("primal", "|M|² only")):
        sp = speedup(kind)
        if sp:
            same = TH.get(f"identical_{kind}")
            notes.append(f"2 threads ÷ 1 thread, {what}: **{sp:.2f}×**"
                         + ("; the two output files are identical" if same == "yes" else
                            "; **the two output files differ**" if same == "no" else "") + ".")
    if TH.get("command"):
        notes.append(f"Command: `{TH['command']}` (the |M|²-only runs omit `--wrt`).")
    if ST:
        out_rows, ok_rows = int(ST.get("out_rows", 0)), int(ST.get("out_ok", 0))
        ev = ST_EVAL
        rate = f"; {spoints / float(ev['wall_s']):,.0f} points/s read, evaluated and written" if ev and float(ev["wall_s"]) > 0 else ""
        notes.append(f"Streaming: {size(int(ST['in_bytes']))} of CSV in ({int(ST['in_rows']):,} rows), {out_rows:,} rows out "
                     f"({ok_rows:,} with status ok){rate}. Command: `{ST['command']}`.")
    for x in notes:
        w("- " + x)
    w("")

# ------------------------------------------------------------------ targets
w("## Targets")
w("")
w(f"Issue 4 (native backend), issue 6 (performance) and issue 8 (reverse mode), each judged on the numbers above, measured on "
  f"{env['cpu']} ({env['cpus']} cores; see *Machine*) by `{run_command()}`.")
w("")
w("| Target | Goal | Measured | Status |")
w("|---|---|---|---|")
status = {}
why_unmeasured = {}


def target(key, name, goal, measured, ok, unmeasured_why=None):
    s = "not measured" if ok is None else ("**met**" if ok else "**missed**")
    status[key] = ok
    if ok is None:
        why_unmeasured[key] = (name, unmeasured_why or "this part did not run")
    w(f"| {esc(name)} | {esc(goal)} | {esc(measured if ok is not None else 'not measured: ' + (unmeasured_why or 'this part did not run'))} | {s} |")


def hel_note(p):
    h = R[p]["hel"]
    if not h:
        return ""
    if h["java"] == h["fortran"]:
        return f" (both evaluate {h['java']} of {h['ncomb']} helicities)"
    same, label = same_work(p)
    return (f" (megrad evaluates {h['java']}, MadGraph's filter {h['fortran']} of {h['ncomb']} helicities"
            + (f"; against the {label} Fortran, the same work: {fmt_ratio(ratio(R[p]['primal'], same))}" if same else "") + ")")


prim = {p: ratio(R[p]["primal"], R[p]["base"]) for p in largest}
prim_ship = {p: ratio(R[p]["primal"], R[p]["fs"]["modes"]["filtered"]) if R[p]["fs"] else None for p in largest}
target("primal", "Java primal vs MadGraph Fortran `-O3 -march=native`, filtered (largest processes)", "≤ 1.0×",
       "; ".join(f"{p}: {fmt_ratio(prim[p])}{hel_note(p)}" for p in largest),
       all(v is not None and v <= 1.0 for v in prim.values()))
target("shipped", "Java primal vs the shipped Fortran build (no -O), filtered", "far below: ≤ 0.5×",
       "; ".join(f"{p}: {fmt_ratio(prim_ship[p])}" for p in largest),
       all(v is not None and v <= 0.5 for v in prim_ship.values()))
fwd_r = {p: ratio(R[p]["fwd"]["all"], R[p]["primal"]) for p in processes}
target("forward", "Forward gradient, all d inputs, vs Java primal", "≤ (4 + d/2)×",
       "; ".join(f"{p} (d={R[p]['d']}, goal {4 + R[p]['d'] / 2:g}×): {fmt_ratio(fwd_r[p])}" for p in processes),
       all(v is not None and v <= 4 + R[p]["d"] / 2 for p, v in fwd_r.items()))
rev_r = {p: ratio(R[p]["rev"]["all"], R[p]["primal"]) for p in processes}
# Issue 8 sets the goal for the largest corpus processes; the smaller ones are shown, not judged.
target("reverse", "Reverse gradient, all d inputs, vs Java primal, largest processes (issue 8)", "≤ 3×",
       "; ".join(f"{p}: {fmt_ratio(rev_r[p])}" + ("" if p in largest else " (not judged)") for p in processes),
       all(rev_r[p] is not None and rev_r[p] <= 3 for p in largest))
grow = {p: [ratio(R[p]["rev"][k], R[p]["primal"]) for k in ("4", "8", "all")] for p in processes}
# "Does not grow": the full gradient costs at most 15% more than the cheaper of the 4- and 8-input runs.
flat = all(None not in g and g[2] <= 1.15 * min(g[0], g[1]) for g in grow.values())
target("flat", "Reverse cost does not grow with the number of inputs (4 / 8 / all, × primal)", "all ≤ 1.15 × min(4, 8)",
       "; ".join(f"{p}: " + " / ".join(fmt_ratio(x) for x in grow[p]) for p in processes), flat)
fd = {p: ratio(min(x for x in (R[p]["fwd"]["all"], R[p]["rev"]["all"]) if x), (2 * R[p]["d"] + 1) * R[p]["base"])
      if R[p]["base"] and (R[p]["fwd"]["all"] or R[p]["rev"]["all"]) else None for p in processes}
target("fd", "Full gradient (faster of forward and reverse) vs central finite differences on the baseline", "far below: ≤ 0.5×",
       "; ".join(f"{p}: {fmt_ratio(fd[p])}" for p in processes if fd[p] is not None),
       all(v is not None and v <= 0.5 for v in fd.values()))
nat_rev = {p: ratio(nat(p, "codipack-reverse"), nat(p, "native-primal")) for p in native_processes if p in NAT}
target("codipack", "Native CoDiPack reverse gradient (all final-state momenta) vs native primal (issue 4)", "≤ 15×",
       "; ".join(f"{p} (d={NAT[p]['d']}): {fmt_ratio(x)}" for p, x in nat_rev.items()),
       (all(x is not None and x <= 15 for x in nat_rev.values()) if nat_rev and codipack else None),
       "`CODIPACK_INCLUDE` was not set" if NAT and not codipack else None)
cold = med.get("cold-gradient")
warm = med.get("warm-gradient")
target("cold", "First `megrad eval` of gg_ttxg, empty cache (parse, generate, compile, 1 point)", "≤ 5 s wall",
       f"{cold:.1f} s with the gradient; {med.get('cold-primal', float('nan')):.1f} s |M|² only (medians of {len(startup.get('cold-gradient', []))})",
       cold is not None and cold <= 5)
target("warm", "Second run, with the cache", "≤ 1 s wall",
       f"{warm:.1f} s with the gradient; {med.get('warm-primal', float('nan')):.1f} s |M|² only", warm is not None and warm <= 1)
sp = speedup("gradient")
t_points = int(TH.get("points", 0))
if sp:
    w1, w2 = float(TH_RUN[("gradient", 1)]["wall_s"]), float(TH_RUN[("gradient", 2)]["wall_s"])
    size_note = "" if t_points == 100_000 else f"; {t_points:,} points, not the target's 10⁵"
    th_measured = (f"{TH.get('process')}: {sp:.2f}× ({w1:.1f} s → {w2:.1f} s{busy_mark(TH_RUN[('gradient', 2)])}"
                   f"{'; identical output' if TH.get('identical_gradient') == 'yes' else ''}{size_note})")
else:
    th_measured = ""
target("threads", "2 threads vs 1 thread, 10⁵-point batch with the gradient", "≥ 1.8×", th_measured,
       None if sp is None else sp >= 1.8)
s_points = int(ST.get("points", 0))
if ST and ST_EVAL:
    s_ok = (int(ST_EVAL.get("rc", 1)) == 0 and int(ST.get("out_rows", -1)) == s_points == int(ST.get("out_ok", -1)))
    size_note = "" if s_points == 10_000_000 else f"; {s_points:,} points, not the target's 10⁷"
    st_measured = (f"{'completes' if s_ok else 'incomplete'}: {ST.get('process')}, {size(int(ST['in_bytes']))} in, "
                   f"{int(ST.get('out_rows', 0)):,} rows out; eval {secs(float(ST_EVAL['wall_s']))}{busy_mark(ST_EVAL)}, "
                   f"peak RSS {mib(ST_EVAL['maxrss_kb'])} (sample {secs(float(ST_SAMPLE['wall_s']))}, {mib(ST_SAMPLE['maxrss_kb'])}){size_note}")
else:
    s_ok, st_measured = None, ""
target("stream", f"10⁷ points streamed from CSV with `MEGRAD_JAVA_OPTS={ST.get('heap', '-Xmx256m')}`", "completes", st_measured, s_ok)
w("")
w(f"Start-up command (wall time of the whole process, JVM start included): `{startup_cmd}` "
  f"(`--wrt {startup_wrt}` is d = {startup_d} inputs, so `--mode auto` picks reverse mode); the |M|²-only runs omit `--wrt`. "
  f"The second run reuses the first run's cache. For scale, `megrad --version` (JVM start and CLI only) takes {med.get('version', float('nan')):.2f} s.")
w("")

# ------------------------------------------------------------------ analysis
l2_core = "?"
for c in env.get("caches", "").split(";"):
    f = c.split()
    if c.startswith("L2") and len(f) >= 5 and f[3] in ("KiB", "MiB"):
        inst = int(f[4].lstrip("(")) if f[4].lstrip("(").isdigit() else 1
        l2_core = f"{float(f[2]) / inst:g} {f[3]} here"
w("## Where targets are missed: why, and what would close them")
w("")
if status.get("primal") is False:
    w("**Java primal slower than MadGraph's optimised Fortran.**")
    w("")
    items = []
    more = [p for p in largest if R[p]["hel"] and R[p]["hel"]["java"] > R[p]["hel"]["fortran"]]
    if more:
        items.append("*Helicities.* MadGraph's run-time filter drops helicity combinations that were zero at its first calls; megrad skips "
                     "only those it proves zero for every momentum and parameter, and evaluates the rest at every point ("
                     + "; ".join(f"{p}: megrad {R[p]['hel']['java']}, MadGraph {R[p]['hel']['fortran']} of {R[p]['hel']['ncomb']}" for p in more)
                     + "). That difference is a plain factor on the primal and on both gradients. What would close it: extend "
                     "`ZeroHelicities` to the zeros it does not yet prove (it gives up on loops with unknown bounds, WHILE and STOP, "
                     "and treats every real as zero-or-unknown).")
    same = {p: same_work(p) for p in largest}
    like = [f"{fmt_ratio(ratio(R[p]['primal'], t))} ({p}, against the {label} Fortran)" for p, (t, label) in same.items() if t]
    fma = [f"{p} {fmt_ratio(ratio(R[p]['fx']['modes']['fullsum'], R[p]['fn']['modes']['fullsum']))}"
           for p in largest if R[p]["fx"] and R[p]["fn"]]
    items.append("*The generated Java, helicity for helicity.* "
                 + ("Doing the same helicity work as the Fortran, the port takes " + ", ".join(like) + ". " if like else "")
                 + "Part of this is floating-point code generation: gfortran at `-O3 -march=native` contracts `a*b+c` into FMA instructions, "
                 "which Java may not do unless the code calls `Math.fma`"
                 + ("; the diagnostic build without contraction (`-ffp-contract=off`) takes " + ", ".join(fma)
                    + " the time of the contracted one, so FMA is only that share of the gap" if fma else "") + ". "
                 "The rest lies in how the port is shaped for the JIT (not separated by this benchmark): wavefunctions live in `double[]` fields with "
                 "interleaved complex parts, offset arithmetic and bounds checks; every array argument is passed as an (array, offset, tangent array) "
                 "triple even in the primal port; procedures whose bytecode estimate exceeds what HotSpot JIT-compiles are split into chunk methods, their locals then held in fields. What would close it: emit `Math.fma` where "
                 "the Fortran has a product feeding a sum (results then differ from the shipped build at the 1e-16 level, as `-march=native` builds already do); "
                 "drop the tangent arguments from the primal port and keep each helicity's wavefunctions in locals; and, beyond scalar parity, "
                 "evaluate several points per call with the Vector API (SIMD over points, the route madgraph4gpu measured at 2.3–4.8× over scalar C++).")
    for k, text in enumerate(items, 1):
        w(f"{k}. {text}" if len(items) > 1 else text)
    w("")
if status.get("shipped") is False:
    w("**Java primal against the shipped (unoptimised) Fortran.** The shipped build has no `-O` at all, so it is a low bar; the port "
      "clears it only by the margin the previous paragraph leaves (" + "; ".join(f"{p}: {fmt_ratio(prim_ship[p])}" for p in largest)
      + "). The same changes close both targets.")
    w("")
if status.get("forward") is False:
    parts = []
    for p in processes:
        r = R[p]
        if r["fit"] and r["primal"] and r["fit"][0] > 0 and r["fit"][1] > 0:
            parts.append(f"{p}: {r['fit'][1] / r['primal']:.2f} primal evaluations per direction")
    w("**Forward gradient above (4 + d/2)× the primal.** Each generated statement computes its primal value and its local partials, "
      "then loops over the directions: `for k < N: x_d[k] = Σ_leaves ∂x/∂leaf · leaf_d[k]`, so the tangent work is O(leaves × directions) "
      "per statement. " + ("The fits above give the marginal cost of one direction (" + "; ".join(parts) + "); the target needs it ≤ 0.5 with a small fixed part."
      if parts else "") + " The loop bodies are long sums over tangent slices of several arrays that may alias each other as far as "
      "C2 can tell, which makes them unlikely candidates for its auto-vectoriser, and N = d is not a multiple of the vector width. What would close it: (1) use "
      "reverse mode (" + ("already cheaper than forward for every process here" if all(R[p]["rev"]["all"] and R[p]["fwd"]["all"] and R[p]["rev"]["all"] < R[p]["fwd"]["all"] for p in processes) else "compare the tables") + "; `--mode auto` picks it whenever a derivative is asked for); (2) for forward mode, pad N to a multiple of 8 and emit "
      "the tangent update with `jdk.incubator.vector` `DoubleVector` (AVX-512: 8 directions per instruction), or unroll small N into "
      "scalar locals, so that one direction costs a fraction of a primal evaluation; (3) drop tangents of values that cannot "
      "depend on the seeds (activity analysis: constants, couplings when no parameter is seeded, helicity-independent pieces).")
    w("")
if status.get("reverse") is not None:
    parts = []
    for p in processes:
        r = R[p]
        pr = r["prep"]
        if pr.get("tape_leaves", -1) > 0:
            parts.append(f"{p}: {pr['tape_records']:,} records, {pr['tape_leaves']:,} leaves, {max(pr.get('tape_values', 0), 0):,} call values, ≈ {size(tape_bytes(pr))}")
    w(("**Reverse gradient above 3× the primal.** " if status.get("reverse") is False else "**How the reverse gradient stays within 3× the primal.** ") + "Every call of a loop-free procedure (the ALOHA vertices and currents, the HELAS "
      "external wavefunctions) leaves one tape record, or, called from a MATRIX recorded as one call sequence (below), its part "
      "of that record: its arguments' adjoint addresses and the values its adjoint loads (a "
      "linear map's inputs are not among them); the backward sweep hands the record to generated adjoint code (`NAME$rev`), "
      "which recomputes what it needs from those values in registers and runs each statement's vector-Jacobian product. "
      "MATRIX's wavefunctions and amplitudes are not copied into the records at all: in a reverse port they live in the tape's "
      "frames, fresh storage for every MATRIX call (a recycled wavefunction column gets a new generation), so a record keeps "
      "where they are (`FramedArrays`). Three IR transformations widen what is recorded per call: MATRIX's colour algebra is "
      "outlined with its loops unrolled (`TailOutliner`: on gg_ttxg 3,266 tape records per point become 1,250), small helpers "
      "are inlined (`LeafCallInliner`: the C++ outputs' wavefunctions call `Sgn`), and large operands of products get "
      "temporaries, so the adjoint reads them instead of recomputing them (`ProductOperands`); what stays on the statement "
      "tape of partials is the helicity loop and the couplings. The tape per point: " + "; ".join(parts) + " (proved-zero "
      "helicities already skipped). The adjoint code is written for HotSpot's C2: signs travel with the reverse sweep's terms, "
      "so it computes no negations; an adjoint's first contribution is assigned, not added to zero (C2 may not fold 0.0 + x, "
      "which is not x when x is -0.0); and the recomputed values no partial reads are dropped before javac sees them "
      "(`DeadValues`: gg_ttxg's adjoint methods went from 18 parts to 4, so far fewer adjoints pass between parts through "
      "memory). A port whose seeds leave out the incoming momenta (every row here) also skips the adjoints that could only "
      "reach them: a dataflow pass over MATRIX finds the arguments of each vertex call that carry no derivative (an incoming "
      "wavefunction, a current built from incoming ones only, a zero mass), and the call retags its record with an adjoint "
      "variant treating them as constants (`InactiveArguments`). On gg_ttxg half of the vertex calls take an incoming gluon: "
      "about 10% of the gradient's time in same-JVM A/B runs (110 → 99 µs); on uux_ttxgg 15 of 61 take an incoming quark: 2%. "
      "And MATRIX, all calls of routines recorded per call, leaves one tape record per call of it (`CallSequences`): the "
      "per-call bookkeeping (a record, eight adjoint addresses and frame positions per vertex, the sweep's dispatch) was most "
      "of the forward sweep's cost above the primal, and within one MATRIX call every vertex's addresses are constants or a "
      "constant away from where its frames and arguments are; so MATRIX records those few numbers, the vertices only their "
      "values, and a generated adjoint of the sequence calls the vertices' adjoints last first with the addresses computed "
      "again. Same-JVM A/B: gg_ttxg 94 → 84 µs (the forward sweep 34 → 28), uux_ttxgg 203 → 182. ALOHA's combined routines "
      "(`FFV2_4_0`: two vertices added, in every process with a Z) are made straight-line for it (`CombinedRoutineInliner`): "
      "ee_mumu 2.9 → 1.8 µs. "
      "Two more steps brought the largest processes within 3×. (1) MATRIX runs once per helicity combination, and a current "
      "built from some particles only is the same for every helicity of the others (on gg_ttxg a two-particle current is "
      "computed 32 times, 4 of them distinct). The primal and the forward sweep compute every call, as MadGraph does; but an "
      "adjoint is linear in its output's adjoint and otherwise depends on its inputs only, so the backward sweep adds up the "
      "output adjoints of the repetitions and runs the adjoint once, at the first (`RepeatedCallSites`, `RepeatedCalls`). A call "
      "is merged when everything it computes from is either the same in every call of MATRIX within the point (literals, the "
      "momenta, couplings and masses nothing in the point's code writes) or one of the integers MATRIX's calls take by value "
      "(the helicities: the key); the external wavefunctions are not (their own adjoints cost about what merging them would), "
      "nor is a call depending on every particle's helicity. Same-JVM A/B against the previous step: gg_ttxg 85 → 63 µs, uux_ttxgg "
      "190 → 138 µs, ee_mumu unchanged (two currents, which cost little). (2) Each adjoint method part is reordered so "
      "that each input's adjoint is gathered just before it is added to its argument's (`AdjointSchedule`): the sweep's own "
      "order, statement by statement, kept an accumulator live for every input component to the end, and C2 spilled most of "
      "them; the same bits, 3–7% faster (FFV1_0's adjoint runs about a fifth fewer instructions). "
      "Measured during development on gg_ttxg with same-JVM A/B runs (the machine's drift cancels), the JIT shaping, "
      "frames and smaller records took the full gradient from about 145 to about 105 µs before the steps above (signs and first "
      "assignments about 15%, dropping unread values 10%, frames and smaller records 3–5%; uux_ttxgg from about 270 to about "
      "200 µs). The forward sweep, the primal plus recording, now costs about 1.3 primal evaluations, the backward sweep about "
      "1.5 on gg_ttxg. What is left in it: the amplitudes' adjoints (each depends on every helicity, so none merges; the adjoint "
      "of a complex product costs about twice the product), the colour sum's, and the bookkeeping of the merged calls (moving "
      "a wavefunction's adjoint aside, about 5%). Tried and dropped, with the measurement: fusing the adjoint's multiply-adds with "
      "`Math.fma` (6% slower: the fused chains are latency-bound); folding each MATRIX call's records into one record of its "
      "gradient as soon as it returns, so the tape stays in cache (4% slower on gg_ttxg, 7% on uux_ttxgg: the sweep is not "
      "memory-bound); temporaries for smaller operands (from 2–4 operations instead of 6) or only larger ones (10); smaller "
      "adjoint parts (40% slower); copying short runs of inputs with `System.arraycopy` (slower than element copies); reading "
      "inputs by reference behind a run-time test of where the array is (the select cost 3%: whether every call passes a "
      "framed array is now decided when the port is generated); adding each adjoint to memory as it is computed instead of to "
      "locals (15% slower); not recording the values of the merged calls' repetitions, which the sweep never reads (a second, "
      "recording-free copy of each vertex: no measurable gain, the forward sweep is not bound by its stores). "
      "ee_mumu, whose primal takes 0.6 µs, is not judged by the goal (issue 8 sets it for the largest processes) and stays "
      "at about 3: merging gains nothing there (two cheap currents), and what every point costs whatever the process "
      "(clearing the adjoint array, sweeping the model setup's tape back to the parameters) weighs more in it." + ("" if status.get("reverse") is not False else " What would close the rest: "
      "evaluating several points per call (SIMD over points), which divides primal and adjoint alike and so only helps the "
      "ratio where the adjoint vectorises better than the primal; and merging in the C++ outputs' ports, whose wavefunctions "
      "are class members the analysis does not follow yet."))
    w("")
if status.get("fd") is False:
    parts = []
    for p in processes:
        r = R[p]
        if r["base"] and r["primal"] and (r["rev"]["all"] or r["fwd"]["all"]):
            g = min(x for x in (r["fwd"]["all"], r["rev"]["all"]) if x)
            parts.append(f"{p}: {g / r['primal']:.1f} × {r['primal'] / r['base']:.2f} / {2 * r['d'] + 1}")
    w("**Gradient against finite differences.** The ratio factors as (gradient ÷ Java primal) × (Java primal ÷ baseline) ÷ (2d+1) ("
      + "; ".join(parts) + "), so it misses where the two gaps above compound; small d (few inputs, so few baseline calls) makes it harder. "
      "With reverse mode at 3× the primal and the primal at parity, the ratio would be 3/(2d+1): at most "
      + f"{max(3 / (2 * R[p]['d'] + 1) for p in processes):.2f} here.")
    w("")
w("**Reverse cost and the number of inputs.** The reverse port sweeps back to every final-state momentum component and every "
  "param-card input, and to the incoming momenta only when one of them is asked for (the port is chosen by that alone); "
  "the requested derivatives are only picked from the result. So *reverse 4*, *reverse 8* and *reverse all* run the same code, "
  "and the cost cannot grow with the number of inputs: "
  + ("the measured differences between them are measurement noise." if status.get("flat") else
     "any spread between those three rows is measurement noise (other work on the machine, JIT variance between forks), not a dependence on the inputs."))
w("")
if status.get("codipack") is False:
    bad = [f"{p} {fmt_ratio(x)}" for p, x in nat_rev.items() if x is not None and x > 15]
    w("**CoDiPack reverse above 15× the native primal** (" + ", ".join(bad) + "). CoDiPack's reverse scalar records every active "
      "operation (a statement and its Jacobian entries) on a tape and evaluates the adjoint by sweeping it back, so its cost follows the "
      "number of taped statements, not the number of inputs; the per-point JNI call is included in both the numerator and the denominator, "
      "so for the smallest processes it also weighs on the ratio. What would close it: fewer, larger tape statements (fuse the colour sum and "
      "the ALOHA vertex expressions into single statements, which CoDiPack's expression templates then tape as one entry with all its partials) "
      "and fewer active values (the C++ emitter's activity analysis already leaves values that cannot depend on the inputs passive).")
    w("")
if status.get("cold") is False or status.get("warm") is False:
    sprep = R["gg_ttxg"]["prep"] if "gg_ttxg" in R else R[largest[0]]["prep"]
    w("**Start-up.** The cold wall time includes the JVM start, reading the output, parsing the Fortran, proving the zero helicities, "
      f"emitting Java and compiling it with javac in-process (emitting and compiling one port takes {compile_range(sprep)} in a JVM that has "
      "compiled before, more in a fresh one). A warm run finds the compiled port by a fingerprint of the output's files and megrad's build "
      "(`PortMetadata`), without translating, so what remains is the JVM start "
      f"({med.get('version', float('nan')):.2f} s for `megrad --version` alone), loading megrad's and the port's classes, and running all of "
      "it as cold, interpreted code. What would close it: a CDS archive / AppCDS for megrad's own classes (start-up and class loading), "
      "and for the cold run, javac `-proc:none` so it does not scan the class path for annotation processors.")
    w("")
if status.get("threads") is False:
    one, two = TH_RUN[("gradient", 1)], TH_RUN[("gradient", 2)]
    w1, w2 = float(one["wall_s"]), float(two["wall_s"])
    serial = max(0.0, min(1.0, 2 * w2 / w1 - 1))   # Amdahl: w2 = w1 (s + (1 - s) / 2)
    others = float(two.get("other_share", 0))
    w(f"**Two threads below 1.8× one thread** ({sp:.2f}×). Read through Amdahl's law, the two wall times leave {serial * 100:.0f}% of the "
      "one-thread run serial: the JVM start, the warm-cache lookup, drawing the random numbers and writing the output run on one thread "
      "(the points themselves are generated on the workers), and they weigh more the cheaper a point is; and HotSpot's JIT compiler, "
      "which compiles the large generated methods on its own threads, uses the otherwise idle second core in the one-thread run but "
      "takes it from a worker in the two-thread run (how much each part weighs is not separated by this benchmark)"
      + (f"; the |M|²-only runs, where a point costs far less than with the gradient, scale {speedup('primal'):.2f}×" if speedup("primal") else "")
      + (f". Other processes also used {others * 100:.0f}% of the machine during the 2-thread run, and on {env['cpus']} cores that "
         "takes from the second thread directly" if others >= CLEAN else "")
      + ". What would close it: format the output on the worker threads and overlap writing with the next chunk's evaluation, and "
      "measure on more cores, where the JIT's threads no longer compete with the workers (on 2 cores they always do).")
    w("")
if status.get("stream") is False:
    w(f"**Streaming run incomplete.** Of {s_points:,} points, the CSV held {int(ST.get('in_rows', 0)):,} rows and the eval wrote "
      f"{int(ST.get('out_rows', 0)):,} ({int(ST.get('out_ok', 0)):,} with status ok); the work directory's `stream-*.txt` and the run's stderr "
      "(`stream-err.txt`, kept with `BENCH_KEEP=1`) say where it stopped. "
      "A run that holds every point or result in memory instead of streaming them would fail this way under a small heap.")
    w("")
measured_keys = [k for k, v in status.items() if v is not None]
if measured_keys and all(status[k] for k in measured_keys):
    w("All measured targets are met.")
    w("")
if why_unmeasured:
    w("**Not measured in this run:** " + "; ".join(f"{name} ({why})" for name, why in why_unmeasured.values()) + ".")
    w("")

with open(out_md, "w") as f:
    f.write("\n".join(L).rstrip("\n") + "\n")
print(f"render: wrote {out_md}", file=sys.stderr)
