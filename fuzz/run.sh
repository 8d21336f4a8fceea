#!/usr/bin/env bash
# Runs the cargo-fuzz targets of mtharness one after the other.
#
#   fuzz/run.sh [SECONDS] [TARGET...]     (default: 600 seconds, every target)
#
# Needs cargo-fuzz (`cargo install cargo-fuzz --locked`) and a nightly toolchain. For each
# target: builds it, fills fuzz/corpus/TARGET with seeds made from the project's own sample
# files (corpora/sample) and fuzz/seeds/TARGET, runs libFuzzer for SECONDS, and appends
# "target seconds execs crashes" to fuzz/last-run.tsv (rewritten per run). Crash inputs land
# in fuzz/artifacts/TARGET/; libFuzzer's output is in fuzz/logs/TARGET.log. Exits 1 when any
# target crashed (FUZZ_SUMMARY=FILE writes the summary elsewhere, e.g. for two runs in parallel).
# Runs at low priority (nice 10) with one thread for rayon, one target at a time.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
cd "$here"

seconds="${1:-600}"
shift || true
all=(plain folder wmt_xml table_tsv table_jsonl glossary_csv glossary_tbx rules_toml scoring)
if [ "$#" -gt 0 ]; then targets=("$@"); else targets=("${all[@]}"); fi

# Longest input per target: 64 KiB for the readers, 4 KiB for the scoring path (whose stages
# are quadratic in the text length by design; the CLI bounds them with --max-line-bytes).
max_len() { if [ "$1" = scoring ]; then echo 4096; else echo 65536; fi; }

sample="$root/corpora/sample"
sep=$'\xff'

# Seeds built from the sample corpus, in each target's input encoding (see the target's docs).
make_seeds() {
    local t="$1" dir="$here/corpus/$1"
    mkdir -p "$dir"
    cp -f "$here/seeds/$t"/* "$dir/" 2>/dev/null || true
    local ref mt
    ref="$(ls "$sample"/ref/*.txt | head -n1)"
    mt="$(ls "$sample"/mt/*/*.txt | head -n1)"
    case "$t" in
        plain)
            { printf '\x00'; cat "$ref"; printf '%s' "$sep"; cat "$mt"; } > "$dir/sample" ;;
        folder)
            { printf '\x00ref/%s\n' "$(basename "$ref")"; cat "$ref"; printf '%s' "$sep";
              printf 'mt/seed-mt/%s\n' "$(basename "$mt")"; cat "$mt"; } > "$dir/sample" ;;
        glossary_csv)
            { cat "$sample/glossary.csv"; printf '%s' "$sep"; head -c 1500 "$mt"; printf '%s' "$sep";
              head -c 1500 "$ref"; } > "$dir/sample" ;;
        rules_toml)
            { cat "$sample/rules.toml"; printf '%s' "$sep"; head -c 1200 "$mt"; printf '%s' "$sep";
              head -c 1200 "$ref"; } > "$dir/sample" ;;
        scoring)
            { printf '\x00\x00'; head -c 400 "$ref"; printf '%s' "$sep"; head -c 400 "$mt"; } > "$dir/sample" ;;
    esac
}

export RAYON_NUM_THREADS=1
mkdir -p "$here/logs" "$here/artifacts"
summary="${FUZZ_SUMMARY:-$here/last-run.tsv}"
printf 'target\tseconds\texecs\tcrashes\n' > "$summary"
failed=0
for t in "${targets[@]}"; do
    nice -n 10 cargo +nightly fuzz build "$t"
    make_seeds "$t"
    mkdir -p "$here/artifacts/$t"
    before=$(ls "$here/artifacts/$t" | grep -c -E '^(crash|oom|timeout|leak)-' || true)
    log="$here/logs/$t.log"
    set +e
    nice -n 10 cargo +nightly fuzz run "$t" "$here/corpus/$t" -- \
        -max_total_time="$seconds" -max_len="$(max_len "$t")" -rss_limit_mb=2048 -timeout=10 \
        -print_final_stats=1 -artifact_prefix="$here/artifacts/$t/" > "$log" 2>&1
    status=$?
    set -e
    after=$(ls "$here/artifacts/$t" | grep -c -E '^(crash|oom|timeout|leak)-' || true)
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | tail -n1 | grep -o '[0-9]*$' || echo 0)
    crashes=$((after - before))
    if [ "$status" -ne 0 ] && [ "$crashes" -eq 0 ]; then crashes=1; fi
    printf '%s\t%s\t%s\t%s\n' "$t" "$seconds" "${execs:-0}" "$crashes" | tee -a "$summary"
    if [ "$crashes" -ne 0 ]; then failed=1; fi
done
exit "$failed"
