#!/usr/bin/env python3
"""Copies the installed lm-eval's own YAML files for every seed-suite task (and the Python helpers
their `!function` tags name) into an --include_path folder, changing only where the data comes from:
`dataset_path: json` with `dataset_kwargs.data_files` pointing at the local files of make_data.py.
Task names stay the same, so the include path overrides lm-eval's built-in definitions; prompts,
metrics and versions are lm-eval's own.

Run with the lm-eval virtual environment's python (it locates the installed package):
  $LMEVAL_VENV/bin/python make_tasks.py --data /tmp/parity/data --out /tmp/parity/lm-eval-tasks
"""
import argparse
import os
import re
import shutil

import lm_eval

# family folder in lm_eval/tasks → (HF dataset path, splits present locally per dataset_name)
FAMILIES = {
    "glue": ("nyu-mll/glue", None),
    "lambada": ("EleutherAI/lambada_openai", None),
    "winogrande": ("allenai/winogrande", None),
    "hendrycks_math": ("EleutherAI/hendrycks_math", None),
    "mmlu/default": ("cais/mmlu", None),
}
# which files to copy per family (None = every file)
WANTED = {
    "lambada": {"lambada_openai.yaml"},
    "hendrycks_math": lambda f: f != "hendrycks_math500.yaml",
}

NAME_RE = re.compile(r'^"?dataset_name"?:\s*"?([^"\n]*)"?\s*$', re.M)
PATH_RE = re.compile(r'^"?dataset_path"?:.*$', re.M)


class MissingData(Exception):
    pass


def data_files(data_dir, dataset, name):
    folder = os.path.join(data_dir, *dataset.split("/"), name)
    if not os.path.isdir(folder):
        raise MissingData(f"no local data for {dataset} {name} in {folder}")
    files = sorted(f for f in os.listdir(folder) if f.endswith(".jsonl"))
    return {f[: -len(".jsonl")]: os.path.join(folder, f) for f in files}


def local_block(files):
    lines = ["dataset_path: json", "dataset_name: null", "dataset_kwargs:", "  data_files:"]
    lines += [f"    {split}: {path}" for split, path in files.items()]
    return "\n".join(lines) + "\n"


def rewrite(text, dataset, data_dir):
    m = NAME_RE.search(text)
    if m:
        files = data_files(data_dir, dataset, m.group(1).strip())
        text = NAME_RE.sub("", text)
        text = PATH_RE.sub("", text)
        return text.rstrip("\n") + "\n" + local_block(files)
    # a template that names only the path (mmlu's _default_template_yaml): the subject files add the rest
    return PATH_RE.sub("dataset_path: json", text)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--skip-missing", action="store_true", help="leave out tasks without local data (default: fail)")
    a = ap.parse_args()
    tasks_root = os.path.join(os.path.dirname(lm_eval.__file__), "tasks")
    data_dir = os.path.abspath(a.data)
    shutil.rmtree(a.out, ignore_errors=True)
    count = 0
    for family, (dataset, _) in FAMILIES.items():
        src = os.path.join(tasks_root, family)
        for dirpath, _dirs, files in os.walk(src):
            if "__pycache__" in dirpath:
                continue
            rel = os.path.relpath(dirpath, tasks_root)
            dst = os.path.join(a.out, rel)
            for f in sorted(files):
                wanted = WANTED.get(family)
                if wanted is not None and not (wanted(f) if callable(wanted) else f in wanted):
                    continue
                if f.endswith(".py"):
                    os.makedirs(dst, exist_ok=True)
                    shutil.copy(os.path.join(dirpath, f), os.path.join(dst, f))
                elif f.endswith(".yaml") or f.endswith("_yaml"):
                    os.makedirs(dst, exist_ok=True)
                    with open(os.path.join(dirpath, f), encoding="utf-8") as fh:
                        text = fh.read()
                    try:
                        text = rewrite(text, dataset, data_dir)
                    except MissingData as e:
                        if not a.skip_missing:
                            raise SystemExit(f"make_tasks.py: {e}; run make_data.py first (or pass --skip-missing)")
                        continue
                    with open(os.path.join(dst, f), "w", encoding="utf-8") as fh:
                        fh.write(text)
                    count += 1
    print(f"wrote {count} lm-eval task files to {a.out} (lm-eval {lm_eval.__version__ if hasattr(lm_eval, '__version__') else '?'}, data from {data_dir})")


if __name__ == "__main__":
    main()
