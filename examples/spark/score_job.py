#!/usr/bin/env python3
"""Score machine translation with Apache Spark and the mtharness Python package.

Every partition turns its segments into sufficient statistics with ``mtharness.stats``, one
``Stats`` per system and document; ``reduceByKey`` sums the partitions' ``Stats`` with ``+``, and
the scores come from the summed statistics. Sums of statistics do not depend on how the corpus
is split, so the scores equal those of ``mtharness score`` on the whole corpus, to the last bit.

Inputs, as ``mtharness score`` takes them:

* line-aligned files: ``-r REF [REF ...] -i HYP [HYP ...] [--docids FILE]`` (one segment a
  line; a system per ``-i`` file, named ``SYSTEM`` for ``hyp.SYSTEM.xx``, else the file stem);
* a ``.tsv`` or ``.jsonl`` table with the columns ``system``, ``hyp``, ``ref`` (or
  ``ref:NAME`` ...) and optionally ``doc`` (README, "TSV and JSONL").

When every input is a local path that exists where the driver runs, the driver reads them with
the CLI's line rules (``\\n`` or ``\\r\\n`` ends, a UTF-8 byte-order mark dropped, invalid UTF-8
an error); otherwise (``hdfs://``, ``s3a://``, ``file://`` ..., or a path only the cluster
sees) Spark reads them, split on ``\\n`` (a ``\\r`` before it dropped), and line-aligns them by
line number.

Output, as ``mtharness score`` writes it for the same input and options: its table and
signatures on standard output, and with ``--csv DIR`` its ``systems.csv`` and, when documents
are known (``--docids`` or a ``doc`` column), its ``documents.csv``, byte for byte (no
``segments.csv``: the job keeps sums, not segments). Options: ``-m`` and the metric options of
``mtharness.stats`` (``--tokenize``, ``--lowercase``, ``--smooth-method``, ``--ter-*`` ...).

Local run:   python score_job.py --master 'local[2]' -r ref.en -i hyp.A.en hyp.B.en --csv out
Cluster run: spark-submit --master yarn ... score_job.py -r hdfs:///ref.en -i hdfs:///hyp.A.en
(examples/spark/README.md: shipping the mtharness wheel to the executors).
"""

import argparse
import csv
import json
import os
import sys
from decimal import Decimal

DEFAULT_METRICS = ["bleu", "chrf", "chrf++", "ter", "wer", "cer"]
BOM = "\ufeff"


def parse_args(argv):
    p = argparse.ArgumentParser(
        prog="score_job.py",
        description="Score MT output with Spark: mtharness.stats per partition, summed with +.",
    )
    p.add_argument("table", nargs="?", help="a .tsv or .jsonl table (instead of -r/-i)")
    p.add_argument("-r", "--refs", nargs="+", default=[], help="reference files, line-aligned")
    p.add_argument("-i", "--input", dest="hyps", nargs="+", default=[], help="system outputs")
    p.add_argument("--docids", help="document id of each line (line-aligned)")
    p.add_argument("-m", "--metrics", nargs="+", default=DEFAULT_METRICS,
                   help="metrics (default: %(default)s)")
    p.add_argument("--tokenize", help="BLEU tokenizer: 13a, intl, zh, char, none")
    p.add_argument("--lowercase", action="store_true", help="lower-case for BLEU and chrF")
    p.add_argument("--smooth-method", help="BLEU smoothing: exp, floor, add-k, none")
    p.add_argument("--smooth-value", type=float, help="value of floor / add-k smoothing")
    for flag in ("normalized", "no-punct", "asian-support", "case-sensitive"):
        p.add_argument(f"--ter-{flag}", action="store_true", help=f"TER: {flag}")
    p.add_argument("--partitions", type=int,
                   help="partitions of the segment RDD (default: 4 x the default parallelism)")
    p.add_argument("--csv", dest="csv_dir", help="write systems.csv (and documents.csv) here")
    p.add_argument("-w", "--width", type=int, default=2, help="decimals printed (default 2)")
    p.add_argument("-q", "--quiet", action="store_true", help="print nothing")
    p.add_argument("--master", help="Spark master when run with python (spark-submit sets it)")
    a = p.parse_args(argv)
    if bool(a.table) == bool(a.refs or a.hyps):
        p.error("give either a .tsv/.jsonl table or -r REF... -i HYP...")
    if not a.table and not (a.refs and a.hyps):
        p.error("line-aligned input needs both -r and -i")
    if a.table and a.docids:
        p.error("--docids is for line-aligned input; a table has a doc column")
    if a.table and not a.table.endswith((".tsv", ".jsonl")):
        p.error("a table is a .tsv or .jsonl file")
    if a.partitions is not None and a.partitions < 1:
        p.error("--partitions must be at least 1")
    # mtharness.stats keywords, only those given (the same names as the CLI's flags)
    a.options = {k: v for k, v in (
        ("tokenize", a.tokenize), ("lowercase", a.lowercase),
        ("smooth_method", a.smooth_method), ("smooth_value", a.smooth_value),
        ("ter_normalized", a.ter_normalized), ("ter_no_punct", a.ter_no_punct),
        ("ter_asian_support", a.ter_asian_support),
        ("ter_case_sensitive", a.ter_case_sensitive)) if v not in (None, False)}
    return a


