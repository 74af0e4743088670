#!/usr/bin/env python3
"""Where yardstick and lm-eval disagree by more than the tolerance on a request, which of them is nearer the
exact value? Scores each such request with a float64 torch forward of the same weights (tokenised by lm-eval's
own HFLM._encode_pair, so the tokens are lm-eval's) and prints |yardstick - float64| next to |lm-eval - float64|.
lm-eval's float32 log-softmax over a 49152 vocabulary drifts ~1e-5 nats per token, so a long continuation can
pass 1e-4 with neither side wrong; this shows whether yardstick is the one that drifted.

Usage: float64_arbiter.py --model DIR --ours YS_RUN --theirs LMEVAL_RUN --task TASK [--tolerance 1e-4] [--out OUT.jsonl]
  YS_RUN, LMEVAL_RUN: --output-path folders of --log-samples runs (samples_<task>_*.jsonl, lm-eval's format).
"""
import argparse
import glob
import json
import os

import torch
from lm_eval.models.huggingface import HFLM


def samples(run, task):
    """(doc_id, request index) -> (context, continuation, log-likelihood) from a run's sample log."""
    files = sorted(glob.glob(os.path.join(run, "**", f"samples_{task}_*.jsonl"), recursive=True))
    if not files:
        raise SystemExit(f"float64_arbiter.py: no samples_{task}_*.jsonl under {run}")
    out = {}
    with open(files[-1]) as f:
        for line in f:
            s = json.loads(line)
            for i, (args, resp) in enumerate(zip(s["arguments"].values(), s["resps"])):
                out[(s["doc_id"], i)] = (args["arg_0"], args["arg_1"], float(resp[0][0]))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--ours", required=True)
    ap.add_argument("--theirs", required=True)
    ap.add_argument("--task", required=True)
    ap.add_argument("--tolerance", type=float, default=1e-4)
    ap.add_argument("--out")
    a = ap.parse_args()
    ours, theirs = samples(a.ours, a.task), samples(a.theirs, a.task)
    records = []
    for key, (ctx, cont, ll) in sorted(ours.items()):
        other = theirs.get(key)
        if other and other[:2] == (ctx, cont) and abs(ll - other[2]) > a.tolerance:
            records.append({"where": list(key), "arguments": [ctx, cont], "ours": ll, "theirs": other[2]})
    if not records:
        print(f"{a.task}: no request with identical arguments differs by more than {a.tolerance:g} nats")
        return
    lm = HFLM(pretrained=a.model, dtype="float32", device="cpu", batch_size=1)
    model = lm.model.double().eval()
    rows = []
    for r in records:
        context, continuation = r["arguments"]
        ctx_enc, cont_enc = lm._encode_pair(context, continuation)
        ids = torch.tensor([(ctx_enc + cont_enc)[-(lm.max_length + 1):][:-1]])
        with torch.no_grad():
            logits = model(ids).logits[0].double()
        logprobs = torch.log_softmax(logits, dim=-1)[-len(cont_enc):]
        exact = float(sum(logprobs[i, t] for i, t in enumerate(cont_enc)))
        row = {"where": r["where"], "tokens": len(cont_enc), "ours_err": abs(r["ours"] - exact), "lm_eval_err": abs(r["theirs"] - exact)}
        rows.append(row)
    nearer = sum(1 for x in rows if x["ours_err"] <= x["lm_eval_err"])
    print(f"{a.task}: {len(rows)} requests differ by more than {a.tolerance:g} nats; yardstick is no farther than lm-eval from float64 on {nearer}")
    print(f"max |yardstick - float64| {max(x['ours_err'] for x in rows):.3g} nats; max |lm-eval - float64| {max(x['lm_eval_err'] for x in rows):.3g} nats")
    if a.out:
        with open(a.out, "w") as f:
            for x in rows:
                f.write(json.dumps(x) + "\n")


if __name__ == "__main__":
    main()
