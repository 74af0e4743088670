#!/usr/bin/env python3
"""Small random-weight models of several architectures, for checking yardstick's model loading
against transformers.

Each model reuses the real SmolLM2 tokenizer (vocab 49152), so real text can be fed to it. Every
weight is random (seeded), norm weights included (1 + 0.1·N(0,1), q/k norms 1 + 0.2·N(0,1)),
biases too (0.1·N(0,1)); matrices are N(0, 1/fan_in) with q/k projections 1.5x larger, so that
attention is far from uniform and a wrong rotary, mask, norm or bias shows up in the log-probs.

  OUT/<name>/   config.json, model.safetensors or model-0000x-of-0000n.safetensors +
                model.safetensors.index.json, tokenizer files (copied from --tokenizer)
  OUT/MANIFEST.json   one entry per model: architecture, config summary, dtype, shard count

Config files are written in transformers-4 layout (rope_theta / rope_scaling), except qwen3,
which keeps transformers-5 layout (rope_parameters) so both are covered.

  python bench/parity/make_arch_models.py [--out DIR] [--tokenizer DIR] [--seed N] [--only a,b]
"""
import argparse
import json
import math
import sys
from pathlib import Path

import torch
from transformers import (
    AutoModelForCausalLM,
    GPT2Config,
    LlamaConfig,
    MistralConfig,
    Qwen2Config,
    Qwen3Config,
)

from pyref_util import REF_DIR, copy_tokenizer, legacy_config

VOCAB = 49152
COMMON = dict(vocab_size=VOCAB, max_position_embeddings=2048, bos_token_id=1, eos_token_id=2, pad_token_id=2)


