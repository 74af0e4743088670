#!/usr/bin/env bash
# Throughput bench: yardstick (ONNX Runtime) today, yardstick's old path (--old-path: LM head on every
# position, batches by request count, no prefix sharing) and lm-evaluation-harness (HF transformers,
# torch) on the same machine, the same model (make-model's smollm-135m preset: SmolLM-135M shapes,
# vocabulary 49152) and the same real documents (the first DOCS of LAMBADA, WinoGrande and one MMLU
# subject, zero-shot and 5-shot; the first MATH_DOCS of hendrycks_math_algebra, generated greedily), at
# each of BATCH_SIZES. First the machine's fp32 GEMM peak and our forward-only
# tokens/s (peak.ts); then each side loads the model once per batch size, warms up with one small forward
# pass, and evaluates each task; the table times the scoring phase (model load excluded) and reports
# tokens computed, share of the GEMM peak and peak RSS. Then, where ../shared/data is present, the work of
# the full seed suite is counted (yardstick_side.js --count-only on the imported real data, batch size
# PROJECT_BS) and projected onto the measured rates, for this model and (by the forward-only ratio) for
# the smollm-360m preset. Not part of CI (minutes per configuration on 2 cores).
#
#   bench/throughput/run.sh [WORK_DIR]          (default /tmp/yardstick-throughput)
#
# Environment: DOCS (documents per task, default 100), MATH_DOCS (default 16), PROJECT_BS (default 8),
# SHARED_DATA (default ../shared/data; PROJECT=0 skips the projection), PROJECT_TOKENIZER (count the
# suite's tokens with this folder's tokenizer instead of the preset's), BENCH_TOKENIZER (run both sides
# with this folder's tokenizer, e.g. ../ref/smollm2-135m-instruct: the preset's 512-token tokenizer makes
# MMLU prompts 2.6x longer than SmolLM2's, which flatters the MMLU ratios; docs/benchmarks.md), MATH_GEN_TOKENS (a real model's
# mean generated tokens per MATH problem, for a second projection line), MMLU_SUBJECT (default moral_disputes: its median
# question is as long as MMLU's), THREADS (both sides; default nproc), BATCH_SIZES (default "1 8"),
# SIDES (default "yardstick yardstick-noshare yardstick-old lm-eval"; yardstick-noshare is today's path with
# --no-prefix-sharing),
# REPEAT (default 1: each side evaluates each scoring task this many times per process and reports the
# fastest; one timing on a shared 2-core machine moves by 10-15 %; MATH generation runs once),
# LMEVAL_VENV (default ../venv-lmeval; read-only: it is never installed into), CLI=1 also times one
# `yardstick run` and one `lm_eval` process per batch size end to end (process start to exit).
set -euo pipefail

REPO=$(cd "$(dirname "$0")/../.." && pwd)
HERE="$REPO/bench/throughput"
W=$(mkdir -p "${1:-/tmp/yardstick-throughput}" && cd "${1:-/tmp/yardstick-throughput}" && pwd)
VENV=${LMEVAL_VENV:-$REPO/../venv-lmeval}
DOCS=${DOCS:-100}
MMLU_SUBJECT=${MMLU_SUBJECT:-moral_disputes}
THREADS=${THREADS:-$(nproc)}
BATCH_SIZES=${BATCH_SIZES:-1 8 32}
MATH_DOCS=${MATH_DOCS:-16}
PROJECT_BS=${PROJECT_BS:-8}
REPEAT=${REPEAT:-1}
SHARED_DATA=${SHARED_DATA:-$REPO/../shared/data}
PROJECT=${PROJECT:-1}
SIDES=${SIDES:-yardstick yardstick-noshare yardstick-old lm-eval}
TASKS=${TASKS:-lambada_openai,winogrande,mmlu_$MMLU_SUBJECT,mmlu_$MMLU_SUBJECT:5,hendrycks_math_algebra}
export HF_HUB_OFFLINE=1 HF_DATASETS_OFFLINE=1 TRANSFORMERS_OFFLINE=1 HF_HOME="$W/hf-home" TOKENIZERS_PARALLELISM=false

log() { printf '\n== %s\n' "$*" >&2; }
[ -x "$VENV/bin/python" ] || { echo "no lm-eval virtual environment at $VENV (set LMEVAL_VENV)" >&2; exit 2; }

