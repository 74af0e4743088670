#!/usr/bin/env bash
# Real-weights parity: lm-eval (HF, float32, CPU) and yardstick's hf engine on the same real model folder
# (SmolLM2-135M-Instruct, see REAL_WEIGHTS.md) and the same local documents, for every seed task,
# compared per request with `yardstick parity`. Not part of CI: lm-eval on CPU takes tens of minutes.
#
#   bench/parity/real_weights_parity.sh [WORK_DIR]        (default /tmp/yardstick-real-parity)
#
# Environment: MODEL (default $YARDSTICK_REF_DIR/smollm2-135m-instruct, YARDSTICK_REF_DIR default ../ref),
# LMEVAL_VENV (default ../venv-lmeval), LIMIT (documents per task, default 50), MMLU_LIMIT (per MMLU
# subject, zero-shot, default 50), MMLU5_LIMIT (per subject, 5-shot, default 50), MATH_LIMIT (per MATH
# subject, default 10), CHAT_LIMIT (chat runs, default 20), SYSTEM_INSTRUCTION (chat-sys runs),
# RUNS (default "loglik mmlu-0shot math mmlu-5shot"; "glue-standins" is loglik's MNLI and QQP stand-ins alone; the chat parity of issue 14 is
# RUNS="chat chat-mmlu5 chat-sys chat-sys-mmlu5" MATH_LIMIT=20 (the data phase writes MATH_LIMIT docs per subject): --apply_chat_template --fewshot_as_multiturn, with and
# without --system_instruction, winogrande + hendrycks_math_algebra 0-shot and mmlu_anatomy 5-shot), PHASES (default "data lm-eval yardstick parity"; run a subset, e.g. PHASES=lm-eval).
# LMEVAL_BATCH_SIZE and YS_BATCH_SIZE (default 1) set each tool's --batch_size for every run of this invocation
# (lm-eval at 8 is ~25 % faster on MMLU 0-shot; padding moves its log-likelihoods by ~1e-6, far inside 1e-4).
# Each lm-eval run writes WORK_DIR/lm-eval-<run>/ and is skipped when its results already exist. lm-eval runs with
# --use_cache WORK_DIR/lm-eval-cache/<run>, which stores every finished request as it goes: an interrupted run
# (MMLU 5-shot takes hours on 2 cores) picks up where it stopped when the script is run again. yardstick keeps its
# response cache in WORK_DIR/ys-cache/<run>.sqlite for the same reason (and so that answers an older build cached
# in the user's default cache are not reused).
# Writes WORK_DIR/parity-<run>.{txt,json} and WORK_DIR/summary.txt.
# Cost: lm-eval computes mcc/f1 stderrs with 100000 bootstrap resamples (cola, mrpc, qqp), minutes each on a
# small CPU; where that is too slow, bench/parity/lmeval_rescore.py scores yardstick's logged requests through
# lm-eval's HFLM alone (log-likelihoods only, no prompt check).
set -euo pipefail

REPO=$(cd "$(dirname "$0")/../.." && pwd)
HERE="$REPO/bench/parity"
W=$(mkdir -p "${1:-/tmp/yardstick-real-parity}" && cd "${1:-/tmp/yardstick-real-parity}" && pwd)
VENV=${LMEVAL_VENV:-$REPO/../venv-lmeval}
MODEL=${MODEL:-${YARDSTICK_REF_DIR:-$REPO/../ref}/smollm2-135m-instruct}
LIMIT=${LIMIT:-50}
MMLU_LIMIT=${MMLU_LIMIT:-50}
MMLU5_LIMIT=${MMLU5_LIMIT:-50}
MATH_LIMIT=${MATH_LIMIT:-10}
CHAT_LIMIT=${CHAT_LIMIT:-20}
SYSTEM_INSTRUCTION=${SYSTEM_INSTRUCTION:-You are a careful assistant. Answer the question.}
PHASES=${PHASES:-data lm-eval yardstick parity}
LMEVAL_BATCH_SIZE=${LMEVAL_BATCH_SIZE:-1}
YS_BATCH_SIZE=${YS_BATCH_SIZE:-1}
YS="node $REPO/bin/yardstick.js"

# run name -> task list and extra arguments (the same for both tools)
read -r -a RUNS <<<"${RUNS:-loglik mmlu-0shot math mmlu-5shot}"
declare -A TASKS=(
  [loglik]=lambada_openai,winogrande,cola,mnli,mnli_mismatch,mrpc,qnli,qqp,rte,sst2,wnli
  [mmlu-0shot]=mmlu [mmlu-5shot]=mmlu [math]=hendrycks_math [glue-standins]=mnli,mnli_mismatch,qqp
  [chat]=winogrande,hendrycks_math_algebra [chat-mmlu5]=mmlu_anatomy
  [chat-sys]=winogrande,hendrycks_math_algebra [chat-sys-mmlu5]=mmlu_anatomy)
declare -A LIMITS=([loglik]="" [glue-standins]="" [mmlu-0shot]="$MMLU_LIMIT" [mmlu-5shot]="$MMLU5_LIMIT" [math]="$MATH_LIMIT"
  [chat]="$CHAT_LIMIT" [chat-mmlu5]="$CHAT_LIMIT" [chat-sys]="$CHAT_LIMIT" [chat-sys-mmlu5]="$CHAT_LIMIT")