# ---------------------------------------------------------------------------------------------
# Formatting, as the CLI does it (src/report/mod.rs, src/report/table.rs)


def fmt_score(x, decimals):
    """A score with a fixed number of decimals; ``-0.00`` as ``0.00``; ``nan``, ``inf``."""
    if x != x or x in (float("inf"), float("-inf")):
        return str(x).lower()
    s = f"{x:.{decimals}f}"
    if s.startswith("-") and set(s[1:]) <= set("0."):
        return s[1:]
    return s


def fmt_stat(x):
    """A statistic: an integer without decimals, else the shortest round-trip decimal."""
    if x != x or x in (float("inf"), float("-inf")):
        return {"nan": "NaN"}.get(str(x), str(x))
    if x == int(x) and abs(x) < 1e15:
        return str(int(x))
    text = format(Decimal(repr(x)), "f")
    return text[:-2] if text.endswith(".0") else text


def csv_text(cell):
    """The CLI's guard against spreadsheet formula injection for a text cell."""
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell


def text_grid(head, rows):
    """The CLI's text table: first column left-aligned, the others right-aligned, a rule."""
    widths = [max(len(r[c]) for r in [head] + rows) for c in range(len(head))]
    lines = []
    for k, cells in enumerate([head] + rows):
        out = ""
        for c, cell in enumerate(cells):
            pad = " " * (widths[c] - len(cell))
            out += cell + pad if c == 0 else "  " + pad + cell
        lines.append(out)
        if k == 0:
            lines.append("-" * (sum(widths) + 2 * (len(widths) - 1)))
    return "\n".join(lines) + "\n"


def system_name(path):
    """``hyp.SYSTEM.xx`` -> ``SYSTEM``, else the file stem (as the CLI names systems)."""
    file = path.rstrip("/").rsplit("/", 1)[-1]
    if file.startswith("hyp.") and "." in file[4:]:
        name = file[4:].rsplit(".", 1)[0]
        if name:
            return name
    return file.rsplit(".", 1)[0] if "." in file[1:] else file


# ---------------------------------------------------------------------------------------------
# Reading: every reader yields records (line, doc, system, hyp, refs), `line` 0-based in the
# input, `refs` a tuple with one segment per reference stream.


def is_driver_local(path):
    return "://" not in path and os.path.exists(path)


def read_local_lines(path):
    """Lines as the CLI reads them: strict UTF-8, BOM dropped, `\\n` / `\\r\\n` ends."""
    with open(path, "rb") as f:
        data = f.read()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise SystemExit(f"{path}: invalid UTF-8 at byte {e.start}")
    if not text:
        raise SystemExit(f"{path}: empty file")
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    return [line[:-1] if line.endswith("\r") else line for line in lines]


def spark_lines(sc, path):
    """(line number, text) pairs of a file read by Spark, split on `\\n` only."""
    rdd = sc.newAPIHadoopFile(
        path,
        "org.apache.hadoop.mapreduce.lib.input.TextInputFormat",
        "org.apache.hadoop.io.LongWritable",
        "org.apache.hadoop.io.Text",
        conf={"textinputformat.record.delimiter": "\n"},
    )

    def clean(pair):
        (offset, text), i = pair
        if offset == 0 and text.startswith(BOM):
            text = text[1:]
        return i, text[:-1] if text.endswith("\r") else text

    return rdd.zipWithIndex().map(clean)


