"""score_job.py: `mtharness.stats` per partition, `Stats` summed with `+`, gives the scores of
one `mtharness score` run (its printed table and signatures, its systems.csv and
documents.csv, byte for byte) and the exact `Stats` of `mtharness.stats` on all lines at once."""

import json

import pytest

import score_job
from conftest import SYSTEM

SYSTEMS = (SYSTEM, "JDExploreAcademy")
PARTITIONS = "8"


def lines(path):
    return path.read_text(encoding="utf-8").splitlines()


def assert_same_files(cli_dir, job_dir, names):
    for name in names:
        a, b = (cli_dir / name).read_bytes(), (job_dir / name).read_bytes()
        assert a.count(b"\n") > 1, f"{name} is empty"
        if a != b:
            first = next(k for k, (x, y) in enumerate(zip(a.splitlines(), b.splitlines()))
                         if x != y)
            raise AssertionError(f"{name} differs from the CLI's at line {first + 1}: "
                                 f"{a.splitlines()[first]!r} != {b.splitlines()[first]!r}")


def run_job(spark, args, out_dir, capfd):
    capfd.readouterr()
    result = score_job.main([*map(str, args), "--partitions", PARTITIONS,
                             "--csv", str(out_dir)], spark=spark)
    return result, capfd.readouterr().out


def test_line_aligned_with_documents_equals_cli_and_whole_stats(
        spark, cli, corpus, mtharness_package, tmp_path, capfd):
    """ru-en x10 (20,160 lines, 2,270 documents), two systems, 8 partitions: every metric's
    Stats equals mtharness.stats on all lines at once (==: the same statistics, so the same
    floats), and the printed table, systems.csv and documents.csv are the CLI's."""
    hyps = [corpus / f"hyp.{s}.en" for s in SYSTEMS]
    args = ["-r", corpus / "ref.A.en", "-i", *hyps, "--docids", corpus / "docids"]
    printed = cli(args, tmp_path / "cli")
    result, out = run_job(spark, args, tmp_path / "job", capfd)
    assert out == printed
    assert_same_files(tmp_path / "cli", tmp_path / "job", ["systems.csv", "documents.csv"])

    refs = [lines(corpus / "ref.A.en")]
    assert [name for name, _ in result["systems"]] == list(SYSTEMS)
    for (name, stats), hyp in zip(result["systems"], hyps):
        whole = mtharness_package.stats(lines(hyp), refs)
        assert stats.segments == whole.segments == 20160
        assert stats == whole
        assert stats.scores() == whole.scores()
        assert list(stats.scores()) == ["BLEU", "chrF", "chrF++", "TER", "WER", "CER"]
    assert len(result["documents"]) == 2 * 227 * 10


def test_files_read_by_spark_with_metric_options(
        spark, cli, corpus, mtharness_package, tmp_path, capfd):
    """file:// URIs are read by Spark (split on \\n, line-aligned by a shuffle); metric options
    reach every partition; one document: no documents.csv."""
    opts = ["--tokenize", "intl", "--lowercase", "--ter-normalized"]
    local = ["-r", corpus / "ref.A.en", "-i", corpus / f"hyp.{SYSTEM}.en"]
    uris = [a if isinstance(a, str) else a.as_uri() for a in local]
    printed = cli(local + opts + ["-w", "4"], tmp_path / "cli")
    result, out = run_job(spark, uris + opts + ["-w", "4"], tmp_path / "job", capfd)
    assert out == printed
    assert_same_files(tmp_path / "cli", tmp_path / "job", ["systems.csv"])
    assert not (tmp_path / "job" / "documents.csv").exists()
    assert result["systems"][0][1].segments == 20160


def test_tsv_table_with_documents(spark, cli, corpus, mtharness_package, tmp_path, capfd):
    """A TSV table in long form (one row per document, segment and system; systems
    interleaved), read by Spark from a file:// URI."""
    docids, ref = lines(corpus / "docids"), lines(corpus / "ref.A.en")
    hyps = {s: lines(corpus / f"hyp.{s}.en") for s in SYSTEMS}
    rows = ["doc\tseg\tsystem\thyp\tref"]
    for k, (doc, r) in enumerate(zip(docids, ref)):
        rows += [f"{doc}\t{k}\t{s}\t{hyps[s][k]}\t{r}" for s in SYSTEMS]
    table = tmp_path / "ru-en-x10.tsv"
    table.write_text("\n".join(rows) + "\n", encoding="utf-8")
    printed = cli([table], tmp_path / "cli")
    _, out = run_job(spark, [table.as_uri()], tmp_path / "job", capfd)
    assert out == printed
    assert_same_files(tmp_path / "cli", tmp_path / "job", ["systems.csv", "documents.csv"])


