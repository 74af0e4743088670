#!/usr/bin/env python3
"""Dev check (not a test): Hugging Face transformers loads a `yardstick make-model` folder and
agrees with it.

  1. AutoTokenizer token ids == @huggingface/tokenizers ids (with and without special tokens),
     and decode(encode(x)) == x.
  2. AutoModelForCausalLM log-softmax == onnxruntime-node log-softmax of onnx/model.onnx within
     1e-4 nats, on one sequence and on a left-padded batch (position_ids = cumsum(mask) - 1).

The JavaScript side runs in node from the repository root (it needs node_modules).

Usage (from the repository root, after `npx tsc -p tsconfig.json`):
  node bin/yardstick.js make-model --preset tiny --seed 1 --out /tmp/tiny
  $LMEVAL_VENV/bin/python bench/parity/check_hf_load.py /tmp/tiny
"""
import json
import math
import os
import subprocess
import sys
from pathlib import Path

import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

REPO = Path(__file__).resolve().parents[2]
TOLERANCE = 1e-4

TEXTS = [
    "The quick brown fox jumps over the lazy dog.",
    "  Two leading spaces, a tab\tand a newline\nthen more text.",
    "Unicode: naïve café, Straße, 東京, emoji 🚀; numbers 3.14159 and 2024.",
    "<|im_start|>user\nHello!<|im_end|>",
    "Question: What is the capital of France?\nAnswer: Paris",
]
LONG_TEXT = (
    "When the weather is good, the park near the river is full of families. Some of them bring "
    "a basket of food and sit on the grass, while others play ball or walk their dogs along the "
    "water. An old man feeds the birds from the same bench every afternoon."
)

# Runs in node: encodes with @huggingface/tokenizers and scores with onnxruntime-node.
NODE_SCRIPT = r"""
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { Tokenizer } from '@huggingface/tokenizers';
const { dir, texts, batch } = JSON.parse(readFileSync(0, 'utf8'));
const tok = new Tokenizer(JSON.parse(readFileSync(join(dir, 'tokenizer.json'), 'utf8')),
                          JSON.parse(readFileSync(join(dir, 'tokenizer_config.json'), 'utf8')));
const ids = texts.map((t) => ({
  with: tok.encode(t, { add_special_tokens: true }).ids,
  without: tok.encode(t, { add_special_tokens: false }).ids,
}));
const session = await ort.InferenceSession.create(join(dir, 'onnx', 'model.onnx'));
const t64 = (rows) => new ort.Tensor('int64', BigInt64Array.from(rows.flat(), BigInt), [rows.length, rows[0].length]);
const feeds = { input_ids: t64(batch.ids), attention_mask: t64(batch.mask), position_ids: t64(batch.positions) };
const [B, T] = [batch.ids.length, batch.ids[0].length];
// our scoring graph computes logits only at score_positions: ask for every position
if (session.inputNames.includes('score_positions')) {
  feeds.score_positions = new ort.Tensor('int64', BigInt64Array.from({ length: B * T }, (_, i) => BigInt(i)), [B * T]);
}
const out = await session.run(feeds);
const V = out.logits.dims[out.logits.dims.length - 1];
const logits = [];
for (let b = 0; b < B; b++) {
  const rows = [];
  for (let t = 0; t < T; t++) rows.push(Array.from(out.logits.data.subarray((b * T + t) * V, (b * T + t + 1) * V)));
  logits.push(rows);
}
process.stdout.write(JSON.stringify({ ids, logits }));
"""


def run_node(payload):
    result = subprocess.run(
        ["node", "--input-type=module", "-e", NODE_SCRIPT],
        input=json.dumps(payload), capture_output=True, text=True, cwd=REPO, check=False,
        # ONNX Runtime's telemetry would leave $TMPDIR/mat-debug-<pid>.log behind (src/engines/onnx/telemetry.ts)
        env={**os.environ, "ORT_DISABLE_TELEMETRY": os.environ.get("ORT_DISABLE_TELEMETRY", "1")},
    )
    if result.returncode != 0:
        sys.exit(f"node failed:\n{result.stderr}")
    return json.loads(result.stdout)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    model_dir = str(Path(sys.argv[1]).resolve())
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.float32)
    model.eval()
    failures = []

    # A left-padded batch: the long text, and a shorter one padded on the left.
    long_ids = tokenizer(LONG_TEXT)["input_ids"]
    short_ids = tokenizer(TEXTS[0])["input_ids"]
    width = len(long_ids)
    pad = tokenizer.convert_tokens_to_ids(tokenizer.eos_token)
    ids = [long_ids, [pad] * (width - len(short_ids)) + short_ids]
    mask = [[1] * width, [0] * (width - len(short_ids)) + [1] * len(short_ids)]
    positions = [[sum(m[: i + 1]) - 1 for i in range(width)] for m in mask]
    js = run_node({"dir": model_dir, "texts": TEXTS, "batch": {"ids": ids, "mask": mask, "positions": positions}})

    for text, js_ids in zip(TEXTS, js["ids"]):
        hf_with = tokenizer(text)["input_ids"]
        hf_without = tokenizer(text, add_special_tokens=False)["input_ids"]
        ok = hf_with == js_ids["with"] and hf_without == js_ids["without"]
        round_trip = tokenizer.decode(hf_without) == text
        print(f"ids {'ok ' if ok else 'DIFF'} round-trip {'ok ' if round_trip else 'DIFF'} {len(hf_with):3d} tokens  {text[:40]!r}")
        if not ok:
            failures.append(f"ids differ for {text!r}: hf {hf_with} / {hf_without}, js {js_ids}")
        if not round_trip:
            failures.append(f"decode(encode(x)) != x for {text!r}")

    with torch.no_grad():
        logits = model(
            input_ids=torch.tensor(ids), attention_mask=torch.tensor(mask), position_ids=torch.tensor(positions)
        ).logits
    hf_logprobs = torch.log_softmax(logits.double(), dim=-1)
    onnx_logprobs = torch.log_softmax(torch.tensor(js["logits"], dtype=torch.float64), dim=-1)
    worst = 0.0
    positions_checked = 0
    for b in range(len(ids)):
        for t in range(width):
            if mask[b][t] == 0:
                continue
            worst = max(worst, (hf_logprobs[b, t] - onnx_logprobs[b, t]).abs().max().item())
            positions_checked += 1
    spread = hf_logprobs[0].max(dim=-1).values
    print(f"log-softmax: max |transformers - onnx| = {worst:.2e} nats over {positions_checked} positions "
          f"(tolerance {TOLERANCE:g}); top-1 log-prob ranges {spread.min().item():.2f}..{spread.max().item():.2f}")
    if not math.isfinite(worst) or worst > TOLERANCE:
        failures.append(f"log-probs differ by {worst}")

    if failures:
        print("FAILED:\n  " + "\n  ".join(failures))
        sys.exit(1)
    print("OK: transformers loads the folder; tokenizer ids and log-probs match.")


if __name__ == "__main__":
    main()
