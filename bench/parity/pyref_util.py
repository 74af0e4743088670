"""Helpers shared by the reference-side scripts (real_weights.py, make_arch_models.py, ...).

transformers 5 writes files in its own newer layout (`rope_parameters` in config.json, the chat
template in chat_template.jinja, `tokenizer_class: TokenizersBackend`). Most folders users bring
from the hub were written by transformers 4, so by default we rewrite ours in that layout
(`rope_theta` / `rope_scaling`, `torch_dtype`, the chat template inside tokenizer_config.json,
special_tokens_map.json), and check that transformers 5 still loads them to the same model.
"""
import json
import os
import shutil
from pathlib import Path

REF_DIR = Path(os.environ.get("YARDSTICK_REF_DIR", Path(__file__).resolve().parents[2].parent / "ref"))
TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json")


def legacy_config(folder: Path, dtype_name: str | None = None) -> dict:
    """Rewrite folder/config.json in transformers-4 layout; return the new dict."""
    path = Path(folder) / "config.json"
    cfg = json.loads(path.read_text())
    cfg.pop("_model_name_or_path", None)
    rope = cfg.pop("rope_parameters", None)
    if rope:
        rope = dict(rope)
        if "rope_theta" in rope:
            cfg["rope_theta"] = rope.pop("rope_theta")
        if rope.get("rope_type", "default") != "default":
            cfg["rope_scaling"] = rope
        else:
            cfg["rope_scaling"] = None
    dt = dtype_name or cfg.get("dtype") or cfg.get("torch_dtype")
    cfg.pop("dtype", None)
    if dt:
        cfg["torch_dtype"] = dt
    path.write_text(json.dumps(cfg, indent=2, sort_keys=True) + "\n")
    return cfg


def legacy_tokenizer_files(folder: Path, tokenizer_class: str, extra: dict | None = None) -> dict:
    """Make tokenizer_config.json hold the chat template, added_tokens_decoder and the special
    tokens (as transformers 4 wrote it), and write special_tokens_map.json."""
    folder = Path(folder)
    tj = json.loads((folder / "tokenizer.json").read_text())
    cfg = json.loads((folder / "tokenizer_config.json").read_text())
    jinja = folder / "chat_template.jinja"
    if jinja.exists():
        cfg["chat_template"] = jinja.read_text()
        jinja.unlink()
    for key in ("backend", "is_local", "local_files_only"):
        cfg.pop(key, None)
    cfg["tokenizer_class"] = tokenizer_class
    cfg["added_tokens_decoder"] = {
        str(t["id"]): {k: t[k] for k in ("content", "lstrip", "normalized", "rstrip", "single_word", "special")}
        for t in tj.get("added_tokens", [])
    }
    cfg.update(extra or {})
    (folder / "tokenizer_config.json").write_text(json.dumps(cfg, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    smap = {k: cfg[k] for k in ("bos_token", "eos_token", "unk_token", "pad_token") if cfg.get(k) is not None}
    if cfg.get("additional_special_tokens"):
        smap["additional_special_tokens"] = cfg["additional_special_tokens"]
    (folder / "special_tokens_map.json").write_text(json.dumps(smap, indent=2, ensure_ascii=False) + "\n")
    return cfg


def copy_tokenizer(src: Path, dst: Path) -> None:
    dst.mkdir(parents=True, exist_ok=True)
    for name in TOKENIZER_FILES + ("chat_template.jinja",):
        if (Path(src) / name).exists():
            shutil.copyfile(Path(src) / name, Path(dst) / name)
