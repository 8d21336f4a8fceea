#!/usr/bin/env bash
# mtharness's Python package against sacreBLEU 2.6.0 and jiwer 4.0.0, called from Python on
# the same lists (corpus_bleu, sentence_bleu in a loop, wer; speed and peak memory): makes a
# throw-away virtualenv in a temporary folder, installs `./python` (maturin builds the Rust
# extension in release mode) and the two peers into it, and runs benches/python.py, which
# writes reports/python.csv. Its docstring lists the settings (REPEAT, COPIES,
# SENTENCE_SEGMENTS, CORPUS_DIR, RAYON_NUM_THREADS, ...).
#
# Usage: benches/python.sh [--out FILE]
# Environment: PYTHON (default python3), KEEP_TMP=1 keeps the temporary folder, and those of
# benches/python.py.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-python3}"

TMP="$(mktemp -d "${TMPDIR:-/tmp}/mtharness-pybench.XXXXXX")"
cleanup() { if [ "${KEEP_TMP:-0}" != 1 ]; then rm -rf "$TMP"; fi; }
trap cleanup EXIT

echo "== virtualenv in $TMP/venv" >&2
"$PYTHON" -m venv "$TMP/venv"
(cd "$ROOT" && "$TMP/venv/bin/pip" install --quiet --disable-pip-version-check \
  ./python sacrebleu==2.6.0 jiwer==4.0.0)

cd "$ROOT"
"$TMP/venv/bin/python" benches/python.py "$@"
