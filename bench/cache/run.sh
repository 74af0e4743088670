#!/usr/bin/env bash
# Response cache bench: the tiny-model seed suite on the bundled sample documents (what `yardstick demo`
# evaluates), as three kinds of `yardstick run` process, interleaved REPEATS times so that other load on
# the machine falls on all three alike:
#   no-cache  --no-cache (nothing read or written)
#   fresh     an empty cache file (every request looked up, missed, computed and written)
#   cached    the cache file the fresh run left (every request answered from it; no forward pass)
# Prints each run's wall and CPU (user+sys) seconds, then the medians and the fresh run's overhead over
# --no-cache. Then the same three in one process (bench/cache/in_process.ts: one model load, evaluate()
# each way), which also sums the time spent inside the cache's own calls. Takes a few minutes; not
# part of CI.
#
#   bench/cache/run.sh [WORK_DIR]          (default /tmp/yardstick-cache-bench)
#
# Environment: REPEATS (default 5), BATCH_SIZE (default 1), TASKS (default: the seed suite).
set -euo pipefail

REPO=$(cd "$(dirname "$0")/../.." && pwd)
W=$(mkdir -p "${1:-/tmp/yardstick-cache-bench}" && cd "${1:-/tmp/yardstick-cache-bench}" && pwd)
REPEATS=${REPEATS:-5}
BATCH_SIZE=${BATCH_SIZE:-1}
Y=(node "$REPO/bin/yardstick.js")

(cd "$REPO" && npx tsc -p tsconfig.json && npx tsc -p bench/cache/tsconfig.json)
[ -f "$W/model/onnx/model.onnx" ] || "${Y[@]}" make-model --preset tiny --seed 1 --out "$W/model" >/dev/null
rm -rf "$W/data"
TASKS=${TASKS:-$(cd "$REPO" && node --input-type=module -e "
import { writeSampleData } from './dist/demo/sample-docs.js';
import { SEED_TASKS } from './dist/demo/seed-suite.js';
writeSampleData(process.argv[1]);
console.log(SEED_TASKS.join(','));
" "$W/data")}

run() { # kind, then cache flags; prints "kind wall cpu requests-line"
  local kind=$1; shift
  local line
  local start end
  start=$(date +%s.%N)
  /usr/bin/time -f '%U %S' -o "$W/time.txt" "${Y[@]}" run --model "onnx:$W/model" --tasks "$TASKS" --data-dir "$W/data" \
    --batch-size "$BATCH_SIZE" "$@" >/dev/null 2>"$W/stderr.txt"
  end=$(date +%s.%N)
  line=$(grep '^cache:' "$W/stderr.txt" || echo 'cache: off')
  awk -v k="$kind" -v s="$start" -v e="$end" -v l="$line" '{ printf "%-9s wall %6.2f s  cpu %6.2f s  %s\n", k, e - s, $1 + $2, l }' "$W/time.txt"
}

: >"$W/runs.txt"
for i in $(seq "$REPEATS"); do
  run no-cache --no-cache | tee -a "$W/runs.txt"
  rm -f "$W/responses.sqlite"*
  run fresh --cache "$W/responses.sqlite" | tee -a "$W/runs.txt"
  run cached --cache "$W/responses.sqlite" | tee -a "$W/runs.txt"
done

python3 - "$W/runs.txt" <<'PY'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    f = line.split()
    runs.setdefault(f[0], []).append((float(f[2]), float(f[5])))
med = {k: (statistics.median(w for w, _ in v), statistics.median(c for _, c in v)) for k, v in runs.items()}
print()
for k in ('no-cache', 'fresh', 'cached'):
    print(f'{k:9} median wall {med[k][0]:6.2f} s  cpu {med[k][1]:6.2f} s  ({len(runs[k])} runs)')
for i, what in ((0, 'wall'), (1, 'cpu')):
    print(f'fresh-run overhead of the cache ({what}): {100 * (med["fresh"][i] / med["no-cache"][i] - 1):+.1f} %')
PY

echo
node "$REPO/dist/bench/bench/cache/in_process.js" --model "$W/model" --data-dir "$W/data" --tasks "$TASKS" \
  --batch-size "$BATCH_SIZE" --repeats "$REPEATS" --cache "$W/in-process.sqlite" | tee "$W/in-process.jsonl"
python3 - "$W/in-process.jsonl" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
by = {}
for r in rows:
    by.setdefault(r['kind'], []).append(r)
med = lambda k, f: statistics.median(r[f] for r in by[k])
print()
for k in ('no-cache', 'fresh', 'cached'):
    print(f"in process, {k:9} median evaluate {med(k, 'evaluateSeconds'):6.3f} s  cpu {med(k, 'cpuSeconds'):6.3f} s  inside the cache {med(k, 'cacheSeconds'):6.3f} s")
base = med('no-cache', 'evaluateSeconds')
n = by['fresh'][0]['requests']
print(f"fresh run: {1000 * med('fresh', 'cacheSeconds'):.0f} ms inside the cache for {n} requests "
      f"({1e6 * med('fresh', 'cacheSeconds') / n:.0f} us each) = {100 * med('fresh', 'cacheSeconds') / base:.1f} % of the no-cache evaluate()")
print(f"fully cached evaluate(): {med('cached', 'evaluateSeconds'):.3f} s ({100 * med('cached', 'evaluateSeconds') / base:.0f} % of no-cache)")
PY
