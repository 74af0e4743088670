#!/usr/bin/env bash
# GGUF throughput bench: the smollm-135m preset (SmolLM-135M shapes, random weights, seed 1) as ONNX fp32
# and as GGUF f32, f16 and q8_0 written by make-model from the same weights, all on the same real
# documents (the first DOCS of LAMBADA and of one MMLU subject, zero-shot) in one run, one model after
# the other. Optionally a real quantised model (Q4_1_GGUF=path/to/smollm2-135m-instruct-q4_1.gguf) on the
# same documents; its own tokenizer gives it different token counts. Prints a table with scoring time,
# tokens/s, accuracy and each GGUF's per-request drift from the ONNX fp32 run. Not part of CI.
#
#   bench/gguf/run.sh [WORK_DIR]          (default /tmp/yardstick-gguf-bench)
#
# Environment: DOCS (default 50), MMLU_SUBJECT (default moral_disputes), THREADS (default nproc),
# BATCH_SIZE (default 1), PRESET (default smollm-135m), Q4_1_GGUF (optional), YARDSTICK_CACHE (self-check
# records; default WORK_DIR/cache).
set -euo pipefail

REPO=$(cd "$(dirname "$0")/../.." && pwd)
W=$(mkdir -p "${1:-/tmp/yardstick-gguf-bench}" && cd "${1:-/tmp/yardstick-gguf-bench}" && pwd)
DOCS=${DOCS:-50}
MMLU_SUBJECT=${MMLU_SUBJECT:-moral_disputes}
THREADS=${THREADS:-$(nproc)}
BATCH_SIZE=${BATCH_SIZE:-1}
PRESET=${PRESET:-smollm-135m}
TASKS="lambada_openai,mmlu_$MMLU_SUBJECT"
export YARDSTICK_CACHE=${YARDSTICK_CACHE:-$W/cache}

log() { printf '\n== %s\n' "$*" >&2; }
log "build"
(cd "$REPO" && npx tsc -p tsconfig.json && npx tsc -p bench/gguf/tsconfig.json)

log "model ($PRESET, seed 1, ONNX + GGUF f32/f16/q8_0) and documents ($DOCS per task)"
[ -f "$W/model/model-q8_0.gguf" ] || node "$REPO/bin/yardstick.js" make-model --preset "$PRESET" --seed 1 --out "$W/model" --gguf f32,f16,q8_0
python3 "$REPO/bench/parity/make_data.py" --out "$W/data" --limit "$DOCS" --math-limit 1 >&2

SIDE="$REPO/dist/bench/bench/gguf/engine_side.js"
: > "$W/results.jsonl"
run() { # label spec
  log "$1 ($2), batch size $BATCH_SIZE, $THREADS threads"
  node "$SIDE" --label "$1" --model "$2" --data-dir "$W/data" --tasks "$TASKS" --batch-size "$BATCH_SIZE" \
    --threads "$THREADS" --dump "$W/dump-$1.jsonl" | tee -a "$W/results.jsonl" >&2
}
run onnx-fp32 "onnx:$W/model"
dumps=()
for v in f32 f16 q8_0; do
  f="$W/model/model.gguf"; [ "$v" = f32 ] || f="$W/model/model-$v.gguf"
  run "gguf-$v" "gguf:$f"
  dumps+=("gguf-$v=$W/dump-gguf-$v.jsonl")
done
if [ -n "${Q4_1_GGUF:-}" ] && [ -f "$Q4_1_GGUF" ]; then run "real-q4_1" "gguf:$Q4_1_GGUF"; fi

log "table"
node "$REPO/dist/bench/bench/gguf/report.js" "$W/results.jsonl" "$W/dump-onnx-fp32.jsonl" "${dumps[@]}" | tee "$W/table.md"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load average $(cut -d' ' -f1-3 /proc/loadavg)"
