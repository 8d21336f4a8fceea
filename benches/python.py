#!/usr/bin/env python3
"""mtharness's Python package against its peers, called from Python on the same lists.

Usage: python benches/python.py [--out reports/python.csv]
(`benches/python.sh` makes the virtualenv this needs and runs it.)

Needs `mtharness` (pip install ./python), sacrebleu and jiwer importable. Three benchmarks,
each on the same Python lists for both sides:

  corpus_bleu    mtharness.corpus_bleu(hyps, [refs])  vs  sacrebleu.corpus_bleu(hyps, [refs])
                 on the whole corpus; the two scores must print the same.
  sentence_bleu  [f(h, [r]).score for h, r in zip(hyps[:K], refs[:K])], f being
                 mtharness.sentence_bleu or sacrebleu.sentence_bleu; every score must print
                 the same (two decimals).
  wer            mtharness.wer(refs, hyps)  vs  jiwer.wer(refs, hyps) on the whole corpus;
                 the two results must print the same (12 significant digits).

Speed: in this one process, each side timed REPEAT times, ours and the peer's alternating
(the order swapped every round), the fastest run of each kept; ratio = peer / mtharness.
The timed region is the call alone, with the conversion of the Python strings it does.
Each run also records the process's CPU time (all threads, `time.process_time()`), kept the
same way: cpu_ratio = peer / mtharness CPU seconds. On a loaded machine the wall-clock ratio
of a long single-threaded peer run against a short multi-threaded one moves with the load;
the CPU-time ratio is the work each side does, mtharness's threads added together.

Peak memory: each call once more in its own subprocess (this script with --child), which
loads the lists, imports the module, makes the call and reports its peak resident set size
(`VmHWM`, see `maxrss_kb`); a baseline subprocess only loads the lists. A row's
`*_peak_rss_kb` is the call's process peak minus the baseline's, `*_import_rss_kb` the part
of it already there after the import, before the call. MEM_REPEAT runs of each (default 1),
the largest kept.

Environment: CORPUS_DIR (default ../shared/corpora/wmt22-ru-en beside the repository, or
$MTHARNESS_SHARED/corpora/wmt22-ru-en), SYSTEM (Online-B), COPIES (100: ref.A.en and
hyp.SYSTEM.en repeated that many times), SENTENCE_SEGMENTS (20000: the first K pairs of the
same lists), REPEAT (3), MEM_REPEAT (1), MEMORY=0 skips the memory part, RAYON_NUM_THREADS
(mtharness's threads; default the CPUs this process may run on).

Exits 1 when a check fails (the CSV is written all the same, with check=DIFFERENT).
"""

import argparse
import csv
import gc
import json
import logging
import os
import platform
import resource
import subprocess
import sys
import time
from importlib.metadata import version

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

TARGETS = {"corpus_bleu": 50.0, "sentence_bleu": 10.0, "wer": 20.0}
PEERS = {"corpus_bleu": "sacrebleu", "sentence_bleu": "sacrebleu", "wer": "jiwer"}
SIDES = ("mtharness", "peer")


def corpus_dir():
    if os.environ.get("CORPUS_DIR"):
        return os.environ["CORPUS_DIR"]
    shared = os.environ.get("MTHARNESS_SHARED") or os.path.join(ROOT, "..", "shared")
    return os.path.join(shared, "corpora", "wmt22-ru-en")


def load_lists():
    """refs and hyps, each file's lines (as sacreBLEU's command line reads them: the line end
    stripped), each list repeated COPIES times."""
    d = corpus_dir()
    system = os.environ.get("SYSTEM", "Online-B")
    copies = int(os.environ.get("COPIES", "100"))

    def read(name):
        with open(os.path.join(d, name), encoding="utf-8") as f:
            return [line.rstrip("\n") for line in f]

    refs = read("ref.A.en") * copies
    hyps = read(f"hyp.{system}.en") * copies
    if len(refs) != len(hyps):
        sys.exit(f"python.py: ref.A.en and hyp.{system}.en differ in length")
    return refs, hyps


def sentence_count(n):
    return min(int(os.environ.get("SENTENCE_SEGMENTS", "20000")), n)