def test_jsonl_table_with_two_references(spark, cli, shared, mtharness_package, tmp_path,
                                         capfd):
    """de-en as JSONL: two references (ref:A, ref:B; TER's mean reference length has
    halves), integer segment ids, a blank line; read by the driver."""
    src = shared / "corpora" / "wmt22-de-en"
    ref_a, ref_b = lines(src / "ref.A.en"), lines(src / "ref.B.en")
    systems = sorted(p.name.split(".")[1] for p in src.glob("hyp.*.en"))[:2]
    out_lines = []
    for s in systems:
        for k, (h, a, b) in enumerate(zip(lines(src / f"hyp.{s}.en"), ref_a, ref_b)):
            out_lines.append(json.dumps({"doc": f"d{k // 50}", "seg": k, "system": s,
                                         "hyp": h, "ref:B": b, "ref:A": a}))
    out_lines.insert(3, "")
    table = tmp_path / "de-en.jsonl"
    table.write_text("\n".join(out_lines) + "\n", encoding="utf-8")
    printed = cli([table], tmp_path / "cli")
    result, out = run_job(spark, [table], tmp_path / "job", capfd)
    assert out == printed
    assert "nrefs:2" in out
    assert_same_files(tmp_path / "cli", tmp_path / "job", ["systems.csv", "documents.csv"])
    assert [s for s, _ in result["systems"]] == systems


def test_spark_submit(cli, corpus, spark_submit, mtharness_package, tmp_path):
    """The job as a user runs it: spark-submit --master local[2] score_job.py ..."""
    args = ["-r", corpus / "ref.A.en", "-i", corpus / f"hyp.{SYSTEM}.en",
            "--docids", corpus / "docids"]
    printed = cli(args, tmp_path / "cli")
    out = spark_submit("score_job.py", *args, "--partitions", PARTITIONS,
                       "--csv", tmp_path / "job")
    assert out == printed
    assert_same_files(tmp_path / "cli", tmp_path / "job", ["systems.csv", "documents.csv"])


# The CLI's formatting and line rules, without Spark


@pytest.mark.parametrize("x, decimals, text", [
    (45.0287456, 2, "45.03"), (-0.0000001, 2, "0.00"), (-1.5, 1, "-1.5"),
    (0.125, 2, "0.12"), (float("nan"), 2, "nan"), (float("inf"), 6, "inf"),
])
def test_fmt_score(x, decimals, text):
    assert score_job.fmt_score(x, decimals) == text


@pytest.mark.parametrize("x, text", [
    (3.0, "3"), (2.5, "2.5"), (1 / 3, "0.3333333333333333"), (1e-7, "0.0000001"),
    (1.5e20, "150000000000000000000"), (1e15, "1000000000000000"),
])
def test_fmt_stat(x, text):
    assert score_job.fmt_stat(x) == text


@pytest.mark.parametrize("path, name", [
    ("/x/hyp.Online-B.en", "Online-B"), ("hyp.a.b.en", "a.b"), ("hyp.en", "hyp"),
    ("a/out.txt", "out"), (".hidden", ".hidden"), ("hyp..en", "hyp."),
])
def test_system_name(path, name):
    assert score_job.system_name(path) == name


def test_read_local_lines(tmp_path):
    p = tmp_path / "f"
    p.write_bytes(b"\xef\xbb\xbfa\r\nb\n\nc")
    assert score_job.read_local_lines(str(p)) == ["a", "b", "", "c"]
    p.write_bytes(b"a\rb\n")
    assert score_job.read_local_lines(str(p)) == ["a\rb"]
    p.write_bytes(b"\xff\n")
    with pytest.raises(SystemExit, match="invalid UTF-8"):
        score_job.read_local_lines(str(p))


def test_bad_inputs_are_errors_naming_the_file(spark, mtharness_package, tmp_path):
    (tmp_path / "ref.en").write_text("a b c\nd e\n", encoding="utf-8")
    (tmp_path / "hyp.X.en").write_text("a b c\n", encoding="utf-8")
    (tmp_path / "hyp.Y.en").write_bytes(b"a \xff\nd e\n")
    lengths = r"differ in length: .*hyp.X.en: 1 lines, .*ref.en: 2 lines"
    with pytest.raises(SystemExit, match=lengths):
        score_job.main(["-r", str(tmp_path / "ref.en"), "-i", str(tmp_path / "hyp.X.en")],
                       spark=spark)
    with pytest.raises(SystemExit, match=r"hyp.Y.en: invalid UTF-8 at byte 2"):
        score_job.main(["-r", str(tmp_path / "ref.en"), "-i", str(tmp_path / "hyp.Y.en")],
                       spark=spark)
    table = tmp_path / "t.tsv"
    table.write_text("system\thyp\tref\nX\ta b\ta c\nX\tonly two\n", encoding="utf-8")
    with pytest.raises(Exception, match=r"t.tsv:3: 2 fields, the header has 3"):
        score_job.main([str(table)], spark=spark)
    table.write_text("system\thyp\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="needs a 'ref' column"):
        score_job.main([str(table)], spark=spark)
