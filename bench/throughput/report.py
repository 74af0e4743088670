#!/usr/bin/env python3
"""Prints the throughput table from the JSON lines of yardstick_side.js and lmeval_side.py.

requests/s counts loglikelihood requests (MMLU: 4 per document; LAMBADA: 1) over the scoring phase.
tokens/s counts the tokens of the distinct model inputs (yardstick's count, unpadded; lm-eval feeds the
same token ids) over the same phase, so both sides are divided by the same number of tokens.
ratio = yardstick / lm-eval at the same batch size (> 1: yardstick is faster).

Usage: report.py RESULT.jsonl...
"""
import json
import sys


def main():
    rows = [json.loads(line) for path in sys.argv[1:] for line in open(path, encoding="utf-8") if line.strip()]
    tokens = {(r["task"]): r["inputTokens"] for r in rows if r["side"] == "yardstick"}
    by_key = {(r["task"], r["batchSize"], r["side"]): r for r in rows}
    print(f"threads: yardstick {next(r['threads'] for r in rows if r['side'] == 'yardstick')}; "
          f"lm-eval {next(r['threads'] for r in rows if r['side'] == 'lm-eval')}")
    print(f"model load (s): " + ", ".join(
        f"{side} bs{bs} {next(r['loadSeconds'] for r in rows if r['side'] == side and r['batchSize'] == bs):.1f}"
        for side in ("yardstick", "lm-eval") for bs in sorted({r["batchSize"] for r in rows})
        if any(r["side"] == side and r["batchSize"] == bs for r in rows)))
    header = f"{'task':<22} {'bs':>3} {'side':<10} {'docs':>5} {'reqs':>5} {'passes':>6} {'tokens':>7} {'padded':>7} " \
             f"{'scoring s':>9} {'req/s':>7} {'tok/s':>7} {'eval s':>7} {'ratio':>6}"
    print(header)
    print("-" * len(header))
    for task in dict.fromkeys(r["task"] for r in rows):
        for bs in sorted({r["batchSize"] for r in rows}):
            for side in ("yardstick", "lm-eval"):
                r = by_key.get((task, bs, side))
                if r is None:
                    continue
                secs = r["answerSeconds"]
                ratio = ""
                other = by_key.get((task, bs, "lm-eval"))
                if side == "yardstick" and other:
                    ratio = f"{other['answerSeconds'] / secs:.2f}"
                print(f"{task:<22} {bs:>3} {side:<10} {r['docs']:>5} {r['requests']:>5} {r['forwardPasses']:>6} "
                      f"{tokens.get(task, 0):>7} {r['paddedTokens']:>7} {secs:>9.1f} {r['requests'] / secs:>7.2f} "
                      f"{tokens.get(task, 0) / secs:>7.0f} {r['evaluateSeconds']:>7.1f} {ratio:>6}")
    # the same documents must give the same scores, or the timings compare different work
    print()
    for (task, bs, side), r in sorted(by_key.items()):
        if side != "yardstick" or (task, bs, "lm-eval") not in by_key:
            continue
        ours, theirs = r["results"], by_key[(task, bs, "lm-eval")]["results"]
        shown = [k for k in ours if not k.endswith("_stderr,none") and k in theirs]
        print(f"{task} bs{bs}: " + "; ".join(f"{k} yardstick {ours[k]:.6g} lm-eval {theirs[k]:.6g}" for k in shown))


if __name__ == "__main__":
    main()
