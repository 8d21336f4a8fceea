"""shard_job.py: `mtharness score --shard I/N --stats FILE` in Spark tasks, then `mtharness
merge`, writes the reports and prints the table of a single `mtharness score` run, byte for
byte."""

import pytest

import shard_job
from conftest import SYSTEM

REPORTS = ("systems.csv", "documents.csv", "segments.csv")


def assert_same_reports(single, merged):
    for name in REPORTS:
        a, b = (single / name).read_bytes(), (merged / name).read_bytes()
        assert a.count(b"\n") > 1, f"{name} is empty"
        if a != b:
            first = next(k for k, (x, y) in enumerate(zip(a.splitlines(), b.splitlines()))
                         if x != y)
            raise AssertionError(f"{name} differs from the single run's at line {first + 1}")


def test_documents_in_8_shards_equal_one_run(spark, binary, cli, corpus, tmp_path, capfd):
    """20,160 lines in 2,270 documents, two systems: shards by document."""
    args = ["-r", corpus / "ref.A.en",
            "-i", corpus / f"hyp.{SYSTEM}.en", corpus / "hyp.JDExploreAcademy.en",
            "--docids", corpus / "docids"]
    printed = cli(args, tmp_path / "single")
    capfd.readouterr()
    files = shard_job.main([*map(str, args), "--shards", "8", "--mtharness", binary,
                            "--csv", str(tmp_path / "merged")], spark=spark)
    assert len(files) == 8
    assert capfd.readouterr().out == printed
    assert_same_reports(tmp_path / "single", tmp_path / "merged")


def test_one_document_in_8_shards_on_a_shared_fs(spark, binary, cli, corpus, tmp_path):
    """No document ids: one document of 20,160 segments, dealt out to the shards by segment;
    `mtharness score` options after `--`; executors read the files where they are."""
    args = ["-r", corpus / "ref.A.en", "-i", corpus / f"hyp.{SYSTEM}.en"]
    options = ["-m", "bleu", "chrf", "chrf++", "ter", "wer", "cer", "--tokenize", "intl"]
    cli(args + options, tmp_path / "single")
    shard_job.main([*map(str, args), "--shards", "8", "--mtharness", binary, "-q",
                    "--shared-fs", "--stats-dir", str(tmp_path / "stats"),
                    "--csv", str(tmp_path / "merged"), "--", *options], spark=spark)
    assert sorted(p.name for p in (tmp_path / "stats").iterdir()) == [
        f"stats.{i}-of-8.csv" for i in range(8)]
    assert_same_reports(tmp_path / "single", tmp_path / "merged")


def test_folder_corpus_by_spark_submit(binary, cli, spark_submit, folder, tmp_path):
    """A folder of 227 articles (ref/, mt/SYSTEM/), shipped to the executors in an archive,
    through spark-submit as a user runs it."""
    printed = cli([folder], tmp_path / "single")
    out = spark_submit("shard_job.py", folder, "--shards", "8", "--mtharness", binary,
                       "--csv", tmp_path / "merged")
    assert out == printed
    assert_same_reports(tmp_path / "single", tmp_path / "merged")


def test_a_failing_shard_fails_the_job_with_the_cli_message(spark, binary, tmp_path):
    (tmp_path / "ref.en").write_text("a b c\nd e\n", encoding="utf-8")
    (tmp_path / "hyp.X.en").write_text("a b c\nd\n", encoding="utf-8")
    args = ["-r", str(tmp_path / "ref.en"), "-i", str(tmp_path / "hyp.X.en"),
            "--shards", "2", "--mtharness", binary, "-q"]
    with pytest.raises(Exception, match=r"exited with 2: .*tokeni"):
        shard_job.main(args + ["--", "--tokenize", "nope"], spark=spark)
