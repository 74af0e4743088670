#!/usr/bin/env bash
# Conversion bench: make-model's smollm-135m and smollm-360m presets saved as bf16 safetensors, opened
# with the hf engine twice: the first open converts (time, peak RSS), the second finds the cache.
# Each phase is its own process, so each peak RSS is that phase's own. Not part of CI.
#
#   bench/hf_convert/run.sh [WORK_DIR]        (default /tmp/yardstick-hf-convert; needs ~5 GB free)
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
W=$(mkdir -p "${1:-/tmp/yardstick-hf-convert}" && cd "${1:-/tmp/yardstick-hf-convert}" && pwd)
PRESETS=${PRESETS:-smollm-135m smollm-360m}
cd "$REPO"
npx tsc -p bench/hf_convert/tsconfig.json
BENCH=dist/bench/bench/hf_convert/hf_convert.js
for preset in $PRESETS; do
  dir="$W/$preset-bf16"
  [ -f "$dir/model.safetensors" ] || node "$BENCH" make "$dir" "$preset"
  rm -rf "$W/cache-$preset"
  printf '%s safetensors: %s MiB\n' "$preset" "$(( $(stat -c %s "$dir/model.safetensors") / 1048576 ))"
  echo "first open (converts):"; node "$BENCH" open "$dir" "$W/cache-$preset"
  echo "second open (cached):"; node "$BENCH" open "$dir" "$W/cache-$preset"
done
