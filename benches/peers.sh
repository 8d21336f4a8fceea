#!/usr/bin/env bash
# Throughput of mtharness against the reference implementations, single-threaded, on the same
# corpus: sacreBLEU 2.6.0 (BLEU, chrF, chrF++, TER), jiwer 4.0.0 (WER) and rapidfuzz 3.14.6
# (Levenshtein distance per pair: over token lists, the edit count of WER, and over characters,
# which mtharness's CER computes).
#
# Usage: benches/peers.sh [CORPUS_DIR [SEGMENTS]]
#   CORPUS_DIR  line-aligned corpus with ref.A.en and hyp.SYSTEM.en (default ../shared/corpora/wmt22-ru-en)
#   SEGMENTS    the reference and one system are repeated to about this many lines (default 200000)
# Environment: SYSTEM (default Online-B), TER_SUBSET (segments sacreBLEU's TER is timed on, then
# scaled; default 5000), REPEAT (each peer and each mtharness row is timed this many times and
# the fastest run kept, the same for both sides, against a noisy machine; default 1), PYTHON
# (default python3), KEEP_TMP=1 keeps the temporary folder, SPEED=0 skips the throughput part
# (memory only).
#
# Creates a throw-away virtualenv in a temporary folder, installs the three peers from PyPI,
# builds mtharness --release, times the peers in-process on lists already in memory and
# `mtharness bench` on the same files (its metric rows also time the corpus already in memory;
# its `read+split` row is the floor of reading and splitting), and writes reports/peers.csv:
#   metric,peer,peer_segments_per_s,mtharness_segments_per_s,ratio   (ratio = mtharness / peer)
# Then peak memory (`/usr/bin/time -v`, maximum resident set size) of the same BLEU run by the
# sacreBLEU command line and by `mtharness score` (in memory) and `score --stream`, on the corpus
# and on the corpus repeated 10 times (mtharness only; MEMORY_LARGE=0 skips it), into
# reports/memory.csv (each command run REPEAT times: the largest peak, with the fastest time;
# a short run's peak varies by a few MB with thread timing):
#   tool,command,segments,peak_rss_kb,seconds
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CORPUS="${1:-$ROOT/../shared/corpora/wmt22-ru-en}"
SEGMENTS="${2:-200000}"
SYSTEM="${SYSTEM:-Online-B}"
TER_SUBSET="${TER_SUBSET:-5000}"
REPEAT="${REPEAT:-1}"
PYTHON="${PYTHON:-python3}"

TMP="$(mktemp -d "${TMPDIR:-/tmp}/mtharness-peers.XXXXXX")"
cleanup() { if [ "${KEEP_TMP:-0}" != 1 ]; then rm -rf "$TMP"; fi; }
trap cleanup EXIT

for f in "$CORPUS/ref.A.en" "$CORPUS/hyp.$SYSTEM.en"; do
  [ -f "$f" ] || { echo "peers.sh: missing $f" >&2; exit 2; }
done

echo "== virtualenv in $TMP/venv" >&2
"$PYTHON" -m venv "$TMP/venv"
"$TMP/venv/bin/pip" install --quiet --disable-pip-version-check \
  sacrebleu==2.6.0 jiwer==4.0.0 rapidfuzz==3.14.6

echo "== cargo build --release" >&2
(cd "$ROOT" && cargo build --release --quiet)
MTH="$ROOT/target/release/mtharness"

# The corpus, repeated to about SEGMENTS lines (whole copies).
lines=$(wc -l < "$CORPUS/ref.A.en")
copies=$(( (SEGMENTS + lines - 1) / lines ))
: > "$TMP/ref.en"; : > "$TMP/hyp.en"
for _ in $(seq "$copies"); do
  cat "$CORPUS/ref.A.en" >> "$TMP/ref.en"
  cat "$CORPUS/hyp.$SYSTEM.en" >> "$TMP/hyp.en"
done
echo "== corpus: $copies x $lines = $(wc -l < "$TMP/ref.en") segments" >&2

if [ "${SPEED:-1}" = 1 ]; then
echo "== peers (in-process, one thread)" >&2
"$TMP/venv/bin/python" - "$TMP/ref.en" "$TMP/hyp.en" "$TER_SUBSET" "$REPEAT" > "$TMP/peers.tsv" <<'PY'
import sys, time
from sacrebleu.metrics import BLEU, CHRF, TER
import jiwer
from rapidfuzz.distance import Levenshtein

ref_path, hyp_path, ter_subset, repeat = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
# as the sacreBLEU CLI reads files
refs = [l.rstrip("\n") for l in open(ref_path, encoding="utf-8")]
hyps = [l.rstrip("\n") for l in open(hyp_path, encoding="utf-8")]
n = len(refs)

def timed(metric, peer, fn, count):
    secs = float("inf")
    for _ in range(max(repeat, 1)):
        t = time.perf_counter()
        fn(count)
        secs = min(secs, time.perf_counter() - t)
    print(f"{metric}\t{peer}\t{count / secs:.1f}", flush=True)
    print(f"  {metric} ({peer}): {count} segments in {secs:.2f} s", file=sys.stderr, flush=True)

