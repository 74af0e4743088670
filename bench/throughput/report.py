#!/usr/bin/env python3
"""Prints the throughput table from the JSON lines of peak.js, yardstick_side.js and lmeval_side.py.

Sides: yardstick (today's path), yardstick-noshare (today's path with --no-prefix-sharing: every input
computed in full), yardstick-old (--old-path: LM head on every position, batches by request count, no
prefix sharing), lm-eval (HF backend). Per task and batch size:
  tokens  = tokens of the distinct model inputs (the same work on every side);
  computed = tokens each side ran through the model, padding included (yardstick: a shared prefix once);
  tok/s   = tokens / scoring seconds, so every side is divided by the same number;
  vs lm-eval / vs noshare / vs old = the other side's scoring seconds / this side's (> 1: this side is faster);
  peak    = share of the GEMM peak in useful FLOPs: 2 x non-embedding parameters x real tokens computed,
            plus 2 x hidden x vocabulary x scored positions (the LM head where it runs; rows from before
            yardstick_side.js counted them leave it out), over the engine's seconds (padding not counted);
  RSS     = the process's peak resident memory so far (MiB).
Generation tasks (hendrycks_math_*): tokens = tokens yardstick generated, computed = prompt + generated
tokens of each side (lm-eval: padded rows included).
Best-of-batch-size ratios compare each side at its own fastest batch size.

Projection (with `count` lines from yardstick_side.js --count-only over the full seed suite, and
`peak-<preset>` forward-only lines): each leaf task's work (tokens computed at the count's batch size;
for MATH, max_gen_toks per problem, an upper bound: the random-weight bench model never stops early)
divided by yardstick's measured rate for its family at that batch size (lambada_openai; MMLU 0-shot for
mmlu_*; winogrande for winogrande and GLUE; the MATH task for hendrycks_math_*), plus the bench's
non-scoring seconds per document of that family (request building, metrics). Another preset scales the
model seconds by the ratio of forward-only tokens/s measured in the same run.

With --math-tokens N, the projection also gives MATH at N generated tokens per problem (e.g. a real
model's mean; it stops at "Problem:" or EOS long before max_gen_toks), at the same tokens/s.

Usage: report.py [--math-tokens N] RESULT.jsonl...
"""
import json
import sys


def main():
    args = sys.argv[1:]
    math_tokens = None
    if args[:1] == ["--math-tokens"]:
        math_tokens = float(args[1])
        args = args[2:]
    rows = [json.loads(line) for path in args for line in open(path, encoding="utf-8") if line.strip()]
    peaks = [r for r in rows if r["side"] == "peak"]
    others = {r["side"][len("peak-"):]: r for r in rows if r["side"].startswith("peak-")}
    counts = [r for r in rows if r["side"] == "count"]
    for r in rows:
        if r.get("failed"):
            print(f"{r['side']} did not finish {r['task']} at batch size {r['batchSize']} (out of memory, or see its log)")
    rows = [r for r in rows if not r.get("failed")]
    rows = [r for r in rows if not r["side"].startswith("peak") and r["side"] != "count"]
    gemm = peaks[0]["gemmGflops"] if peaks else None
    for p in peaks:
        sizes = ", ".join(f"{n}² {g:.0f}" for n, g in p.get("gemmGflopsBySize", {}).items())
        shape = f"fastest square MatMul: {sizes}" if sizes else "2048² MatMul"
        print(f"fp32 GEMM peak ({shape}, {p['threads']} threads): {p['gemmGflops']:.1f} GFLOP/s; forward only "
              f"({p['forwardBatch']}, LM head on one row each): {p['forwardTokensPerSecond']:.0f} tokens/s = "
              f"{100 * p['forwardShareOfPeak']:.0f}% of peak in useful FLOPs; load average {p['loadAverage']}")
    for name, p in others.items():
        print(f"{name}: forward only ({p['forwardBatch']}): {p['forwardTokensPerSecond']:.0f} tokens/s "
              f"({p['nonEmbeddingParameters'] / 1e6:.0f}M non-embedding parameters)")
    # generation rows count generated tokens; scoring rows the tokens of the distinct inputs
    generated = lambda r: r.get("generatedTokens", 0) > 0 or r["task"].startswith("hendrycks_math")
    tokens = {r["task"]: (r["generatedTokens"] if generated(r) else r["distinctTokens"]) for r in rows if r["side"] == "yardstick"}
    for r in rows:
        if generated(r):
            r["paddedTokens"] = r["inputTokens"] = r.get("promptTokens", 0) + r.get("generatedTokens", 0)
    by_key = {(r["task"], r["batchSize"], r["side"]): r for r in rows}
    sides = [s for s in ("yardstick", "yardstick-noshare", "yardstick-old", "lm-eval") if any(r["side"] == s for r in rows)]
    header = (f"{'task':<24} {'bs':>3} {'side':<17} {'docs':>5} {'reqs':>5} {'passes':>6} {'tokens':>7} {'computed':>8} "
              f"{'scoring s':>9} {'tok/s':>7} {'vs lm-eval':>10} {'vs noshare':>10} {'vs old':>6} {'peak':>5} {'RSS MiB':>7} {'load':>5}")
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
                plain = by_key.get((task, bs, "yardstick-noshare"))
                vs_lm = f"{lm['answerSeconds'] / secs:.2f}" if lm and side != "lm-eval" else ""
                vs_plain = f"{plain['answerSeconds'] / secs:.2f}" if plain and side == "yardstick" else ""
                vs_old = f"{old['answerSeconds'] / secs:.2f}" if old and side == "yardstick" else ""
                share = ""
                if gemm and side.startswith("yardstick") and r["engineSeconds"] > 0:
                    useful = 2 * r["nonEmbeddingParameters"] * r["inputTokens"] + 2 * r.get("lmHeadParameters", 0) * r.get("scoredRows", 0)
                    share = f"{100 * useful / r['engineSeconds'] / (gemm * 1e9):.0f}%"
                load = r.get("loadAverage", "").split(" ")[0]
                print(f"{task:<24} {bs:>3} {side:<17} {r['docs']:>5} {r['requests']:>5} {r['forwardPasses']:>6} "
                      f"{tokens.get(task, 0):>7} {r['paddedTokens']:>8} {secs:>9.1f} {tokens.get(task, 0) / secs:>7.0f} "
                      f"{vs_lm:>10} {vs_plain:>10} {vs_old:>6} {share:>5} {r.get('peakRssMiB', 0):>7.0f} {load:>5}")
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
    if counts and peaks:
        project(counts, rows, peaks[0], others, math_tokens)


