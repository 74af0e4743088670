#!/usr/bin/env python3
"""lm-eval's half of the throughput bench: the HF backend that `lm_eval --model hf --model_args
pretrained=DIR,dtype=float32 --device cpu --batch_size N` builds, loaded once, then simple_evaluate on
each task in turn. Times model load, the scoring phase (HFLM._loglikelihood_tokens, which runs after
lm-eval has tokenised the requests) and the whole evaluation; counts forward passes and padded tokens
(HFLM._model_call), generations and the tokens they produced (HFLM._model_generate, padded rows
included), and peak RSS. A task may be `name:K` for K few-shot examples. Prints one JSON line
per task, the same fields as yardstick_side.ts.

Run with the lm-eval virtual environment's python, offline (HF_HUB_OFFLINE=1 HF_DATASETS_OFFLINE=1):
  lmeval_side.py --model DIR --include-path TASKS --tasks a,b --batch-size N --threads T [--repeat N]
"""
import argparse
import contextlib
import json
import logging
import resource
import sys
import time

import torch
from lm_eval import simple_evaluate
from lm_eval.models.huggingface import HFLM
from lm_eval.tasks import TaskManager


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--include-path", required=True)
    ap.add_argument("--tasks", required=True)
    ap.add_argument("--batch-size", type=int, required=True)
    ap.add_argument("--threads", type=int, required=True, help="torch.set_num_threads (torch's default is the core count)")
    ap.add_argument("--repeat", type=int, default=1, help="evaluate each scoring task this many times and report the fastest (MATH generation once)")
    a = ap.parse_args()
    logging.getLogger("lm-eval").setLevel(logging.WARNING)

    torch.set_num_threads(a.threads)
    t0 = time.perf_counter()
    lm = HFLM(pretrained=a.model, dtype="float32", device="cpu", batch_size=a.batch_size)
    load_seconds = time.perf_counter() - t0

    # one small forward pass first, so neither side's first-call set-up lands in a task's timing
    lm._model_call(torch.tensor([[0, 1, 2, 3]], device=lm.device))

    counters = {}

    def timed(fn, seconds, count=lambda out, args, kwargs: None):
        """fn, adding its run time to counters[seconds] and calling count(out, args, kwargs) after each call"""
        def wrapper(*args, **kwargs):
            t = time.perf_counter()
            out = fn(*args, **kwargs)
            counters[seconds] += time.perf_counter() - t
            count(out, args, kwargs)
            return out
        return wrapper

    def count_pass(out, args, kwargs):  # _model_call(inps)
        counters["forward_passes"] += 1
        counters["padded_tokens"] += int(args[0].numel())

    def count_generation(out, args, kwargs):  # _model_generate(context=..., max_length=..., stop=...)
        context = kwargs["context"] if "context" in kwargs else args[0]
        counters["forward_passes"] += 1
        counters["prompt_tokens"] += int(context.numel())
        counters["generated_tokens"] += int(out.shape[0] * (out.shape[1] - context.shape[1]))

    lm._model_call = timed(lm._model_call, "engine_seconds", count_pass)
    lm._loglikelihood_tokens = timed(lm._loglikelihood_tokens, "answer_seconds")
    lm._model_generate = timed(lm._model_generate, "engine_seconds", count_generation)
    lm.generate_until = timed(lm.generate_until, "answer_seconds")

    task_manager = TaskManager(include_path=a.include_path)
    def measure(spec):
        """One evaluation of spec: its JSON line."""
        task, _, shots = spec.partition(":")
        counters.update(forward_passes=0, padded_tokens=0, engine_seconds=0.0, answer_seconds=0.0, prompt_tokens=0, generated_tokens=0)
        t0 = time.perf_counter()
        with contextlib.redirect_stdout(sys.stderr):  # lm-eval prints progress notes; stdout is for the JSON lines
            out = simple_evaluate(model=lm, tasks=[task], task_manager=task_manager, log_samples=True,
                                  num_fewshot=int(shots) if shots else None)
        evaluate_seconds = time.perf_counter() - t0
        samples = out["samples"][task]
        return {
            "side": "lm-eval",
            "task": spec,
            "peakRssMiB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "loadAverage": " ".join(open("/proc/loadavg").read().split()[:3]),
            "batchSize": a.batch_size,
            "threads": f"torch.get_num_threads() = {torch.get_num_threads()}",
            "docs": len(samples),
            "requests": sum(len(s["arguments"]) for s in samples),
            "forwardPasses": counters["forward_passes"],
            "paddedTokens": counters["padded_tokens"],
            "promptTokens": counters["prompt_tokens"],
            "generatedTokens": counters["generated_tokens"],
            "loadSeconds": load_seconds,
            "answerSeconds": counters["answer_seconds"],
            "engineSeconds": counters["engine_seconds"],
            "evaluateSeconds": evaluate_seconds,
            "results": {k: v for k, v in out["results"][task].items() if k != "alias"},
        }

    for spec in a.tasks.split(","):
        # --repeat N: the fastest of N evaluations in this process, as yardstick_side.js reports it
        times = 1 if spec.startswith("hendrycks_math") else a.repeat
        lines = [measure(spec) for _ in range(times)]
        best = min(lines, key=lambda line: line["answerSeconds"])
        print(json.dumps({**best, "repeats": times, "answerSecondsEach": [line["answerSeconds"] for line in lines]}), flush=True)


if __name__ == "__main__":
    main()