declare -A SHOTS=([loglik]="" [glue-standins]="" [mmlu-0shot]="" [mmlu-5shot]=5 [math]="" [chat]="" [chat-mmlu5]=5 [chat-sys]="" [chat-sys-mmlu5]=5)
# chat runs (issue 14): the model's chat template, few-shot examples as turns, optionally a system instruction
declare -A CHAT=([chat]=1 [chat-mmlu5]=1 [chat-sys]=1 [chat-sys-mmlu5]=1)
declare -A SYSTEM=([chat-sys]="$SYSTEM_INSTRUCTION" [chat-sys-mmlu5]="$SYSTEM_INSTRUCTION")

has() { case " $PHASES " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }
log() { printf '\n== %s  %s\n' "$(date -u +%H:%M:%S)" "$*"; }

# fully offline: a local model folder, local json data, a private HF cache
export HF_HUB_OFFLINE=1 HF_DATASETS_OFFLINE=1 TRANSFORMERS_OFFLINE=1 HF_HOME="$W/hf-home" TOKENIZERS_PARALLELISM=false

if has data; then
  log "documents (limit $LIMIT, MATH $MATH_LIMIT per subject) and lm-eval task copies"
  python3 "$HERE/make_data.py" --out "$W/data" --limit "$LIMIT" --math-limit "$MATH_LIMIT"
  "$VENV/bin/python" "$HERE/make_tasks.py" --data "$W/data" --out "$W/lm-eval-tasks"
fi

extra_args() { # RUN TOOL(lm-eval|ys) -> limit / few-shot arguments in that tool's spelling
  local run=$1 tool=$2 out=()
  [ -n "${LIMITS[$run]}" ] && out+=(--limit "${LIMITS[$run]}")
  if [ -n "${SHOTS[$run]}" ]; then
    if [ "$tool" = lm-eval ]; then out+=(--num_fewshot "${SHOTS[$run]}"); else out+=(--num-fewshot "${SHOTS[$run]}"); fi
  fi
  echo "${out[@]}"
}

chat_args() { # RUN TOOL -> the chat flags in that tool's spelling, as an array in CHAT_ARGV
  local run=$1 tool=$2
  CHAT_ARGV=()
  [ -n "${CHAT[$run]:-}" ] || return 0
  if [ "$tool" = lm-eval ]; then CHAT_ARGV+=(--apply_chat_template --fewshot_as_multiturn true); else CHAT_ARGV+=(--apply-chat-template --fewshot-as-multiturn true); fi
  if [ -n "${SYSTEM[$run]:-}" ]; then
    if [ "$tool" = lm-eval ]; then CHAT_ARGV+=(--system_instruction "${SYSTEM[$run]}"); else CHAT_ARGV+=(--system-instruction "${SYSTEM[$run]}"); fi
  fi
}

if has lm-eval; then
  for run in "${RUNS[@]}"; do
    out="$W/lm-eval-$run"
    if ls "$out"/*/results_*.json >/dev/null 2>&1; then echo "reusing $out"; continue; fi
    rm -rf "$out"
    chat_args "$run" lm-eval
    # shellcheck disable=SC2046
    cmd=("$VENV/bin/lm-eval" run --model hf --model_args "pretrained=$MODEL,dtype=float32" --device cpu --batch_size "$LMEVAL_BATCH_SIZE"
      --use_cache "$W/lm-eval-cache/$run" --include_path "$W/lm-eval-tasks" --tasks "${TASKS[$run]}" --output_path "$out" --log_samples $(extra_args "$run" lm-eval) "${CHAT_ARGV[@]}")
    log "lm-eval $run: ${cmd[*]}"
    echo "${cmd[*]}" >"$out.cmd"
    start=$(date +%s)
    "${cmd[@]}" >"$out.log" 2>&1 || { echo "lm-eval $run failed; see $out.log" >&2; continue; }
    echo "lm-eval $run took $(($(date +%s) - start)) s" | tee "$out.time"
  done
fi

if has yardstick; then
  (cd "$REPO" && npx tsc -p tsconfig.json) || echo "warning: tsc reported errors; continuing with dist/" >&2
  for run in "${RUNS[@]}"; do
    out="$W/ys-$run"
    rm -rf "$out"
    chat_args "$run" ys
    # shellcheck disable=SC2046
    cmd=($YS run --model hf --model-args "pretrained=$MODEL,dtype=float32" --data-dir "$W/data" --output-path "$out"
      --log-samples --batch-size "$YS_BATCH_SIZE" --cache "$W/ys-cache/$run.sqlite" --tasks "${TASKS[$run]}" $(extra_args "$run" ys) "${CHAT_ARGV[@]}")
    log "yardstick $run: ${cmd[*]}"
    start=$(date +%s)
    "${cmd[@]}" >"$out.log" 2>&1 || { echo "yardstick $run failed; see $out.log" >&2; continue; }
    echo "yardstick $run took $(($(date +%s) - start)) s" | tee "$out.time"
  done
fi

if has parity; then
  : >"$W/summary.txt"
  for run in "${RUNS[@]}"; do
    if ! ls "$W/lm-eval-$run"/*/results_*.json >/dev/null 2>&1 || [ ! -d "$W/ys-$run" ]; then
      printf '%-12s not run (no lm-eval or yardstick results)\n' "$run" | tee -a "$W/summary.txt"
      continue
    fi
    rc=0
    $YS parity "$W/ys-$run" "$W/lm-eval-$run" --json "$W/parity-$run.json" >"$W/parity-$run.txt" || rc=$?
    printf '%-12s exit %s  %s\n' "$run" "$rc" "$(tail -n 1 "$W/parity-$run.txt")" | tee -a "$W/summary.txt"
  done
  log "reports in $W/parity-*.txt"
fi
