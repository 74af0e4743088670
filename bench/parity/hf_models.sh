#!/usr/bin/env bash
# The hf engine on Hugging Face folders transformers wrote: for every REF/arch/<name>/ folder with a
# fixture REF/fixtures/<name>.jsonl (and REF/<model>/ for real weights), compares yardstick's
# log-probs with the float64 torch forward of bench/parity/reference_logprobs.py. Not part of CI.
#
#   bench/parity/hf_models.sh REF_DIR [CACHE_DIR]
#
# REF_DIR holds arch/<name>/ (make_arch_models.py), fixtures/<name>.jsonl (reference_logprobs.py
# --lambada) and optionally real-weight folders named like their fixture.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
REF=${1:?usage: hf_models.sh REF_DIR [CACHE_DIR]}
CACHE=${2:-$(mktemp -d)}
cd "$REPO"
npx tsc -p bench/parity/tsconfig.json
pairs=()
for fixture in "$REF"/fixtures/*.jsonl; do
  name=$(basename "$fixture" .jsonl)
  for dir in "$REF/arch/$name" "$REF/$name"; do
    [ -f "$dir/config.json" ] && pairs+=("$dir=$fixture")
  done
done
node dist/bench/bench/parity/hf_models.js --cache "$CACHE" "${pairs[@]}"