timed("BLEU", "sacrebleu-2.6.0", lambda k: BLEU().corpus_score(hyps[:k], [refs[:k]]), n)
timed("chrF", "sacrebleu-2.6.0", lambda k: CHRF().corpus_score(hyps[:k], [refs[:k]]), n)
timed("chrF++", "sacrebleu-2.6.0", lambda k: CHRF(word_order=2).corpus_score(hyps[:k], [refs[:k]]), n)
# TER is slow in sacreBLEU: timed on a prefix, segments/s scaled from it
timed("TER", "sacrebleu-2.6.0", lambda k: TER().corpus_score(hyps[:k], [refs[:k]]), min(n, ter_subset))
timed("WER", "jiwer-4.0.0", lambda k: jiwer.wer(refs[:k], hyps[:k]), n)
# rapidfuzz's token path: the word edit distance of token lists (what WER divides by the
# reference length). Timed twice: splitting the strings inside the timed region (mtharness's
# WER starts from the same strings), and on lists split beforehand (distance only).
def wer_rf(k):
    d = Levenshtein.distance
    return sum(d(r.split(), h.split()) for r, h in zip(refs[:k], hyps[:k]))
timed("WER", "rapidfuzz-3.14.6 Levenshtein.distance(ref.split(), hyp.split())", wer_rf, n)
ref_toks = [r.split() for r in refs]
hyp_toks = [h.split() for h in hyps]
def wer_rf_presplit(k):
    d = Levenshtein.distance
    return sum(d(r, h) for r, h in zip(ref_toks[:k], hyp_toks[:k]))
timed("WER", "rapidfuzz-3.14.6 Levenshtein.distance on lists split before timing", wer_rf_presplit, n)
def lev(k):
    d = Levenshtein.distance
    return sum(d(r, h) for r, h in zip(refs[:k], hyps[:k]))
timed("CER", "rapidfuzz-3.14.6 Levenshtein.distance", lev, n)
PY

echo "== mtharness bench (one thread)" >&2
"$MTH" bench -r "$TMP/ref.en" -i "$TMP/hyp.en" -m bleu chrf chrf++ ter wer cer \
  --threads 1 --repeat "$REPEAT" --out "$TMP/throughput.csv" -q

mkdir -p "$ROOT/reports"
"$TMP/venv/bin/python" - "$TMP/peers.tsv" "$TMP/throughput.csv" "$ROOT/reports/peers.csv" <<'PY'
import csv, os, sys
peers_path, tp_path, out_path = sys.argv[1:4]
ours = {r["metric"]: float(r["segments_per_s"]) for r in csv.DictReader(open(tp_path))}
rows = []
for line in open(peers_path):
    metric, peer, sps = line.rstrip("\n").split("\t")
    mine = ours[metric]
    rows.append([metric, peer, sps, f"{mine:.1f}", f"{mine / float(sps):.2f}"])
tmp = out_path + ".tmp"
with open(tmp, "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["metric", "peer", "peer_segments_per_s", "mtharness_segments_per_s", "ratio"])
    w.writerows(rows)
os.replace(tmp, out_path)
PY
cat "$ROOT/reports/peers.csv"
fi

echo "== peak memory, BLEU" >&2
mem="$ROOT/reports/memory.csv.tmp"
echo "tool,command,segments,peak_rss_kb,seconds" > "$mem"
peak() { # tool label segments cmd...   (largest peak and fastest time over REPEAT runs)
  local tool="$1" label="$2" n="$3"; shift 3
  local max_kb=0 min_secs="" kb secs
  for _ in $(seq "$REPEAT"); do
    /usr/bin/time -f "%M %e" -o "$TMP/time.txt" "$@" > /dev/null
    read -r kb secs < "$TMP/time.txt"
    [ "$kb" -gt "$max_kb" ] && max_kb=$kb
    if [ -z "$min_secs" ] || awk "BEGIN { exit !($secs < $min_secs) }"; then min_secs=$secs; fi
  done
  echo "$tool,$label,$n,$max_kb,$min_secs" | tee -a "$mem"
}
n=$(wc -l < "$TMP/ref.en")
peak sacrebleu-2.6.0 "sacrebleu ref -i hyp -m bleu -b" "$n" \
  "$TMP/venv/bin/sacrebleu" "$TMP/ref.en" -i "$TMP/hyp.en" -m bleu -b
peak mtharness "score -r ref -i hyp -m bleu -b" "$n" \
  "$MTH" score -r "$TMP/ref.en" -i "$TMP/hyp.en" -m bleu -b
peak mtharness "score --stream -r ref -i hyp -m bleu -b" "$n" \
  "$MTH" score --stream -r "$TMP/ref.en" -i "$TMP/hyp.en" -m bleu -b
if [ "${MEMORY_LARGE:-1}" = 1 ]; then
  : > "$TMP/ref10.en"; : > "$TMP/hyp10.en"
  for _ in $(seq 10); do
    cat "$TMP/ref.en" >> "$TMP/ref10.en"; cat "$TMP/hyp.en" >> "$TMP/hyp10.en"
  done
  n10=$(wc -l < "$TMP/ref10.en")
  peak mtharness "score --stream -r ref -i hyp -m bleu -b" "$n10" \
    "$MTH" score --stream -r "$TMP/ref10.en" -i "$TMP/hyp10.en" -m bleu -b
  peak mtharness "score --stream -r ref -i hyp -b (all six metrics)" "$n10" \
    "$MTH" score --stream -r "$TMP/ref10.en" -i "$TMP/hyp10.en" -b
  peak mtharness "score --stream -r ref -i hyp -b (all six metrics)" "$n" \
    "$MTH" score --stream -r "$TMP/ref.en" -i "$TMP/hyp.en" -b
fi
mv "$mem" "$ROOT/reports/memory.csv"