def line_aligned_records(sc, args, partitions):
    """Records of line-aligned files, and the systems and documents in input order."""
    systems = [system_name(h) for h in args.hyps]
    if len(set(systems)) != len(systems):
        raise SystemExit(f"two -i files give the same system name: {systems}")
    paths = list(args.hyps) + list(args.refs) + ([args.docids] if args.docids else [])
    nh, nr = len(args.hyps), len(args.refs)

    def expand(i, cols):
        doc = cols[nh + nr] if args.docids else None
        refs = tuple(cols[nh:nh + nr])
        return [(i, doc, systems[s], cols[s], refs) for s in range(nh)]

    if all(is_driver_local(p) for p in paths):
        columns = [read_local_lines(p) for p in paths]
        check_lengths(paths, [len(c) for c in columns])
        rows = list(enumerate(zip(*columns)))
        docs = list(dict.fromkeys(columns[-1])) if args.docids else None
        rdd = sc.parallelize(rows, partitions).flatMap(lambda r: expand(*r))
        return rdd, systems, docs
    # distributed read: line-align by line number (a shuffle)
    files = [spark_lines(sc, p) for p in paths]
    check_lengths(paths, [f.count() for f in files])
    tagged = sc.union([f.map(lambda x, k=k: (x[0], (k, x[1]))) for k, f in enumerate(files)])
    rows = tagged.groupByKey(partitions).map(lambda x: (x[0], [t for _, t in sorted(x[1])]))
    return rows.flatMap(lambda r: expand(*r)), systems, None


def check_lengths(paths, lengths):
    if len(set(lengths)) > 1:
        listing = ", ".join(f"{p}: {n} lines" for p, n in zip(paths, lengths))
        raise SystemExit(f"line-aligned files differ in length: {listing}")


def table_records(sc, path, partitions):
    """Records of a TSV or JSONL table (systems and documents ordered later by first row)."""
    if is_driver_local(path):
        lines = sc.parallelize(list(enumerate(read_local_lines(path))), partitions)
    else:
        lines = spark_lines(sc, path)
    jsonl = path.endswith(".jsonl")
    # the header (TSV: the first line) or the first object (JSONL: the first non-blank line);
    # partitions are in file order
    first = lines.filter(lambda x: x[1].strip() != "").first() if jsonl else lines.first()
    lines = lines.repartition(partitions) if lines.getNumPartitions() != partitions else lines
    if jsonl:
        try:
            head = list(json.loads(first[1]).keys())
        except ValueError as e:
            raise SystemExit(f"{path}:{first[0] + 1}: invalid JSON: {e}")
    else:
        head = first[1].split("\t")
    for col in ("system", "hyp"):
        if col not in head:
            raise SystemExit(f"{path}: no '{col}' column")
    ref_cols = ["ref"] if "ref" in head else sorted(c for c in head if c.startswith("ref:"))
    if not ref_cols or ("ref" in head and any(c.startswith("ref:") for c in head)):
        raise SystemExit(f"{path}: needs a 'ref' column or 'ref:NAME' columns (not both)")
    has_doc = "doc" in head
    header_line = None if jsonl else first[0]

    def parse(pair):
        i, text = pair
        if i == header_line or (not jsonl and text == "") or (jsonl and text.strip() == ""):
            return []
        if jsonl:
            try:
                row = json.loads(text)
            except ValueError as e:
                raise ValueError(f"{path}:{i + 1}: invalid JSON: {e}")
        else:
            fields = text.split("\t")
            if len(fields) != len(head):
                raise ValueError(
                    f"{path}:{i + 1}: {len(fields)} fields, the header has {len(head)}")
            row = dict(zip(head, fields))
        try:
            refs = tuple(str(row[c]) for c in ref_cols)
            doc = str(row["doc"]) if has_doc else None
            return [(i, doc, str(row["system"]), str(row["hyp"]), refs)]
        except KeyError as e:
            raise ValueError(f"{path}:{i + 1}: no {e} key")

    return lines.flatMap(parse), None, None


# ---------------------------------------------------------------------------------------------
# Scoring


def score_partition(records, metrics, options):
    """One partition's records -> ((system, doc), (first line, Stats)) per system and doc."""
    import mtharness

    groups = {}
    for line, doc, system, hyp, refs in records:
        g = groups.get((system, doc))
        if g is None:
            g = groups[(system, doc)] = [line, [], [[] for _ in refs]]
        g[0] = min(g[0], line)
        g[1].append(hyp)
        for stream, ref in zip(g[2], refs):
            stream.append(ref)
    for key, (first, hyps, refs) in groups.items():
        yield key, (first, mtharness.stats(hyps, refs, metrics=metrics, **options))


