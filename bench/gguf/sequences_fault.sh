#!/usr/bin/env bash
# Reproduces (or fails to reproduce) the multi-sequence fault of docs/gguf.md: with several sequences per
# llama.cpp context and the CPU loaded, node-llama-cpp 3.21.1 gave log-probs 10-30 nats off with exit 0.
# A quiet run with one sequence is the baseline; then RUNS runs with SEQUENCES sequences and RUNS with one,
# each while LOADERS busy processes load the CPU, are compared with it request by request
# (`yardstick parity`, 1e-4 nats). Not part of CI: it needs the real GGUF and minutes per run.
#
#   bench/gguf/sequences_fault.sh [WORK_DIR]        (default /tmp/yardstick-sequences-fault)
#
# Environment: GGUF (default ../ref/smollm2-135m-instruct-q4_1.gguf, see bench/parity/REAL_WEIGHTS.md),
# DATA (documents from bench/parity/make_data.py; default WORK_DIR/data, written when missing),
# TASKS (default lambada_openai,winogrande), LIMIT (default 10), RUNS (default 3), SEQUENCES (default 4),
# LOADERS (default 3), BATCH_SIZE (default 8).
# Prints one line per run and a summary; exit status 1 when any one-sequence run differs from the baseline.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
W=$(mkdir -p "${1:-/tmp/yardstick-sequences-fault}" && cd "${1:-/tmp/yardstick-sequences-fault}" && pwd)
GGUF=${GGUF:-${YARDSTICK_REF_DIR:-$REPO/../ref}/smollm2-135m-instruct-q4_1.gguf}
DATA=${DATA:-$W/data}
TASKS=${TASKS:-lambada_openai,winogrande}
LIMIT=${LIMIT:-10}
RUNS=${RUNS:-3}
SEQUENCES=${SEQUENCES:-4}
LOADERS=${LOADERS:-3}
BATCH_SIZE=${BATCH_SIZE:-8}
YS="node $REPO/bin/yardstick.js"

[ -f "$GGUF" ] || { echo "sequences_fault.sh: $GGUF not found; make it with bench/parity/real_weights.py (bench/parity/REAL_WEIGHTS.md)" >&2; exit 1; }
[ -d "$DATA" ] || python3 "$REPO/bench/parity/make_data.py" --out "$DATA" --limit "$LIMIT" >&2
(cd "$REPO" && npx tsc -p tsconfig.json)

run() { # NAME SEQUENCES
  rm -rf "${W:?}/$1"
  # yardstick refuses several sequences unless told that this is an experiment
  YARDSTICK_UNSAFE_GGUF_SEQUENCES=1 $YS run --model gguf --model-args "pretrained=$GGUF,sequences=$2" --tasks "$TASKS" --data-dir "$DATA" --limit "$LIMIT" \
    --batch-size "$BATCH_SIZE" --output-path "$W/$1" --log-samples --no-cache >"$W/$1.log" 2>&1
}

loaders=()
load_on() { for _ in $(seq "$LOADERS"); do yes >/dev/null & loaders+=($!); done; }
load_off() { [ ${#loaders[@]} -eq 0 ] || kill "${loaders[@]}" 2>/dev/null || true; loaders=(); }
trap load_off EXIT

run baseline 1
echo "baseline: sequences=1, quiet ($(cut -d' ' -f1 /proc/loadavg) load)"
declare -A wrong=([$SEQUENCES]=0 [1]=0)
for i in $(seq "$RUNS"); do
  for s in "$SEQUENCES" 1; do
    load_on
    run "s$s-run$i" "$s"
    load_off
    if $YS parity "$W/s$s-run$i" "$W/baseline" --tolerance 1e-4 >"$W/s$s-run$i.parity.txt" 2>&1; then verdict=same
    else verdict="DIFFERS ($(tail -n 1 "$W/s$s-run$i.parity.txt"))"; wrong[$s]=$((wrong[$s] + 1)); fi
    echo "run $i, sequences=$s, $LOADERS loaders: $verdict"
  done
done
echo "summary: sequences=$SEQUENCES differed in ${wrong[$SEQUENCES]} of $RUNS loaded runs; sequences=1 in ${wrong[1]} of $RUNS"
[ "${wrong[1]}" -eq 0 ]