# the bench model: the preset as written, or (BENCH_TOKENIZER) the same weights with that folder's tokenizer
MODEL="$W/model"
[ -n "${BENCH_TOKENIZER:-}" ] && MODEL="$W/model-bench-tokenizer"

# retokenized OUT TOKENIZER_DIR FILE...: the preset model's FILEs with TOKENIZER_DIR's tokenizer files, in OUT
retokenized() {
  local out=$1 tok=$2 f
  shift 2
  rm -rf "$out" && mkdir -p "$out"
  for f in "$@"; do cp -r "$W/model/$f" "$out/"; done
  cp "$tok"/tokenizer*.json "$out/"
  if [ -f "$tok/special_tokens_map.json" ]; then cp "$tok/special_tokens_map.json" "$out/"; fi
}

log "build"
(cd "$REPO" && npx tsc -p tsconfig.json && npx tsc -p bench/throughput/tsconfig.json)

log "model (smollm-135m preset, seed 1${BENCH_TOKENIZER:+, tokenizer of $BENCH_TOKENIZER}) and documents ($DOCS per task; tasks $TASKS)"
[ -f "$W/model/onnx/model.onnx" ] || node "$REPO/bin/yardstick.js" make-model --preset smollm-135m --seed 1 --out "$W/model"
# the same weights with a real tokenizer (49152 ids fit the preset's vocabulary), for both sides
[ -n "${BENCH_TOKENIZER:-}" ] && retokenized "$MODEL" "$BENCH_TOKENIZER" onnx config.json model.safetensors
python3 "$REPO/bench/parity/make_data.py" --out "$W/data" --limit "$DOCS" --math-limit "$MATH_DOCS" >&2
"$VENV/bin/python" "$REPO/bench/parity/make_tasks.py" --data "$W/data" --out "$W/lm-eval-tasks" >&2