def family(task):
    if task.startswith("hendrycks_math"):
        return "math"
    if task.startswith("lambada"):
        return "lambada"
    if task.startswith("mmlu"):
        return "mmlu"
    return "winogrande"


def project(counts, rows, peak, others, math_tokens=None):
    """Projected wall time of the counted suite from the measured rates (see the module docstring)."""
    bs = counts[0]["batchSize"]
    measured = {}
    for r in rows:
        if r["side"] != "yardstick" or r["batchSize"] != bs or ":" in r["task"]:
            continue
        math = family(r["task"]) == "math"
        work = r["generatedTokens"] if math else r["paddedTokens"]
        measured[family(r["task"])] = {
            "rate": work / r["answerSeconds"],
            "overhead": max(0.0, r["evaluateSeconds"] - r["answerSeconds"]) / max(1, r["docs"]),
        }
    missing = sorted({family(c["task"]) for c in counts} - set(measured))
    if missing:
        print(f"\nprojection: no yardstick row at batch size {bs} for {', '.join(missing)}")
        return
    per_family = {}
    for c in counts:
        f = family(c["task"])
        m = measured[f]
        work = c["maxNewTokens"] if f == "math" else c["paddedTokens"]
        entry = per_family.setdefault(f, {"docs": 0, "work": 0, "model": 0.0, "overhead": 0.0})
        entry["docs"] += c["docs"]
        entry["work"] += work
        entry["model"] += work / m["rate"]
        entry["overhead"] += c["docs"] * m["overhead"]
    print(f"\nprojected full seed suite ({len(counts)} tasks), batch size {bs}, from this run's rates:")
    print(f"{'family':<11} {'docs':>6} {'work':>10} {'rate/s':>8} {'model s':>8} {'other s':>8}")
    for f, e in per_family.items():
        unit = "gen tok" if f == "math" else "tokens"
        print(f"{f:<11} {e['docs']:>6} {e['work']:>10} {measured[f]['rate']:>8.0f} {e['model']:>8.0f} {e['overhead']:>8.0f}  ({unit})")
    model = sum(e["model"] for e in per_family.values())
    other = sum(e["overhead"] for e in per_family.values())
    print(f"smollm-135m shape: {(model + other) / 60:.1f} min (model {model / 60:.1f} min, other {other / 60:.1f} min)")
    scored = sum(e["work"] for f, e in per_family.items() if f != "math")
    floor = 2 * peak["nonEmbeddingParameters"] * scored / (peak["gemmGflops"] * 1e9)
    print(f"floor: the {scored} scored tokens alone need {floor / 60:.1f} min at 100% of the measured GEMM peak (2 x non-embedding parameters per token)")
    for name, p in others.items():
        scale = peak["forwardTokensPerSecond"] / p["forwardTokensPerSecond"]
        print(f"{name} shape: {(model * scale + other) / 60:.1f} min (model seconds x {scale:.2f}, the forward-only ratio)")
    if math_tokens is not None and "math" in per_family:
        e = per_family["math"]
        realistic = e["docs"] * math_tokens / measured["math"]["rate"]
        model_r = model - e["model"] + realistic
        print(f"with MATH at {math_tokens:g} generated tokens per problem ({realistic / 60:.1f} min of generation instead of "
              f"{e['model'] / 60:.1f}): smollm-135m shape {(model_r + other) / 60:.1f} min"
              + "".join(f", {name} shape {(model_r * peak['forwardTokensPerSecond'] / p['forwardTokensPerSecond'] + other) / 60:.1f} min"
                        for name, p in others.items()))


if __name__ == "__main__":
    main()
