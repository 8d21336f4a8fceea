#!/usr/bin/env bash
# Both jobs on a real (if small) Spark cluster: a standalone master and one worker on
# 127.0.0.1, client mode, the executors in their own working directories. score_job.py gets the
# mtharness package on the executors from a venv-pack archive (--archives ...#env), as on YARN
# or Kubernetes; shard_job.py ships the binary and the corpus itself. Each job's reports must
# equal the CLI's, byte for byte, on WMT22 ru-en repeated 10 times.
# Needs what .ci/spark installs and ../shared (or $MTHARNESS_SHARED); not part of CI (a few
# minutes). Stops its master and worker on exit.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
shared=${MTHARNESS_SHARED:-../shared}
py=$repo/${MTHARNESS_VENV:-.venv}/bin/python
SPARK_HOME=$("$py" -c 'import os, pyspark; print(os.path.dirname(pyspark.__file__))')
export SPARK_HOME SPARK_LOCAL_IP=127.0.0.1
cargo build --quiet --release --bin mtharness
bin=$(cd "${CARGO_TARGET_DIR:-target}" && pwd)/release/mtharness

tmp=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT

echo "== the executors' environment: a venv with the mtharness package, packed with venv-pack"
python3 -m venv "$tmp/mth-env"
"$tmp/mth-env/bin/pip" install -q --disable-pip-version-check ./python venv-pack
"$tmp/mth-env/bin/venv-pack" --quiet -p "$tmp/mth-env" -o "$tmp/mth-env.tar.gz"

echo "== ru-en x10"
data=$tmp/ru-en-x10
mkdir "$data"
for f in ref.A.en hyp.Online-B.en; do
  for _ in $(seq 10); do cat "$shared/corpora/wmt22-ru-en/$f"; done >"$data/$f"
done
for k in $(seq 0 9); do sed "s/^/c$k:/" "$shared/corpora/wmt22-ru-en/docids"; done >"$data/docids"
input=(-r "$data/ref.A.en" -i "$data/hyp.Online-B.en" --docids "$data/docids")
"$bin" score "${input[@]}" --csv "$tmp/cli" >"$tmp/cli.out"

echo "== a standalone master and worker on 127.0.0.1"
"$SPARK_HOME/bin/spark-class" org.apache.spark.deploy.master.Master --host 127.0.0.1 \
  --port 7077 --webui-port 18080 >"$tmp/master.log" 2>&1 &
pids+=($!)
"$SPARK_HOME/bin/spark-class" org.apache.spark.deploy.worker.Worker spark://127.0.0.1:7077 \
  --host 127.0.0.1 --cores 2 --memory 4g --webui-port 18081 --work-dir "$tmp/work" \
  >"$tmp/worker.log" 2>&1 &
pids+=($!)
for _ in $(seq 120); do
  grep -q "Successfully registered with master" "$tmp/worker.log" && break
  sleep 1
done
grep -q "Successfully registered with master" "$tmp/worker.log" || { tail "$tmp/worker.log"; exit 1; }

submit=("$(dirname "$py")/spark-submit" --master spark://127.0.0.1:7077 --deploy-mode client
  --conf spark.ui.enabled=false --conf spark.ui.showConsoleProgress=false)
same() {
  for f in "$@"; do cmp "$tmp/cli/$f" "$tmp/job/$f"; done
  cmp "$tmp/cli.out" "$tmp/job.out"
}

echo "== score_job.py, the package from the archive; files read by Spark (file://)"
"${submit[@]}" --conf spark.pyspark.driver.python="$py" \
  --archives "$tmp/mth-env.tar.gz#env" --conf spark.pyspark.python=./env/bin/python \
  examples/spark/score_job.py --partitions 8 --csv "$tmp/job" \
  -r "file://$data/ref.A.en" -i "file://$data/hyp.Online-B.en" --docids "file://$data/docids" \
  >"$tmp/job.out" 2>"$tmp/score.err" || { tail -n 30 "$tmp/score.err"; exit 1; }
same systems.csv documents.csv
ls "$tmp"/work/app-*/*/env/bin/python >/dev/null # the executor ran the archive's Python
echo "   the CLI's table, systems.csv and documents.csv"
rm -r "$tmp/job"

echo "== shard_job.py, the binary and the corpus shipped by the job"
PYSPARK_DRIVER_PYTHON=$py "${submit[@]}" examples/spark/shard_job.py --shards 8 \
  --mtharness "$bin" --csv "$tmp/job" "${input[@]}" \
  >"$tmp/job.out" 2>"$tmp/shard.err" || { tail -n 30 "$tmp/shard.err"; exit 1; }
same systems.csv documents.csv segments.csv
echo "   the CLI's table, systems.csv, documents.csv and segments.csv"
echo "== both jobs equal the CLI on the standalone cluster"
