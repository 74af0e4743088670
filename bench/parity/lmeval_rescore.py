#!/usr/bin/env python3
"""Scores the log-likelihood requests a yardstick run logged (samples_<task>_*.jsonl: arg_0 context, arg_1
continuation) through lm-eval's own HFLM (its tokenisation, BOS rule and float32 torch forward), and prints
the per-request |delta| against yardstick's numbers. A cheaper cross-check than a full lm-eval run when the
machine is too slow for lm-eval's 100000-resample mcc/f1 bootstraps; it does not check prompts (they come
from yardstick) -- `real_weights_parity.sh` does that with `yardstick parity`.

Usage: lmeval_rescore.py --model DIR --run YS_RUN_DIR [--tasks a,b] [--max-requests N] [--out OUT.jsonl]
"""
import argparse
import glob
import json
import os
import time

from lm_eval.api.instance import Instance
from lm_eval.models.huggingface import HFLM


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--run", required=True, help="yardstick --output-path of a --log-samples run")
    ap.add_argument("--tasks", default="")
    ap.add_argument("--max-requests", type=int, default=0, help="per task; 0 = all")
    ap.add_argument("--out")
    a = ap.parse_args()
    wanted = [t for t in a.tasks.split(",") if t]
    requests = []  # (task, doc_id, i, context, continuation, yardstick logprob, yardstick greedy)
    for f in sorted(glob.glob(os.path.join(a.run, "**", "samples_*.jsonl"), recursive=True)):
        task = os.path.basename(f)[len("samples_"):].rsplit("_", 1)[0]
        if wanted and task not in wanted:
            continue
        n = 0
        for line in open(f):
            rec = json.loads(line)
            args = rec["arguments"]
            for i, key in enumerate(sorted(args, key=lambda k: int(k.split("_")[-1]))):
                if a.max_requests and n >= a.max_requests:
                    break
                ll, greedy = rec["resps"][i][0]
                requests.append((task, rec["doc_id"], i, args[key]["arg_0"], args[key]["arg_1"], float(ll), greedy in (True, "True")))
                n += 1
    lm = HFLM(pretrained=a.model, dtype="float32", device="cpu", batch_size=1)
    inst = [Instance("loglikelihood", {}, (r[3], r[4]), j) for j, r in enumerate(requests)]
    start = time.time()
    out = lm.loglikelihood(inst)
    rows = []
    for r, (ll, greedy) in zip(requests, out):
        rows.append({"task": r[0], "doc_id": r[1], "request": r[2], "yardstick": r[5], "lm_eval": float(ll),
                     "delta": abs(r[5] - float(ll)), "greedy_equal": bool(greedy) == r[6]})
    if a.out:
        with open(a.out, "w") as fh:
            fh.writelines(json.dumps(x) + "\n" for x in rows)
    by_task = {}
    for x in rows:
        by_task.setdefault(x["task"], []).append(x)
    print(f"{len(rows)} requests in {time.time() - start:.0f} s")
    print("| task | requests | max abs delta (nats) | is_greedy equal |")
    print("|---|---|---|---|")
    for task, xs in sorted(by_task.items()):
        print(f"| {task} | {len(xs)} | {max(x['delta'] for x in xs):.2e} | {sum(x['greedy_equal'] for x in xs)}/{len(xs)} |")


if __name__ == "__main__":
    main()
