#!/usr/bin/env bash
# Remote scoring bench: LAMBADA requests scored by the ONNX engine directly (batch 1 and 32) and
# through `--model openai:` against a `yardstick serve` process on the same machine, at client
# concurrency 1, 8 and 32, with one prompt per HTTP call and with prompt lists of 16.
# Not part of CI.
#
#   bench/remote/run.sh [WORK_DIR]           (default /tmp/yardstick-remote-bench)
#
# Environment: PRESET (make-model preset, default smollm-135m), DOCS (default 64), ROUNDS (each
# configuration runs once per round, in turn; the median round is reported; default 3), THREADS (ORT
# threads for the direct engine and for the server, default nproc), LAMBADA (a lambada_openai
# test.jsonl, default ../shared/data/lambada_openai/test.jsonl next to the repository).
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
W=$(mkdir -p "${1:-/tmp/yardstick-remote-bench}" && cd "${1:-/tmp/yardstick-remote-bench}" && pwd)
PRESET=${PRESET:-smollm-135m}
DOCS=${DOCS:-64}
ROUNDS=${ROUNDS:-3}
THREADS=${THREADS:-$(nproc)}
LAMBADA=${LAMBADA:-$REPO/../shared/data/lambada_openai/test.jsonl}
[ -f "$LAMBADA" ] || { echo "no LAMBADA file at $LAMBADA (set LAMBADA)" >&2; exit 2; }

(cd "$REPO" && npx tsc -p tsconfig.json && npx tsc -p bench/remote/tsconfig.json)
[ -f "$W/$PRESET/onnx/model.onnx" ] || node "$REPO/bin/yardstick.js" make-model --preset "$PRESET" --seed 1 --out "$W/$PRESET" >&2
node "$REPO/dist/bench/bench/remote/bench.js" --model "$W/$PRESET" --data "$LAMBADA" --docs "$DOCS" --threads "$THREADS" --rounds "$ROUNDS" | tee "$W/results-$PRESET.jsonl"
