#!/usr/bin/env python3
"""Float64 reference log-likelihoods of a Hugging Face model folder, for checking yardstick's
converted / loaded models.

Scoring mode (requests from a file):
  python reference_logprobs.py --model DIR --requests REQ.jsonl --out OUT.jsonl

  each request line: {"input": [ids...], "continuation": [ids...], ...any other keys}
  each output line:  the request's keys plus
    "logprob":          sum of log P(continuation token | prefix), float64 forward
    "is_greedy":        every continuation token is the float64 argmax
    "token_logprobs":   the per-token float64 log-probs
    "logprob_fp32", "is_greedy_fp32", "token_logprobs_fp32": the same from a float32 forward

  Scoring is lm-eval's: the model sees (input + continuation)[:-1] (no truncation, no padding,
  one request at a time) and the last len(continuation) positions are read.

Fixture mode (real text, tokenised with the model's own tokenizer):
  python reference_logprobs.py --model DIR --lambada FILE.jsonl --out OUT.jsonl [--n 6]

  makes n requests from LAMBADA (OpenAI) documents as lm-eval's lambada_openai does: context =
  text up to the last space, continuation = " " + last word, encoded with lm-eval's _encode_pair
  (encode(context + continuation), split at len(encode(context)), the tokenizer's default special
  tokens). The last request joins several documents into one long context (> 256 tokens, past a
  llama3 rope_scaling original_max_position_embeddings of 256). Lines also carry "context" and
  "continuation_text".

Rotary embeddings: transformers takes the angles position * inv_freq in float32 and cos/sin in
float32 even in a float64 model. With --rope f32-angle (default) the float64 forward keeps the
float32 angle (transformers' values, as yardstick's reference does) but takes cos/sin in float64;
--rope hf leaves transformers untouched. The float32 forward is always transformers as it is.
"""
import argparse
import copy
import json
import sys
from pathlib import Path

import torch
from transformers import AutoModelForCausalLM, AutoTokenizer


def patch_rotary_f64(model: torch.nn.Module) -> int:
    """cos/sin in float64 on transformers' float32 angles, for every *RotaryEmbedding module."""
    patched = 0
    for module in model.modules():
        name = type(module).__name__
        if not name.endswith("RotaryEmbedding") or not hasattr(module, "inv_freq"):
            continue
        if getattr(module, "rope_type", "default") not in ("default", "linear", "llama3"):
            raise SystemExit(f"--rope f32-angle: rope_type {module.rope_type!r} not handled; use --rope hf")
        inv32 = module.inv_freq.detach().to(torch.float32).clone()

        def forward(x, position_ids, _m=module, _inv=inv32):
            freqs = position_ids[..., None].to(torch.float32) * _inv.to(x.device)  # float32, as transformers
            emb = torch.cat((freqs, freqs), dim=-1).to(torch.float64)
            return (emb.cos() * _m.attention_scaling).to(x.dtype), (emb.sin() * _m.attention_scaling).to(x.dtype)

        module.forward = forward
        patched += 1
    return patched


@torch.no_grad()
def score(model, inp: list[int], cont: list[int]):
    whole = inp + cont
    x = torch.tensor([whole[:-1]])
    logits = model(x).logits[0]
    logp = torch.log_softmax(logits, dim=-1)  # in the model's dtype, as lm-eval does
    rows = logp[len(inp) - 1:]
    target = torch.tensor(cont)
    tok = rows[torch.arange(len(cont)), target]
    greedy = bool((rows.argmax(-1) == target).all())
    values = [float(v) for v in tok.to(torch.float64)]
    # the sum in float64 for both (lm-eval sums the float32 values in float32; the difference is ~1e-7)
    return float(sum(values)), greedy, values


def lambada_requests(tok, path: Path, n: int) -> list[dict]:
    docs = [json.loads(line)["text"] for line in path.open(encoding="utf-8")]
    # fixed documents: with the real SmolLM2 these mix greedy and non-greedy, one- and two-token words
    index = [0, 2, 3, 7, 16, 1, 4, 5, 6, 8, 9, 10]
    picks = [docs[i] for i in index[: n - 1]]
    long_ctx = " ".join(docs[200:206])
    picks.append(long_ctx)
    out = []
    for text in picks:
        context, word = text.rsplit(" ", 1)
        continuation = " " + word
        whole = tok.encode(context + continuation)
        ctx = tok.encode(context)
        cont = whole[len(ctx):]
        if whole[: len(ctx)] != ctx:
            print("warning: encode(context) is not a prefix of encode(context + continuation)", file=sys.stderr)
        out.append({"context": context, "continuation_text": continuation, "input": ctx, "continuation": cont})
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", type=Path, required=True)
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--requests", type=Path)
    src.add_argument("--lambada", type=Path, help="lambada_openai/test.jsonl: build fixture requests")
    ap.add_argument("--n", type=int, default=6, help="requests to build with --lambada")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--rope", choices=("f32-angle", "hf"), default="f32-angle")
    args = ap.parse_args()
    torch.set_num_threads(max(1, min(2, torch.get_num_threads())))

    if args.lambada:
        tok = AutoTokenizer.from_pretrained(args.model)
        requests = lambada_requests(tok, args.lambada, args.n)
    else:
        requests = [json.loads(line) for line in args.requests.open(encoding="utf-8") if line.strip()]

    m32 = AutoModelForCausalLM.from_pretrained(args.model, dtype=torch.float32).eval()
    m64 = copy.deepcopy(m32).to(torch.float64).eval()
    patched = patch_rotary_f64(m64) if args.rope == "f32-angle" else 0

    args.out.parent.mkdir(parents=True, exist_ok=True)
    worst = 0.0
    with args.out.open("w", encoding="utf-8") as f:
        for r in requests:
            inp, cont = list(r["input"]), list(r["continuation"])
            if not inp or not cont:
                raise SystemExit("each request needs a non-empty input and continuation")
            lp, greedy, toks = score(m64, inp, cont)
            lp32, greedy32, toks32 = score(m32, inp, cont)
            worst = max(worst, abs(lp - lp32))
            r.update(logprob=lp, is_greedy=greedy, token_logprobs=toks,
                     logprob_fp32=lp32, is_greedy_fp32=greedy32, token_logprobs_fp32=toks32)
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"{args.model}: {len(requests)} requests -> {args.out}; rotary modules patched {patched}; "
          f"max |fp64 - fp32| {worst:.3g} nats")
    return 0


if __name__ == "__main__":
    sys.exit(main())
