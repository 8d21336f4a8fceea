"""Shared fixtures: the `shared` folder of corpora and oracle scores.

`../shared` beside the repository (or `$MTHARNESS_SHARED`). Locally a missing folder skips the
tests that need it; with `CI` set it fails them, as the Rust tests do (tests/common/mod.rs), so a
fidelity test can never pass by not running.
"""

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def shared_dir():
    env = os.environ.get("MTHARNESS_SHARED")
    d = Path(env) if env else REPO.parent / "shared"
    if (d / "oracle").is_dir() and (d / "corpora").is_dir():
        return d
    if os.environ.get("CI"):
        pytest.fail(f"../shared not found at {d} (CI is set): fidelity tests must run in CI")
    pytest.skip(f"../shared not found at {d} (set MTHARNESS_SHARED)")


@pytest.fixture(scope="session")
def shared():
    return shared_dir()


def read_lines(path):
    """A file's lines as sacreBLEU reads them (`rstrip("\\n")`)."""
    with open(path, encoding="utf-8") as f:
        return [line.rstrip("\n") for line in f]
