#!/usr/bin/env bash
# Parity benchmark: lm-evaluation-harness (from PyPI, pinned) and yardstick on the same tiny model and the
# same local documents, compared per document with `yardstick parity`. Not part of CI: it installs lm-eval
# from PyPI (first run) and takes a while (lm-eval bootstraps mcc/f1 stderrs with 100000 resamples).
#
#   bench/parity/run.sh [WORK_DIR]          (default /tmp/yardstick-parity)
#
# Environment: LMEVAL_VENV (default ../venv-lmeval, beside the checkout), LIMIT (documents per task, default 20),
# MATH_LIMIT (per MATH subject, default 3), REUSE=1 keeps lm-eval outputs already in WORK_DIR.
# Writes WORK_DIR/parity-*.txt (reports) and WORK_DIR/summary.txt; exit status 1 if a check failed.
set -euo pipefail

LM_EVAL_VERSION=0.4.13
TORCH_VERSION=2.13.0
REPO=$(cd "$(dirname "$0")/../.." && pwd)
HERE="$REPO/bench/parity"
W=$(mkdir -p "${1:-/tmp/yardstick-parity}" && cd "${1:-/tmp/yardstick-parity}" && pwd)
VENV=${LMEVAL_VENV:-$REPO/../venv-lmeval}
LIMIT=${LIMIT:-20}
MATH_LIMIT=${MATH_LIMIT:-3}
REUSE=${REUSE:-0}
YS="node $REPO/bin/yardstick.js"

# every seed-suite task: lambada, winogrande, the nine GLUE tasks, MATH (7 subjects), MMLU (57 subjects)
TASKS_0SHOT=lambada_openai,winogrande,cola,mnli,mnli_mismatch,mrpc,qnli,qqp,rte,sst2,wnli,hendrycks_math,mmlu
TASKS_OLD_BOS=lambada_openai,winogrande,mmlu_anatomy

log() { printf '\n== %s\n' "$*"; }

# fully offline: local model folder, local json data, a private HF cache
export HF_HUB_OFFLINE=1 HF_DATASETS_OFFLINE=1 TRANSFORMERS_OFFLINE=1 HF_HOME="$W/hf-home" TOKENIZERS_PARALLELISM=false

log "1. lm-eval $LM_EVAL_VERSION in $VENV"
if [ ! -x "$VENV/bin/lm-eval" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install "torch==$TORCH_VERSION"
  "$VENV/bin/pip" install "lm-eval[hf]==$LM_EVAL_VERSION"
fi
VERSIONS=$("$VENV/bin/python" -c 'import importlib.metadata as m, sys; print(" ".join(f"{p}=={m.version(p)}" for p in ("lm_eval", "torch", "transformers", "datasets", "scikit-learn")), "python=="+sys.version.split()[0])')
echo "$VERSIONS"
case "$VERSIONS" in *"lm_eval==$LM_EVAL_VERSION "*) ;; *) echo "expected lm_eval==$LM_EVAL_VERSION in $VENV" >&2; exit 2 ;; esac

log "2. build yardstick, make the tiny model"
(cd "$REPO" && npx tsc -p tsconfig.json) || echo "warning: tsc reported errors; continuing with the JavaScript it emitted to dist/" >&2
rm -rf "$W/model"
$YS make-model --preset tiny --seed 1 --out "$W/model"

log "3. documents (limit $LIMIT, MATH $MATH_LIMIT per subject) and lm-eval task copies"
python3 "$HERE/make_data.py" --out "$W/data" --limit "$LIMIT" --math-limit "$MATH_LIMIT"
"$VENV/bin/python" "$HERE/make_tasks.py" --data "$W/data" --out "$W/lm-eval-tasks"

lm_eval() { # OUT EXTRA_MODEL_ARGS lm-eval-args...
  local out=$1 extra=$2
  shift 2
  if [ "$REUSE" = 1 ] && ls "$out"/*/results_*.json >/dev/null 2>&1; then echo "reusing $out"; return; fi
  rm -rf "$out"
  "$VENV/bin/lm-eval" run --model hf --model_args "pretrained=$W/model,dtype=float32$extra" --device cpu --batch_size 1 \
    --include_path "$W/lm-eval-tasks" --output_path "$out" --log_samples "$@" 2>"$out.log"
}
yardstick() { # OUT yardstick-run-args...
  local out=$1
  shift
  rm -rf "$out"
  $YS run --model "onnx:$W/model" --data-dir "$W/data" --output-path "$out" --log-samples --batch-size 1 "$@" 2>"$out.log"
}

log "4. yardstick runs (first: they take seconds)"
time yardstick "$W/ys-0shot" --tasks "$TASKS_0SHOT"
time yardstick "$W/ys-0shot-again" --tasks "$TASKS_0SHOT"
time yardstick "$W/ys-mmlu-5shot" --tasks mmlu --num-fewshot 5
time yardstick "$W/ys-lm-eval-0.4.9.1" --tasks "$TASKS_OLD_BOS" --lm-eval-version 0.4.9.1
time yardstick "$W/ys-nobos" --tasks "$TASKS_0SHOT" --add-bos-token false

log "5. lm-eval runs (zero-shot: every seed task; 5-shot: mmlu; add_bos_token=False)"
time lm_eval "$W/lm-eval-0shot" "" --tasks "$TASKS_0SHOT"
time lm_eval "$W/lm-eval-mmlu-5shot" "" --tasks mmlu --num_fewshot 5
time lm_eval "$W/lm-eval-nobos" ",add_bos_token=False" --tasks "$TASKS_OLD_BOS"

log "6. yardstick parity"
: >"$W/summary.txt"
status=0
check() { # NAME EXPECTED_EXIT OURS THEIRS [parity args]
  local name=$1 expected=$2 ours=$3 theirs=$4
  shift 4
  local rc=0
  $YS parity "$ours" "$theirs" --json "$W/parity-$name.json" "$@" >"$W/parity-$name.txt" || rc=$?
  local verdict=ok
  [ "$rc" = "$expected" ] || { verdict="UNEXPECTED (exit $rc, expected $expected)"; status=1; }
  printf '%-34s exit %s  %s  %s\n' "$name" "$rc" "$verdict" "$(tail -n 1 "$W/parity-$name.txt")" | tee -a "$W/summary.txt"
}
check 0shot-vs-lm-eval 0 "$W/ys-0shot" "$W/lm-eval-0shot"
check mmlu-5shot-vs-lm-eval 0 "$W/ys-mmlu-5shot" "$W/lm-eval-mmlu-5shot"
check old-bos-default-vs-lm-eval 0 "$W/ys-lm-eval-0.4.9.1" "$W/lm-eval-nobos"
check yardstick-vs-yardstick 0 "$W/ys-0shot" "$W/ys-0shot-again"
check nobos-vs-lm-eval-default 1 "$W/ys-nobos" "$W/lm-eval-0shot"
echo "$VERSIONS" >>"$W/summary.txt"
log "reports in $W/parity-*.txt; summary:"
cat "$W/summary.txt"
exit $status