rm -f "$W/cli-summary.txt"
log "fp32 GEMM peak and forward-only tokens/s, $THREADS threads"
node "$REPO/dist/bench/bench/throughput/peak.js" --model "$MODEL" --threads "$THREADS" | tee "$W/peak.jsonl" >&2
results=("$W/peak.jsonl")
for bs in $BATCH_SIZES; do
  for side in $SIDES; do
    log "$side, batch size $bs, $THREADS threads (load average $(cut -d' ' -f1-3 /proc/loadavg))"
    case $side in
      yardstick) node "$REPO/dist/bench/bench/throughput/yardstick_side.js" --model "$MODEL" --data-dir "$W/data" \
        --tasks "$TASKS" --batch-size "$bs" --threads "$THREADS" --repeat "$REPEAT" | tee "$W/$side-bs$bs.jsonl" >&2 ;;
      yardstick-noshare) node "$REPO/dist/bench/bench/throughput/yardstick_side.js" --model "$MODEL" --data-dir "$W/data" \
        --tasks "$TASKS" --batch-size "$bs" --threads "$THREADS" --repeat "$REPEAT" --no-prefix-sharing | tee "$W/$side-bs$bs.jsonl" >&2 ;;
      yardstick-old) node "$REPO/dist/bench/bench/throughput/yardstick_side.js" --model "$MODEL" --data-dir "$W/data" \
        --tasks "$TASKS" --batch-size "$bs" --threads "$THREADS" --repeat "$REPEAT" --old-path | tee "$W/$side-bs$bs.jsonl" >&2 ;;
      # one process for all tasks; a task it cannot finish (lm-eval ran out of 24 GiB on MMLU 5-shot at
      # batch size 32) is recorded as failed and the tasks after it run in a new process
      lm-eval) out="$W/$side-bs$bs.jsonl"; : >"$out"
        left() { local t l=""; for t in ${TASKS//,/ }; do grep -q "\"task\": \"$t\"" "$out" || l="$l${l:+,}$t"; done; echo "$l"; }
        while [ -n "$(left)" ]; do
          "$VENV/bin/python" "$HERE/lmeval_side.py" --model "$MODEL" --include-path "$W/lm-eval-tasks" \
            --tasks "$(left)" --batch-size "$bs" --threads "$THREADS" --repeat "$REPEAT" 2>>"$W/lm-eval-bs$bs.log" | tee -a "$out" >&2 && continue
          # tasks run in order, so the first one without a line is the one that failed
          t=$(left); t=${t%%,*}
          echo "lm-eval, batch size $bs: $t failed; see $W/lm-eval-bs$bs.log (and dmesg for the OOM killer)" >&2
          echo "{\"side\": \"lm-eval\", \"task\": \"$t\", \"batchSize\": $bs, \"failed\": true}" >>"$out"
        done ;;
    esac
    results+=("$W/$side-bs$bs.jsonl")
  done
done

if [ "${CLI:-0}" = 1 ]; then
  for bs in $BATCH_SIZES; do
    log "end to end, batch size $bs (CLI processes; yardstick uses os.cpus().length threads, torch its default)"
    s=$(date +%s.%N)
    node "$REPO/bin/yardstick.js" run --model "onnx:$MODEL" --tasks "$TASKS" --data-dir "$W/data" \
      --batch-size "$bs" --output-path "$W/cli-yardstick-bs$bs" >"$W/cli-yardstick-bs$bs.log" 2>&1
    e=$(date +%s.%N)
    "$VENV/bin/lm_eval" --model hf --model_args "pretrained=$MODEL,dtype=float32" --device cpu --batch_size "$bs" \
      --include_path "$W/lm-eval-tasks" --tasks "$TASKS" --output_path "$W/cli-lm-eval-bs$bs" >"$W/cli-lm-eval-bs$bs.log" 2>&1
    f=$(date +%s.%N)
    awk -v bs="$bs" -v s="$s" -v e="$e" -v f="$f" 'BEGIN { printf "CLI end to end, batch size %s: yardstick %.1f s, lm-eval %.1f s\n", bs, e - s, f - e }' \
      | tee -a "$W/cli-summary.txt" >&2
  done
fi

if [ "$PROJECT" = 1 ] && [ -d "$SHARED_DATA" ]; then
  log "full seed suite: real data imported from $SHARED_DATA, work counted at batch size $PROJECT_BS"
  if [ ! -f "$W/full-data/.imported" ]; then
    Y="node $REPO/bin/yardstick.js"
    for t in cola mrpc qnli rte sst2 wnli; do $Y data import --format glue-tsv "$SHARED_DATA/glue/$t" --data-dir "$W/full-data" >&2; done
    $Y data import --format mmlu-csv "$SHARED_DATA/mmlu" --data-dir "$W/full-data" >&2
    $Y data import --format math-json "$SHARED_DATA/hendrycks_math/test.jsonl" --data-dir "$W/full-data" >&2
    $Y data import --format winogrande-jsonl "$SHARED_DATA/winogrande/dev.jsonl" --data-dir "$W/full-data" >&2
    $Y data import --format lambada-jsonl "$SHARED_DATA/lambada_openai/test.jsonl" --data-dir "$W/full-data" >&2
    touch "$W/full-data/.imported"
  fi
  # the seed suite without MNLI and QQP, whose data ../shared/data does not hold
  # the preset's 512-token tokenizer makes 2-3x the tokens of SmolLM's own: PROJECT_TOKENIZER (a folder
  # with tokenizer.json, e.g. ../ref/smollm2-135m-instruct) counts with that one on the same graph
  count_model="$MODEL"
  if [ -n "${PROJECT_TOKENIZER:-}" ]; then
    count_model="$W/model-tokenizer"
    retokenized "$count_model" "$PROJECT_TOKENIZER" onnx config.json
  fi
  node "$REPO/dist/bench/bench/throughput/yardstick_side.js" --model "$count_model" --data-dir "$W/full-data" --count-only \
    --tasks lambada_openai,winogrande,cola,mrpc,qnli,rte,sst2,wnli,hendrycks_math,mmlu --batch-size "$PROJECT_BS" \
    --threads "$THREADS" >"$W/count.jsonl"
  results+=("$W/count.jsonl")
  log "forward-only tokens/s of the smollm-360m preset, for the projection"
  [ -f "$W/model-360m/onnx/model.onnx" ] || node "$REPO/bin/yardstick.js" make-model --preset smollm-360m --seed 1 --gguf none --out "$W/model-360m" >&2
  node "$REPO/dist/bench/bench/throughput/peak.js" --model "$W/model-360m" --threads "$THREADS" --side peak-smollm-360m | tee "$W/peak-360m.jsonl" >&2
  results+=("$W/peak-360m.jsonl")
fi

log "results"
python3 "$HERE/report.py" ${MATH_GEN_TOKENS:+--math-tokens "$MATH_GEN_TOKENS"} "${results[@]}" | tee "$W/summary.txt"
[ -f "$W/cli-summary.txt" ] && cat "$W/cli-summary.txt"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | xargs); load average $(cut -d' ' -f1-3 /proc/loadavg)"
