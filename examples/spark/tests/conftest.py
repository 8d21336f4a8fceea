"""Fixtures of the Spark job tests: the shared WMT22 data, the mtharness binary, one local[2]
SparkSession for the whole run, and the ru-en corpus repeated 10 times (20,160 lines).

The shared data is `../shared` beside the repository (or $MTHARNESS_SHARED): without it the
tests are skipped, except in CI (`CI=true`), where they fail. The mtharness binary is
$MTHARNESS_BIN, else the newest of target/{release,debug}/mtharness under $CARGO_TARGET_DIR
(or the repository's target/); `.ci/spark` builds it and sets $MTHARNESS_BIN."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
JOBS = HERE.parent
REPO = JOBS.parent.parent
sys.path.insert(0, str(JOBS))

COPIES = 10
SYSTEM = "Online-B"
IN_CI = os.environ.get("CI", "").lower() not in ("", "0", "false")


def missing(what):
    """Skip locally, fail in CI: a test that needs a missing input never passes by not running."""
    if IN_CI:
        pytest.fail(f"{what} (CI is set: the Spark tests must run)")
    pytest.skip(what)


@pytest.fixture(scope="session")
def shared():
    d = Path(os.environ.get("MTHARNESS_SHARED") or REPO.parent / "shared")
    if not (d / "corpora" / "wmt22-ru-en" / "ref.A.en").is_file():
        missing(f"shared data not found at {d}")
    return d


@pytest.fixture(scope="session")
def binary():
    env = os.environ.get("MTHARNESS_BIN")
    if env:
        return env
    target = Path(os.environ.get("CARGO_TARGET_DIR") or REPO / "target")
    found = [p for p in (target / "release" / "mtharness", target / "debug" / "mtharness")
             if p.is_file()]
    if not found:
        missing(f"no mtharness binary under {target} (cargo build, or set MTHARNESS_BIN)")
    return str(max(found, key=lambda p: p.stat().st_mtime))


@pytest.fixture(scope="session")
def mtharness_package():
    """The mtharness Python package (`pip install ./python`); in CI a must once python/ exists."""
    try:
        import mtharness
    except ImportError as e:
        if (REPO / "python" / "pyproject.toml").is_file():
            missing(f"the mtharness Python package is not installed (pip install ./python): {e}")
        pytest.skip(f"the mtharness Python package does not exist yet: {e}")
    return mtharness


@pytest.fixture(scope="session")
def spark():
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    os.environ["PYSPARK_PYTHON"] = sys.executable
    from pyspark.sql import SparkSession

    s = (
        SparkSession.builder.master("local[2]")
        .appName("mtharness-tests")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )
    s.sparkContext.setLogLevel("ERROR")
    # the tests import the jobs as modules: their functions reach the workers by module name
    for job in ("score_job.py", "shard_job.py"):
        s.sparkContext.addPyFile(str(JOBS / job))
    yield s
    s.stop()


def repeat(src, dst, copies, prefix=False):
    """Writes `copies` copies of src's lines to dst, line ids prefixed per copy with `prefix`."""
    text = src.read_text(encoding="utf-8")
    if prefix:
        lines = text.splitlines(keepends=True)
        text = "".join(f"c{k}:{line}" for k in range(copies) for line in lines)
        dst.write_text(text, encoding="utf-8")
    else:
        dst.write_text(text * copies, encoding="utf-8")


@pytest.fixture(scope="session")
def corpus(shared, tmp_path_factory):
    """ru-en x10 in `ru-en-x10/`: ref.A.en, hyp.Online-B.en, hyp.JDExploreAcademy.en, docids
    (each copy's document ids prefixed `cK:`, so that documents stay distinct and contiguous)."""
    src = shared / "corpora" / "wmt22-ru-en"
    d = tmp_path_factory.mktemp("data") / "ru-en-x10"
    d.mkdir()
    for name in ("ref.A.en", f"hyp.{SYSTEM}.en", "hyp.JDExploreAcademy.en"):
        repeat(src / name, d / name, COPIES)
    repeat(src / "docids", d / "docids", COPIES, prefix=True)
    return d


@pytest.fixture(scope="session")
def folder(shared, tmp_path_factory):
    """ru-en as a folder of articles: `ref/DOC.txt`, `mt/SYSTEM/DOC.txt` for 227 documents."""
    src = shared / "corpora" / "wmt22-ru-en"
    d = tmp_path_factory.mktemp("data") / "ru-en-articles"
    docids = (src / "docids").read_text(encoding="utf-8").splitlines()
    for side, name in (("ref", "ref.A.en"), (f"mt/{SYSTEM}", f"hyp.{SYSTEM}.en")):
        (d / side).mkdir(parents=True)
        lines = (src / name).read_text(encoding="utf-8").splitlines()
        docs = {}
        for doc, line in zip(docids, lines):
            docs.setdefault(doc, []).append(line + "\n")
        for doc, text in docs.items():
            (d / side / f"{doc}.txt").write_text("".join(text), encoding="utf-8")
    return d


@pytest.fixture(scope="session")
def cli(binary):
    """`cli(args, csv_dir)` runs `mtharness score ARGS --csv csv_dir`, returns its output."""

    def run(args, csv_dir):
        cmd = [binary, "score", *map(str, args), "--csv", str(csv_dir)]
        return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout

    return run


@pytest.fixture(scope="session")
def spark_submit():
    """`spark_submit(script, *args)` runs `spark-submit --master local[2] script args` as a
    user would (the venv's spark-submit, this interpreter for the driver and the workers)."""
    exe = Path(sys.executable).parent / "spark-submit"

    def run(script, *args):
        env = dict(os.environ, PYSPARK_PYTHON=sys.executable,
                   PYSPARK_DRIVER_PYTHON=sys.executable)
        env.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        cmd = [str(exe), "--master", "local[2]", "--conf", "spark.ui.enabled=false",
               "--conf", "spark.ui.showConsoleProgress=false", str(JOBS / script),
               *map(str, args)]
        out = subprocess.run(cmd, capture_output=True, text=True, env=env)
        assert out.returncode == 0, out.stderr[-4000:]
        return out.stdout

    return run