def specs():
    """name -> (config, saved dtype, max_shard_size or None, keep transformers-5 layout)."""
    return {
        "llama": (
            LlamaConfig(hidden_size=128, intermediate_size=256, num_hidden_layers=3, num_attention_heads=4,
                        num_key_value_heads=2, rms_norm_eps=1e-5, rope_parameters={"rope_type": "default", "rope_theta": 10000.0},
                        tie_word_embeddings=True, **COMMON),
            torch.bfloat16, "5MB", False),
        "llama3-rope-untied": (
            LlamaConfig(hidden_size=128, intermediate_size=320, num_hidden_layers=2, num_attention_heads=4,
                        num_key_value_heads=2, rms_norm_eps=1e-5, tie_word_embeddings=False,
                        rope_parameters={"rope_type": "llama3", "rope_theta": 500000.0, "factor": 8.0,
                                         "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                                         "original_max_position_embeddings": 256},
                        **COMMON),
            torch.float32, None, False),
        "mistral": (
            MistralConfig(hidden_size=128, intermediate_size=256, num_hidden_layers=2, num_attention_heads=4,
                          num_key_value_heads=2, rms_norm_eps=1e-5, sliding_window=4096, tie_word_embeddings=False,
                          rope_parameters={"rope_type": "default", "rope_theta": 1000000.0}, **COMMON),
            torch.bfloat16, None, False),
        "qwen2": (
            Qwen2Config(hidden_size=128, intermediate_size=288, num_hidden_layers=3, num_attention_heads=4,
                        num_key_value_heads=2, rms_norm_eps=1e-6, tie_word_embeddings=True, use_sliding_window=False,
                        rope_parameters={"rope_type": "default", "rope_theta": 1000000.0}, **COMMON),
            torch.bfloat16, "5MB", False),
        "qwen3": (
            # head_dim 32 with hidden 96 and 4 heads: q_proj is 96 -> 128, not square
            Qwen3Config(hidden_size=96, intermediate_size=256, num_hidden_layers=2, num_attention_heads=4,
                        num_key_value_heads=2, head_dim=32, rms_norm_eps=1e-6, tie_word_embeddings=True,
                        use_sliding_window=False, attention_bias=False,
                        rope_parameters={"rope_type": "default", "rope_theta": 1000000.0}, **COMMON),
            torch.float32, None, True),
        "gpt2": (
            GPT2Config(n_embd=128, n_layer=2, n_head=4, n_positions=2048, vocab_size=VOCAB, bos_token_id=0,
                       eos_token_id=0, layer_norm_epsilon=1e-5, tie_word_embeddings=True),
            torch.float32, None, False),
    }


@torch.no_grad()
def randomise(model: torch.nn.Module, gen: torch.Generator) -> None:
    for name, p in model.named_parameters():
        shape = p.shape
        rnd = torch.randn(shape, generator=gen, dtype=torch.float32)
        leaf = name.split(".")[-1]
        if leaf == "bias":
            p.copy_(0.1 * rnd)
        elif p.dim() == 1:  # RMSNorm / LayerNorm weights
            scale = 0.2 if ("q_norm" in name or "k_norm" in name) else 0.1
            p.copy_(1.0 + scale * rnd)
        elif "embed_tokens" in name or name.endswith("wte.weight") or name.endswith("wpe.weight") or name.startswith("lm_head"):
            p.copy_(0.2 * rnd)
        else:
            # nn.Linear stores [out, in]; GPT-2's Conv1D stores [in, out]
            fan_in = shape[0] if ".attn.c_" in name or ".mlp.c_" in name else shape[1]
            std = 1.0 / math.sqrt(fan_in)
            if any(k in name for k in ("q_proj", "k_proj")):
                std *= 1.5
            p.copy_(std * rnd)


def summary(cfg) -> dict:
    d = cfg.to_dict()
    keys = ("model_type", "hidden_size", "n_embd", "intermediate_size", "num_hidden_layers", "n_layer",
            "num_attention_heads", "n_head", "num_key_value_heads", "head_dim", "rms_norm_eps",
            "layer_norm_epsilon", "tie_word_embeddings", "rope_parameters", "sliding_window", "vocab_size")
    return {k: d[k] for k in keys if d.get(k) is not None}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=REF_DIR / "arch")
    ap.add_argument("--tokenizer", type=Path, default=REF_DIR / "smollm2-135m-instruct")
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--only", default="", help="comma-separated subset of: " + ",".join(specs()))
    args = ap.parse_args()
    if not (args.tokenizer / "tokenizer.json").exists():
        raise SystemExit(f"no tokenizer.json in {args.tokenizer} (run real_weights.py first)")
    only = [s for s in args.only.split(",") if s]
    manifest_path = args.out / "MANIFEST.json"
    manifest = json.loads(manifest_path.read_text()) if manifest_path.exists() else {}
    ids = torch.tensor([[504, 2365, 6354, 16438, 27003, 690, 260, 23790, 2767, 30, 378, 1695, 314, 33, 41, 38, 41, 28]])

    for index, (name, (cfg, dtype, shard, keep_v5)) in enumerate(specs().items()):
        if only and name not in only:
            continue
        gen = torch.Generator().manual_seed(args.seed + index)
        model = AutoModelForCausalLM.from_config(cfg, dtype=torch.float32).eval()
        randomise(model, gen)
        if cfg.tie_word_embeddings:
            model.tie_weights()
        # round the weights to the saved dtype first, so that the fp32 model in memory is exactly
        # what is on disk (only parameters: casting the whole module would round rotary inv_freq too)
        with torch.no_grad():
            for p in model.parameters():
                p.copy_(p.to(dtype).to(torch.float32))
            ref_logits = model(ids).logits
        model = model.to(dtype)
        model.config.dtype = dtype
        out = args.out / name
        out.mkdir(parents=True, exist_ok=True)
        for old in list(out.glob("model*.safetensors")) + list(out.glob("*.index.json")):
            old.unlink()
        kwargs = {"max_shard_size": shard} if shard else {}
        model.save_pretrained(out, safe_serialization=True, **kwargs)
        if not keep_v5:
            legacy_config(out, str(dtype).removeprefix("torch."))
        copy_tokenizer(args.tokenizer, out)

        again = AutoModelForCausalLM.from_pretrained(out, dtype=torch.float32).eval()
        with torch.no_grad():
            a = ref_logits
            b = again(ids).logits
        diff = (a - b).abs().max().item()
        lp = torch.log_softmax(b[0].double(), -1)
        spread = (lp.max(-1).values - lp.mean(-1)).mean().item()
        shards = sorted(p.name for p in out.glob("model*.safetensors"))
        n_params = sum(p.numel() for p in again.parameters())
        print(f"{name}: {type(again).__name__} {str(dtype)} shards={len(shards)} params={n_params} "
              f"reload max|diff|={diff:.3g} mean(max-mean logprob)={spread:.2f}")
        if diff > 0:
            raise SystemExit(f"{name}: reloaded model differs ({diff})")
        manifest[name] = {
            "architecture": type(again).__name__,
            "dtype": str(dtype).removeprefix("torch."),
            "shards": len(shards),
            "files": shards + (["model.safetensors.index.json"] if (out / "model.safetensors.index.json").exists() else []),
            "config_layout": "transformers-5 (rope_parameters)" if keep_v5 else "transformers-4 (rope_theta/rope_scaling)",
            "params": n_params,
            "seed": args.seed + index,
            "config": summary(again.config),
        }
    manifest_path.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    print(f"wrote {manifest_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