def combine(a, b):
    """Sums two (first line, Stats) values: the earlier line, the Stats added with +."""
    return min(a[0], b[0]), a[1] + b[1]


def score(spark, args):
    """Runs the job; returns {"systems": [(name, Stats)], "documents": [(system, doc, Stats)]}."""
    sc = spark.sparkContext
    partitions = args.partitions or 4 * sc.defaultParallelism
    if args.table:
        records, systems, docs = table_records(sc, args.table, partitions)
    else:
        records, systems, docs = line_aligned_records(sc, args, partitions)
    metrics, options = list(args.metrics), dict(args.options)
    by_key = (
        records.mapPartitions(lambda part: score_partition(part, metrics, options))
        .reduceByKey(combine)
        .collectAsMap()
    )
    if not by_key:
        raise SystemExit("no segments to score")
    # input order: systems and documents as given, else by their first line
    first_of_system, first_of_doc = {}, {}
    for (system, doc), (first, _) in by_key.items():
        first_of_system[system] = min(first, first_of_system.get(system, first))
        first_of_doc[doc] = min(first, first_of_doc.get(doc, first))
    systems = systems or sorted(first_of_system, key=first_of_system.get)
    docs = docs or sorted(first_of_doc, key=first_of_doc.get)
    documents = [(s, d, by_key[(s, d)][1]) for s in systems for d in docs if (s, d) in by_key]
    totals = [(s, sum(st for sys_, _, st in documents if sys_ == s)) for s in systems]
    return {"systems": totals, "documents": documents if docs != [None] else []}


def write_reports(result, args):
    """Prints the table and writes the CSV reports, as `mtharness score` does."""
    systems, documents = result["systems"], result["documents"]
    first = systems[0][1]
    ids = list(first.metrics)
    signatures = first.signatures()
    if not args.quiet:
        rows = [[name] + [fmt_score(st.scores()[m], args.width) for m in ids]
                for name, st in systems]
        table = text_grid(["System"] + ids, rows) + "\n"
        table += "".join(f"{m}: {signatures[m]}\n" for m in ids)
        sys.stdout.write(table)
        sys.stdout.flush()
    if not args.csv_dir:
        return
    os.makedirs(args.csv_dir, exist_ok=True)
    rows = [["system", "metric", "score", "signature", "omissions", "additions", "stats"]]
    for name, st in systems:
        scores, raw = st.scores(), st.raw()
        rows += [[csv_text(name), m, fmt_score(scores[m], 6), signatures[m], "0", "0",
                  " ".join(fmt_stat(x) for x in raw[m])] for m in ids]
    write_csv(os.path.join(args.csv_dir, "systems.csv"), rows)
    if documents:
        names = first.stat_names()
        head = ["system", "document", "pairs", "omissions", "additions"]
        for m in ids:
            head += [m] + [f"{m}:{n}" for n in names[m]]
        rows = [head]
        for name, doc, st in documents:
            scores, raw = st.scores(), st.raw()
            row = [csv_text(name), csv_text(doc), str(st.segments), "0", "0"]
            for m in ids:
                row += [fmt_score(scores[m], 6)] + [fmt_stat(x) for x in raw[m]]
            rows.append(row)
        write_csv(os.path.join(args.csv_dir, "documents.csv"), rows)


def write_csv(path, rows):
    """Writes a CSV file as the CLI does (minimal quoting, `\\n` line ends), via a rename."""
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    os.replace(tmp, path)


def session(app, master):
    """The SparkSession of spark-submit, or a new one with `master` when run with python."""
    from pyspark.sql import SparkSession

    launching = "PYSPARK_GATEWAY_PORT" not in os.environ
    if launching and (master or "local").startswith("local"):
        # local workers run this interpreter (with mtharness), not whatever `python3` is first
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.appName(app)
    if master:
        builder = builder.master(master)
    elif launching:
        builder = builder.master("local[*]")
    return builder.getOrCreate()


def main(argv=None, spark=None):
    args = parse_args(argv)
    own = spark is None
    if own:
        spark = session("mtharness-score", args.master)
        spark.sparkContext.setLogLevel("WARN")
    try:
        result = score(spark, args)
        write_reports(result, args)
        return result
    finally:
        if own:
            spark.stop()


if __name__ == "__main__":
    main()
