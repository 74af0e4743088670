#!/usr/bin/env python3
"""Prints the throughput table from the JSON lines of peak.js, yardstick_side.js and lmeval_side.py.

Sides: yardstick (today's path), yardstick-old (--old-path: LM head on every position, batches by request
count, no prefix sharing), lm-eval (HF backend). Per task and batch size:
  tokens  = tokens of the distinct model inputs (the same work on every side);
  computed = tokens each side ran through the model, padding included (yardstick: a shared prefix once);
  tok/s   = tokens / scoring seconds, so every side is divided by the same number;
  vs lm-eval / vs old = the other side's scoring seconds / this side's (> 1: this side is faster);
  peak    = share of the GEMM peak in useful FLOPs: 2 x non-embedding parameters x real tokens computed
            over the engine's seconds (padding and the LM head not counted);
  RSS     = the process's peak resident memory so far (MiB).
Best-of-batch-size ratios compare each side at its own fastest batch size.

Usage: report.py RESULT.jsonl...
"""
import json
import sys


def main():
    rows = [json.loads(line) for path in sys.argv[1:] for line in open(path, encoding="utf-8") if line.strip()]
    peaks = [r for r in rows if r["side"] == "peak"]
    rows = [r for r in rows if r["side"] != "peak"]
    gemm = peaks[0]["gemmGflops"] if peaks else None
    for p in peaks:
        print(f"fp32 GEMM peak (2048² MatMul, {p['threads']} threads): {p['gemmGflops']:.1f} GFLOP/s; forward only "
              f"({p['forwardBatch']}, LM head on one row each): {p['forwardTokensPerSecond']:.0f} tokens/s = "
              f"{100 * p['forwardShareOfPeak']:.0f}% of peak in useful FLOPs; load average {p['loadAverage']}")
    tokens = {r["task"]: r["distinctTokens"] for r in rows if r["side"] == "yardstick"}
    by_key = {(r["task"], r["batchSize"], r["side"]): r for r in rows}
    sides = [s for s in ("yardstick", "yardstick-old", "lm-eval") if any(r["side"] == s for r in rows)]
    header = (f"{'task':<24} {'bs':>3} {'side':<13} {'docs':>5} {'reqs':>5} {'passes':>6} {'tokens':>7} {'computed':>8} "
              f"{'scoring s':>9} {'tok/s':>7} {'vs lm-eval':>10} {'vs old':>6} {'peak':>5} {'RSS MiB':>7} {'load':>5}")
    print(header)
    print("-" * len(header))
    batch_sizes = sorted({r["batchSize"] for r in rows})
    for task in dict.fromkeys(r["task"] for r in rows):
        for bs in batch_sizes:
            for side in sides:
                r = by_key.get((task, bs, side))
                if r is None:
                    continue
                secs = r["answerSeconds"]
                lm = by_key.get((task, bs, "lm-eval"))
                old = by_key.get((task, bs, "yardstick-old"))
                vs_lm = f"{lm['answerSeconds'] / secs:.2f}" if lm and side != "lm-eval" else ""
                vs_old = f"{old['answerSeconds'] / secs:.2f}" if old and side == "yardstick" else ""
                share = ""
                if gemm and side.startswith("yardstick") and r["engineSeconds"] > 0:
                    share = f"{100 * 2 * r['nonEmbeddingParameters'] * r['inputTokens'] / r['engineSeconds'] / (gemm * 1e9):.0f}%"
                load = r.get("loadAverage", "").split(" ")[0]
                print(f"{task:<24} {bs:>3} {side:<13} {r['docs']:>5} {r['requests']:>5} {r['forwardPasses']:>6} "
                      f"{tokens.get(task, 0):>7} {r['paddedTokens']:>8} {secs:>9.1f} {tokens.get(task, 0) / secs:>7.0f} "
                      f"{vs_lm:>10} {vs_old:>6} {share:>5} {r.get('peakRssMiB', 0):>7.0f} {load:>5}")
    print()
    for task in dict.fromkeys(r["task"] for r in rows):
        best = {}
        for side in sides:
            cands = [by_key[(task, bs, side)] for bs in batch_sizes if (task, bs, side) in by_key]
            if cands:
                best[side] = min(cands, key=lambda r: r["answerSeconds"])
        if "lm-eval" in best:
            parts = [f"{side} (bs {b['batchSize']}) {best['lm-eval']['answerSeconds'] / b['answerSeconds']:.2f}x"
                     for side, b in best.items() if side != "lm-eval"]
            tok = ""
            if "yardstick" in best:
                tok = f"; tokens computed yardstick/lm-eval {best['yardstick']['paddedTokens'] / best['lm-eval']['paddedTokens']:.2f}"
            print(f"{task}, each side at its best batch size, speed vs lm-eval: " + ", ".join(parts) + tok)
    # the same documents must give the same scores, or the timings compare different work
    print()
    for (task, bs, side), r in sorted(by_key.items()):
        if side == "lm-eval" or (task, bs, "lm-eval") not in by_key:
            continue
        ours, theirs = r["results"], by_key[(task, bs, "lm-eval")]["results"]
        shown = [k for k in ours if not k.endswith("_stderr,none") and k in theirs]
        print(f"{task} bs{bs} {side}: " + "; ".join(f"{k} {ours[k]:.6g} (lm-eval {theirs[k]:.6g})" for k in shown))


if __name__ == "__main__":
    main()