def quiet_loggers():
    # Both libraries warn that 100 lines end in " ." (the corpus is detokenized): keep stderr
    # for the benchmark's own lines. Three records per call, on both sides alike.
    for name in ("sacrebleu", "mtharness"):
        logging.getLogger(name).setLevel(logging.ERROR)


def call(bench, side, refs, hyps):
    """One side's call of `bench`, a function of no argument returning its result. Imports
    only the module that call needs."""
    if side == "mtharness":
        import mtharness as mod
    elif bench == "wer":
        import jiwer as mod
    else:
        import sacrebleu as mod
    quiet_loggers()
    if bench == "corpus_bleu":
        return lambda: mod.corpus_bleu(hyps, [refs])
    if bench == "sentence_bleu":
        k = sentence_count(len(hyps))
        sub_h, sub_r, sentence_bleu = hyps[:k], refs[:k], mod.sentence_bleu
        return lambda: [sentence_bleu(h, [r]).score for h, r in zip(sub_h, sub_r)]
    return lambda: mod.wer(refs, hyps)


def maxrss_kb():
    """This process's peak resident set size in KiB: `VmHWM` of /proc/self/status. Not
    `getrusage(RUSAGE_SELF).ru_maxrss`: Linux carries that over through fork and exec, so
    a child of this (larger) process would start at the parent's peak."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


# ---------------------------------------------------------------------------------------------
# --child: one measurement of peak memory
# ---------------------------------------------------------------------------------------------


def child(bench, side):
    refs, hyps = load_lists()
    gc.collect()
    loaded = maxrss_kb()
    out = {"loaded": loaded}
    if bench != "baseline":
        fn = call(bench, side, refs, hyps)
        out["imported"] = maxrss_kb()
        fn()
    out["peak"] = maxrss_kb()
    print(json.dumps(out))


def run_child(bench, side):
    cmd = [sys.executable, os.path.abspath(__file__), "--child", bench, side]
    res = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True)
    return json.loads(res.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------------------------------------
# Timing and checks
# ---------------------------------------------------------------------------------------------


def timed(fn):
    """(wall seconds, CPU seconds of the process, all its threads, result) of one call."""
    gc.collect()
    c = time.process_time()
    t = time.perf_counter()
    result = fn()
    wall = time.perf_counter() - t
    return wall, time.process_time() - c, result


def check(bench, ours, peer):
    """(equal?, what was compared) of the two sides' results."""
    if bench == "corpus_bleu":
        # The line sacreBLEU prints (score, precisions, BP, ratio, lengths).
        a, b = repr(ours), repr(peer)
        return a == b, f"{a}" if a == b else f"mtharness {a!r} / peer {b!r}"
    if bench == "sentence_bleu":
        same = sum(f"{x:.2f}" == f"{y:.2f}" for x, y in zip(ours, peer))
        exact = sum(x == y for x, y in zip(ours, peer))
        ok = same == len(peer) == len(ours)
        mean = sum(ours) / max(len(ours), 1)
        return ok, (f"{same}/{len(peer)} scores print the same ({exact} bit-identical); "
                    f"mean {mean:.2f}")
    a, b = f"{ours:.12g}", f"{peer:.12g}"
    exact = " (bit-identical)" if ours == peer else ""
    return a == b, f"WER {a}{exact}" if a == b else f"mtharness {a} / peer {b}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.join(ROOT, "reports", "python.csv"))
    ap.add_argument("--child", nargs=2, metavar=("BENCH", "SIDE"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(*args.child)
        return 0

    repeat = max(int(os.environ.get("REPEAT", "3")), 1)
    mem_repeat = max(int(os.environ.get("MEM_REPEAT", "1")), 1)
    threads = int(os.environ.get("RAYON_NUM_THREADS") or 0) or len(os.sched_getaffinity(0))

    refs, hyps = load_lists()
    n = len(hyps)
    k = sentence_count(n)
    import jiwer  # noqa: F401
    import mtharness
    import sacrebleu  # noqa: F401

    peer_names = {b: f"{p}-{version(p)}" for b, p in PEERS.items()}
    print(f"== python {platform.python_version()}, mtharness {mtharness.__version__} "
          f"(rayon threads: {threads}), {peer_names['corpus_bleu']}, {peer_names['wer']}; "
          f"corpus {n} pairs from {corpus_dir()}, sentence_bleu on {k}; REPEAT={repeat}",
          file=sys.stderr, flush=True)

    rows, failed = [], False
    for bench in ("corpus_bleu", "sentence_bleu", "wer"):
        fns = {side: call(bench, side, refs, hyps) for side in SIDES}
        best = {side: float("inf") for side in SIDES}
        best_cpu = dict(best)
        results = {}
        for r in range(repeat):
            order = SIDES if r % 2 == 0 else SIDES[::-1]
            for side in order:
                secs, cpu, results[side] = timed(fns[side])
                best[side] = min(best[side], secs)
                best_cpu[side] = min(best_cpu[side], cpu)
                print(f"  {bench:13s} {side:9s} run {r + 1}: {secs:8.3f} s (CPU {cpu:8.3f} s)",
                      file=sys.stderr, flush=True)
        ok, what = check(bench, results["mtharness"], results["peer"])
        failed |= not ok
        ratio = best["peer"] / best["mtharness"]
        cpu_ratio = best_cpu["peer"] / best_cpu["mtharness"]
        target = TARGETS[bench]
        print(f"{bench}: peer {best['peer']:.3f} s, mtharness {best['mtharness']:.3f} s, "
              f"ratio {ratio:.1f} (target {target:g}), CPU time ratio {cpu_ratio:.1f}; "
              f"check: {'equal' if ok else 'DIFFERENT'}: {what}",
              file=sys.stderr, flush=True)
        rows.append({
            "benchmark": bench,
            "segments": k if bench == "sentence_bleu" else n,
            "peer": peer_names[bench],
            "peer_seconds": f"{best['peer']:.4f}",
            "mtharness_seconds": f"{best['mtharness']:.4f}",
            "ratio": f"{ratio:.1f}",
            "target": f"{target:g}",
            "met": "yes" if ratio >= target else "no",
            "peer_cpu_seconds": f"{best_cpu['peer']:.4f}",
            "mtharness_cpu_seconds": f"{best_cpu['mtharness']:.4f}",
            "cpu_ratio": f"{cpu_ratio:.1f}",
            "check": "equal" if ok else "DIFFERENT",
            "result": what,
        })
        del results, fns
        gc.collect()

    mem_cols = ("baseline_peak_rss_kb", "peer_peak_rss_kb", "mtharness_peak_rss_kb",
                "peer_import_rss_kb", "mtharness_import_rss_kb")
    if os.environ.get("MEMORY", "1") != "0":
        print("== peak memory (one subprocess per call)", file=sys.stderr, flush=True)
        base = max(run_child("baseline", "none")["peak"] for _ in range(mem_repeat))
        print(f"  baseline (lists loaded): {base} KiB", file=sys.stderr, flush=True)
        for row in rows:
            for side in SIDES:
                runs = [run_child(row["benchmark"], side) for _ in range(mem_repeat)]
                peak = max(x["peak"] for x in runs)
                imported = max(x["imported"] for x in runs)
                key = "mtharness" if side == "mtharness" else "peer"
                row[f"{key}_peak_rss_kb"] = peak - base
                row[f"{key}_import_rss_kb"] = imported - base
                print(f"  {row['benchmark']:13s} {side:9s} peak {peak} KiB "
                      f"(+{peak - base} over the baseline, +{imported - base} after the import)",
                      file=sys.stderr, flush=True)
            row["baseline_peak_rss_kb"] = base
    for row in rows:
        row["threads"] = threads
        row["repeat"] = repeat

    cols = ["benchmark", "segments", "peer", "peer_seconds", "mtharness_seconds", "ratio",
            "target", "met", "peer_cpu_seconds", "mtharness_cpu_seconds", "cpu_ratio",
            "peer_peak_rss_kb", "mtharness_peak_rss_kb", "baseline_peak_rss_kb",
            "peer_import_rss_kb", "mtharness_import_rss_kb", "threads", "repeat", "check", "result"]
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    tmp = args.out + ".tmp"
    with open(tmp, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=cols, lineterminator="\n", restval="")
        w.writeheader()
        w.writerows(rows)
    os.replace(tmp, args.out)
    with open(args.out, encoding="utf-8") as f:
        sys.stdout.write(f.read())
    if failed:
        print("python.py: a check failed: the two sides' results differ", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
