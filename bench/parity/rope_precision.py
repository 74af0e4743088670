#!/usr/bin/env python3
"""Explains yardstick-vs-lm-eval log-likelihood differences on long prompts: transformers computes the
rotary angles position * inv_freq in float32, yardstick's ONNX graph (src/models/onnx/llama-graph.ts)
in float64. Scores one logged request with transformers three ways and prints them next to the two
logged values:

  HF as is (float32 angles)        -> equals lm-eval's value
  HF with float64 angles           -> equals yardstick's value (to ~1e-6)
  HF float32 angles, float64 cos   -> what a graph with transformers' angles would give

Usage (lm-eval's virtual environment):
  python rope_precision.py MODEL_DIR YARDSTICK_RUN LM_EVAL_RUN TASK DOC_ID REQUEST
"""
import glob
import json
import sys

import torch
from transformers import AutoModelForCausalLM, AutoTokenizer
from transformers.models.llama import modeling_llama

model_dir, ys_run, lm_run, task, doc_id, req = sys.argv[1:7]
doc_id, req = int(doc_id), int(req)
tok = AutoTokenizer.from_pretrained(model_dir)
model = AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.float32).eval()
config = json.load(open(f"{model_dir}/config.json"))
theta = float(config.get("rope_theta", 10000.0))
head_dim = int(config.get("head_dim") or config["hidden_size"] // config["num_attention_heads"])


def logged(run):
    path = glob.glob(f"{run}/*/samples_{task}_*.jsonl") + glob.glob(f"{run}/samples_{task}_*.jsonl")
    for line in open(path[0], encoding="utf-8"):
        r = json.loads(line)
        if r["doc_id"] == doc_id:
            return r
    raise SystemExit(f"doc {doc_id} not in {path[0]}")


ys, lm = logged(ys_run), logged(lm_run)
args = ys["arguments"][f"gen_args_{req}"]
context, continuation = args["arg_0"], args["arg_1"]
# lm-eval's encoding: trailing whitespace moves to the continuation, encode whole, split by length
n = len(context) - len(context.rstrip())
if n:
    context, continuation = context[:-n], context[-n:] + continuation
whole = tok(context + continuation)["input_ids"]
ctx_ids = tok(context)["input_ids"]
cont_ids = whole[len(ctx_ids):]
max_length = 2048  # the tiny model's max_position_embeddings (lm-eval and yardstick agree)
inp = (ctx_ids + cont_ids)[-(max_length + 1):][:-1]


def score():
    with torch.no_grad():
        logprobs = torch.log_softmax(model(torch.tensor([inp])).logits[0], -1)
    rows = logprobs[len(inp) - len(cont_ids): len(inp)]
    return float(rows[torch.arange(len(cont_ids)), torch.tensor(cont_ids)].sum())


def angles_f64(self, x, position_ids):
    inv = torch.tensor([theta ** (-2 * i / head_dim) for i in range(head_dim // 2)], dtype=torch.float64)
    emb = torch.cat([position_ids.double()[..., None] * inv] * 2, -1)
    return emb.cos().to(x.dtype), emb.sin().to(x.dtype)


def angles_f32_cos_f64(self, x, position_ids):
    inv = 1.0 / (theta ** (torch.arange(0, head_dim, 2, dtype=torch.int64).float() / head_dim))
    emb = torch.cat([position_ids.float()[..., None] * inv] * 2, -1).double()
    return emb.cos().float(), emb.sin().float()


print(f"{task} doc {doc_id} request {req}: {len(ctx_ids) + len(cont_ids)} tokens")
print(f"  logged   lm-eval   {lm['filtered_resps'][req][0]}")
print(f"  logged   yardstick {ys['filtered_resps'][req][0]}")
print(f"  HF float32 angles (transformers)   {score()!r}")
modeling_llama.LlamaRotaryEmbedding.forward = angles_f64
print(f"  HF float64 angles (yardstick ONNX) {score()!r}")
modeling_llama.LlamaRotaryEmbedding.forward = angles_f32_cos_f64
print(f"  HF float32 angles, float64 cos     {score()!r}")
