#!/usr/bin/env bash
# What a Spark job costs against the CLI: WMT22 ru-en reference A and Online-B repeated
# $COPIES times (default 1,000: 2,016,000 segment pairs), the default metrics (BLEU chrF chrF++
# TER WER CER), wall time of each run from start to exit, JVM start-up included. Writes
# reports/spark.csv. Needs ../shared (or $MTHARNESS_SHARED) and the venv that .ci/spark sets
# up (${MTHARNESS_VENV:-.venv} with pyspark and the mtharness package). Each run's printed
# table is checked against the CLI's: the scores must be the same to the last printed digit.
# The machine's 1-minute load average before each run is kept beside its time.
set -euo pipefail
cd "$(dirname "$0")/.."
shared=${MTHARNESS_SHARED:-../shared}
copies=${COPIES:-1000}
py=${MTHARNESS_VENV:-.venv}/bin/python
out=reports/spark.csv

cargo build --release --quiet --bin mtharness
bin=$(cd "${CARGO_TARGET_DIR:-target}" && pwd)/release/mtharness
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
data=$tmp/ru-en-x$copies
mkdir "$data"
for f in ref.A.en hyp.Online-B.en; do
  for _ in $(seq "$copies"); do cat "$shared/corpora/wmt22-ru-en/$f"; done >"$data/$f"
done
segments=$(wc -l <"$data/ref.A.en")
input=(-r "$data/ref.A.en" -i "$data/hyp.Online-B.en")

export SPARK_LOCAL_IP=127.0.0.1 PYSPARK_PYTHON=$py PYSPARK_DRIVER_PYTHON=$py
submit=("$(dirname "$py")/spark-submit" --master 'local[2]' --driver-memory 6g
  --conf spark.ui.enabled=false --conf spark.ui.showConsoleProgress=false)

# run NAME PARTITIONS COMMAND...: times COMMAND, keeps its table (the lines before the signatures)
cli_seconds=""
run() {
  local name=$1 parts=$2
  shift 2
  echo "== $name" >&2
  local t0 t1 load
  load=$(cut -d' ' -f1 /proc/loadavg)
  t0=$(date +%s.%N)
  "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" || { tail -n 20 "$tmp/$name.err" >&2; exit 1; }
  t1=$(date +%s.%N)
  sed -n '1,/^$/p' "$tmp/$name.out" >"$tmp/$name.table"
  local secs same=yes
  secs=$(awk "BEGIN { print $t1 - $t0 }")
  [ -n "$cli_seconds" ] || cli_seconds=$secs
  cmp -s "$tmp/cli.table" "$tmp/$name.table" || same=no
  awk -v n="$name" -v seg="$segments" -v p="$parts" -v s="$secs" -v c="$cli_seconds" \
    -v same="$same" -v load="$load" \
    'BEGIN { printf "%s,%d,%s,%.1f,%.0f,%.2f,%s,%s\n", n, seg, p, s, seg / s, s / c, same, load }' \
    >>"$tmp/rows"
  cat "$tmp/$name.table" >&2
}

: >"$tmp/rows"
run cli "" "$bin" score "${input[@]}"
run python-stats "" "$py" -c '
import sys, mtharness
sys.path.insert(0, "examples/spark")
from score_job import read_local_lines, fmt_score, text_grid
hyp, ref = read_local_lines(sys.argv[1]), read_local_lines(sys.argv[2])
st = mtharness.stats(hyp, [ref])
ids = list(st.metrics)
print(text_grid(["System"] + ids, [["Online-B"] + [fmt_score(st.scores()[m], 2) for m in ids]]))
' "$data/hyp.Online-B.en" "$data/ref.A.en"
run spark-score_job 16 "${submit[@]}" examples/spark/score_job.py "${input[@]}" --partitions 16
run spark-score_job-file-uris 16 "${submit[@]}" examples/spark/score_job.py \
  -r "file://$data/ref.A.en" -i "file://$data/hyp.Online-B.en" --partitions 16
run spark-shard_job 8 "${submit[@]}" examples/spark/shard_job.py "${input[@]}" --shards 8 \
  --mtharness "$bin" --shared-fs --stats-dir "$tmp/stats"

{
  echo "run,segments,partitions,wall_s,segments_per_s,x_cli_time,same_scores,load_before"
  cat "$tmp/rows"
} >"$out"
cat "$out"
