#!/usr/bin/env python3
"""Run the mtharness CLI's sharded scoring as a Spark job, then merge the shards.

One Spark task per shard runs ``mtharness score INPUT... --shard I/N --stats FILE``; the driver
collects the N stats files and runs ``mtharness merge`` on them, which writes the reports of a
single ``mtharness score`` run, byte for byte (``--csv DIR``: systems.csv, documents.csv,
segments.csv) and prints its table. Shard I takes the documents whose index is I modulo N (the
segments, for a corpus that is one document): see ``mtharness score --help``.

Arguments: the job's options, then the corpus as ``mtharness score`` takes it (a folder, a WMT
XML file, a .tsv/.jsonl table, or ``-r REF... -i HYP... [--docids F] [--src F]``), then, after
``--``, any other ``mtharness score`` options (``-- -m bleu ter --tokenize intl``).

Where the files are: by default the driver ships the corpus and, when ``--mtharness`` is a path,
the binary to every executor (``SparkContext.addFile``) and the tasks send the stats files back
through Spark, so nothing needs a shared filesystem. With ``--shared-fs`` the executors read
the paths as given and write the stats files into ``--stats-dir``, which must then be a
directory that the executors and the driver both see.

Local run:   python shard_job.py --master 'local[2]' --shards 8 --csv out -r ref.en -i hyp.X.en
Cluster run: spark-submit --master yarn shard_job.py --shards 64 --mtharness ./mtharness ...
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile

# The driver's SparkSession, shared with the other job beside this file (Python puts a script's
# folder first on sys.path; in cluster deploy mode, ship it with --py-files score_job.py).
from score_job import session


def parse_args(argv):
    argv = list(sys.argv[1:] if argv is None else argv)
    extra = []
    if "--" in argv:
        k = argv.index("--")
        argv, extra = argv[:k], argv[k + 1:]
    p = argparse.ArgumentParser(
        prog="shard_job.py",
        description="mtharness score --shard I/N in Spark tasks, then mtharness merge.",
        epilog="Options after `--` go to every `mtharness score` run.",
    )
    p.add_argument("input", nargs="?", help="corpus folder, WMT XML file, or .tsv/.jsonl table")
    p.add_argument("-r", "--refs", nargs="+", default=[], help="reference files, line-aligned")
    p.add_argument("-i", "--input", dest="hyps", nargs="+", default=[], help="system outputs")
    p.add_argument("--docids", help="document id of each line")
    p.add_argument("--src", help="source file (line-aligned)")
    p.add_argument("--shards", type=int, help="shards, one Spark task each "
                   "(default: the default parallelism)")
    p.add_argument("--mtharness", default=os.environ.get("MTHARNESS_BIN", "mtharness"),
                   help="the mtharness binary: a path (shipped to the executors) or a command "
                   "on every executor's PATH (default: $MTHARNESS_BIN, else mtharness)")
    p.add_argument("--csv", dest="csv_dir", help="write the merged CSV reports here")
    p.add_argument("-w", "--width", type=int, default=2, help="decimals printed (default 2)")
    p.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")
    p.add_argument("--shared-fs", action="store_true",
                   help="executors read the corpus where it is and write --stats-dir")
    p.add_argument("--stats-dir", help="keep the shards' stats files here "
                   "(default: a temporary directory, removed at the end)")
    p.add_argument("--master", help="Spark master when run with python (spark-submit sets it)")
    a = p.parse_args(argv)
    if bool(a.input) == bool(a.refs or a.hyps):
        p.error("give either a corpus (folder, XML, table) or -r REF... -i HYP...")
    if a.hyps and not a.refs or a.refs and not a.hyps:
        p.error("line-aligned input needs both -r and -i")
    if a.shards is not None and a.shards < 1:
        p.error("--shards must be at least 1")
    if a.shared_fs and not a.stats_dir:
        p.error("--shared-fs needs --stats-dir (a directory the executors and the driver see)")
    a.extra = extra
    return a


def corpus_args(a):
    """The corpus arguments of `mtharness score` as (flag or None, path) pairs."""
    pairs = [(None, a.input)] if a.input else []
    pairs += [("-r", p) for p in a.refs] + [("-i", p) for p in a.hyps]
    pairs += [(flag, p) for flag, p in (("--docids", a.docids), ("--src", a.src)) if p]
    return pairs


def command_line(binary, pairs, extra):
    cmd = [binary, "score"]
    for flag, path in pairs:
        # -r and -i take several files: each file gets its flag, so none swallows the next
        cmd += [flag, path] if flag else [path]
    return cmd + list(extra)


def run_shard(i, n, binary, pairs, extra, stats_dir, archive):
    """Runs shard i of n; returns the stats file's bytes (or its path under stats_dir).

    Without stats_dir the corpus paths in `pairs` are relative to the unpacked `archive`."""
    from pyspark import SparkFiles

    shipped = stats_dir is None  # else the executors see the driver's paths (--shared-fs)
    if shipped:
        if os.sep in binary:
            binary = SparkFiles.get(os.path.basename(binary))
            if not os.access(binary, os.X_OK):
                os.chmod(binary, 0o755)
        root = SparkFiles.get(archive)
        pairs = [(flag, os.path.join(root, p)) for flag, p in pairs]
    work = tempfile.mkdtemp(prefix="mtharness-shard-") if shipped else stats_dir
    stats = os.path.join(work, f"stats.{i}-of-{n}.csv")
    cmd = command_line(binary, pairs, extra) + ["--shard", f"{i}/{n}", "--stats", stats, "-q"]
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if proc.returncode != 0:
        raise RuntimeError(
            f"shard {i}/{n}: {' '.join(cmd)} exited with {proc.returncode}: "
            + proc.stderr.decode("utf-8", "replace"))
    if not shipped:
        return i, stats
    with open(stats, "rb") as f:
        data = f.read()
    shutil.rmtree(work, ignore_errors=True)
    return i, data


def pack_corpus(pairs, staging):
    """Packs the corpus files into `staging/mtharness-corpus-UNIQUE.tar` for the executors.

    Each file goes under the name of its folder (`wmt22-ru-en/ref.A.en`), a folder input under
    its own name: the CLI names systems after file names and a corpus without document ids
    after the folder of its first reference, so the executors' copies must keep both. Returns
    the archive and `pairs` with each path relative to the unpacked archive."""
    import tarfile
    import uuid

    members, relative = {}, []
    for flag, path in pairs:
        real = os.path.realpath(path)
        if os.path.isdir(real):
            name = os.path.basename(real)
            top, rel = name, name
        else:
            top = os.path.basename(os.path.dirname(real)) or "corpus"
            rel = os.path.join(top, os.path.basename(real))
        if members.setdefault(rel, real) != real:
            raise SystemExit(
                f"{members[rel]} and {real} would be shipped as the same {rel}: rename one, or "
                "use --shared-fs")
        relative.append((flag, rel))
    tops = {}
    for rel, real in members.items():
        top = rel.split(os.sep)[0]
        origin = real if rel == top else os.path.dirname(real)
        if tops.setdefault(top, origin) != origin:
            raise SystemExit(
                f"{tops[top]} and {origin} would be shipped as the same folder {top}: rename "
                "one, or use --shared-fs")
    archive = os.path.join(staging, f"mtharness-corpus-{uuid.uuid4().hex[:12]}.tar")
    with tarfile.open(archive, "w") as tar:
        for rel, real in members.items():
            tar.add(real, arcname=rel)
    return archive, relative


def shard(spark, a):
    """Scores every shard in a Spark task and merges; returns the stats files' paths."""
    sc = spark.sparkContext
    n = a.shards or sc.defaultParallelism
    binary, extra = a.mtharness, list(a.extra)
    stats_dir = os.path.abspath(a.stats_dir) if a.stats_dir else None
    work = tempfile.mkdtemp(prefix="mtharness-spark-")
    try:
        if a.shared_fs:
            pairs = [(flag, os.path.abspath(p)) for flag, p in corpus_args(a)]
            task_dir, archive = stats_dir, None
        else:
            archive, pairs = pack_corpus(corpus_args(a), work)
            sc.addArchive(archive)
            archive = os.path.basename(archive)
            if os.sep in binary:
                sc.addFile(os.path.abspath(binary))
            task_dir = None
        if stats_dir:
            os.makedirs(stats_dir, exist_ok=True)
        results = (
            sc.parallelize(range(n), n)
            .map(lambda i: run_shard(i, n, binary, pairs, extra, task_dir, archive))
            .collect()
        )
        files = []
        for i, data in sorted(results):
            if a.shared_fs:
                files.append(data)
                continue
            path = os.path.join(stats_dir or work, f"stats.{i}-of-{n}.csv")
            with open(path, "wb") as f:
                f.write(data)
            files.append(path)
        merge = [binary, "merge", *files, "-w", str(a.width)]
        merge += ["--csv", a.csv_dir] if a.csv_dir else []
        merge += ["-q"] if a.quiet else []
        sys.stdout.flush()
        proc = subprocess.run(merge)
        if proc.returncode != 0:
            raise SystemExit(f"mtharness merge exited with {proc.returncode}")
        return files
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main(argv=None, spark=None):
    a = parse_args(argv)
    own = spark is None
    if own:
        spark = session("mtharness-shards", a.master)
        spark.sparkContext.setLogLevel("WARN")
    try:
        return shard(spark, a)
    finally:
        if own:
            spark.stop()


if __name__ == "__main__":
    main()
