#!/usr/bin/env bash
# Per-architecture parity with lm-eval: every model folder transformers wrote with random weights
# (bench/parity/make_arch_models.py: Llama tied bf16 in 2 shards, Llama 3 rope untied, Mistral bf16, Qwen2,
# Qwen3, GPT-2) is run by lm-eval (`--model hf`, float32, CPU) and by yardstick's hf engine on the same
# local documents, lambada_openai and winogrande, then compared per request with `yardstick parity`.
# Not part of CI.
#
#   bench/parity/arch_parity.sh [WORK_DIR]        (default /tmp/yardstick-arch-parity)
#
# Environment: YARDSTICK_REF_DIR (default ../ref beside the checkout; models in arch/), LMEVAL_VENV
# (default ../venv-lmeval), LIMIT (documents per task, default 20), TASKS (default lambada_openai,winogrande),
# ARCHS (default: every folder in arch/). Writes WORK_DIR/<arch>/parity.txt and WORK_DIR/summary.txt.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
HERE="$REPO/bench/parity"
W=$(mkdir -p "${1:-/tmp/yardstick-arch-parity}" && cd "${1:-/tmp/yardstick-arch-parity}" && pwd)
REF=${YARDSTICK_REF_DIR:-$REPO/../ref}
VENV=${LMEVAL_VENV:-$REPO/../venv-lmeval}
LIMIT=${LIMIT:-20}
TASKS=${TASKS:-lambada_openai,winogrande}
YS="node $REPO/bin/yardstick.js"
export HF_HUB_OFFLINE=1 HF_DATASETS_OFFLINE=1 TRANSFORMERS_OFFLINE=1 HF_HOME="$W/hf-home" TOKENIZERS_PARALLELISM=false

[ -d "$W/data" ] || python3 "$HERE/make_data.py" --out "$W/data" --limit "$LIMIT"
[ -d "$W/lm-eval-tasks" ] || "$VENV/bin/python" "$HERE/make_tasks.py" --data "$W/data" --out "$W/lm-eval-tasks" --skip-missing
(cd "$REPO" && npx tsc -p tsconfig.json)

: >"$W/summary.txt"
for dir in "$REF"/arch/*/; do
  arch=$(basename "$dir")
  if [ -n "${ARCHS:-}" ] && [[ " $ARCHS " != *" $arch "* ]]; then continue; fi
  out="$W/$arch"
  rm -rf "$out" && mkdir -p "$out"
  "$VENV/bin/lm-eval" run --model hf --model_args "pretrained=$dir,dtype=float32" --device cpu --batch_size 1 \
    --include_path "$W/lm-eval-tasks" --tasks "$TASKS" --limit "$LIMIT" --output_path "$out/lm-eval" --log_samples \
    >"$out/lm-eval.log" 2>&1 || { printf '%-20s lm-eval failed (see %s)\n' "$arch" "$out/lm-eval.log" | tee -a "$W/summary.txt"; continue; }
  $YS run --model "hf:$dir" --tasks "$TASKS" --limit "$LIMIT" --data-dir "$W/data" --output-path "$out/yardstick" \
    --log-samples --no-cache >"$out/yardstick.log" 2>&1 || { printf '%-20s yardstick failed (see %s)\n' "$arch" "$out/yardstick.log" | tee -a "$W/summary.txt"; continue; }
  rc=0
  $YS parity "$out/yardstick" "$out/lm-eval" --json "$out/parity.json" >"$out/parity.txt" || rc=$?
  printf '%-20s exit %s  %s\n' "$arch" "$rc" "$(tail -n 1 "$out/parity.txt")" | tee -a "$W/summary.txt"
done
