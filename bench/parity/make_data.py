#!/usr/bin/env python3
"""Writes local documents for every seed-suite task, in the Hugging Face schema, as
OUT/<dataset_path>/<dataset_name>/<split>.jsonl -- the layout `yardstick run --data-dir OUT` reads and
the files the lm-eval task copies (make_tasks.py) point at.

Real data comes from ../shared/data (beside the checkout) (original release files, read-only); MNLI and QQP are not
there, so documents in their schema stand in for them: real sentence pairs from RTE (MNLI: premise, hypothesis)
and MRPC (QQP: question1, question2), taken from the end of those files so they are not the rte / mrpc
documents, after a few hand-written ones. Only the first --limit documents of each evaluation split are
written, so neither tool needs --limit.

Usage: python3 make_data.py --out /tmp/parity/data [--limit 20] [--shared ../shared/data]
"""
import argparse
import csv
import json
import os
from pathlib import Path
import sys

MATH_SUBJECTS = {
    "Algebra": "algebra",
    "Counting & Probability": "counting_and_probability",
    "Geometry": "geometry",
    "Intermediate Algebra": "intermediate_algebra",
    "Number Theory": "number_theory",
    "Prealgebra": "prealgebra",
    "Precalculus": "precalculus",
}

# Hand-written stand-ins (the shared data has no MNLI / QQP dev files). Labels: MNLI 0 entailment,
# 1 neutral, 2 contradiction; QQP 1 duplicate.
MNLI_DOCS = [
    ("A man is playing a guitar on stage.", "A man is performing music.", 0),
    ("The cat is sleeping on the sofa.", "The cat is running in the garden.", 2),
    ("She bought three apples at the market.", "She likes fruit.", 1),
    ("The train leaves at noon every day.", "There is a daily train at twelve.", 0),
    ("Two children are building a sandcastle.", "The children are at the beach.", 1),
    ("The museum is closed on Mondays.", "The museum is open every day of the week.", 2),
    ("He finished the marathon in four hours.", "He ran a long race.", 0),
    ("The soup was too salty to eat.", "The soup tasted perfect.", 2),
]
QQP_DOCS = [
    ("How do I learn Python quickly?", "What is the fastest way to learn Python?", 1),
    ("What is the capital of France?", "How tall is the Eiffel Tower?", 0),
    ("Why is the sky blue?", "What makes the sky look blue?", 1),
    ("How can I lose weight fast?", "What are good books about history?", 0),
    ("What is the best phone in 2020?", "Which smartphone was best in 2020?", 1),
    ("How do airplanes fly?", "How do I cook rice?", 0),
    ("Is coffee bad for health?", "Does drinking coffee harm your health?", 1),
    ("Where can I watch free movies?", "What is machine learning?", 0),
]


def write_jsonl(out, path, name, split, docs):
    folder = os.path.join(out, *path.split("/"), name)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, f"{split}.jsonl"), "w", encoding="utf-8") as f:
        for d in docs:
            f.write(json.dumps(d, ensure_ascii=False) + "\n")


def read_tsv(path, header=True):
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    return rows[1:] if header else rows


def glue(shared, out, limit):
    g = os.path.join(shared, "glue")
    nli = {"entailment": 0, "not_entailment": 1}
    tasks = {}
    tasks["cola"] = [{"sentence": r[3], "label": int(r[1]), "idx": i} for i, r in enumerate(read_tsv(os.path.join(g, "cola/dev.tsv"), header=False))]
    tasks["sst2"] = [{"sentence": r[0], "label": int(r[1]), "idx": i} for i, r in enumerate(read_tsv(os.path.join(g, "sst2/dev.tsv")))]
    tasks["mrpc"] = [{"sentence1": r[3], "sentence2": r[4], "label": int(r[0]), "idx": i} for i, r in enumerate(read_tsv(os.path.join(g, "mrpc/dev.tsv")))]
    tasks["qnli"] = [{"question": r[1], "sentence": r[2], "label": nli[r[3]], "idx": i} for i, r in enumerate(read_tsv(os.path.join(g, "qnli/dev.tsv")))]
    tasks["rte"] = [{"sentence1": r[1], "sentence2": r[2], "label": nli[r[3]], "idx": i} for i, r in enumerate(read_tsv(os.path.join(g, "rte/dev.tsv")))]
    tasks["wnli"] = [{"sentence1": r[1], "sentence2": r[2], "label": int(r[3]), "idx": i} for i, r in enumerate(read_tsv(os.path.join(g, "wnli/dev.tsv")))]
    # stand-ins: the hand-written pairs, then real pairs from the end of RTE / MRPC in MNLI / QQP's schema (an RTE
    # "not entailment" becomes neutral or contradiction in turn; an MRPC paraphrase is a duplicate)
    rte_tail, mrpc_tail = tasks["rte"][::-1], tasks["mrpc"][::-1]
    qqp = QQP_DOCS + [(d["sentence1"], d["sentence2"], d["label"]) for d in mrpc_tail]
    tasks["qqp"] = [{"question1": a, "question2": b, "label": l, "idx": i} for i, (a, b, l) in enumerate(qqp)]
    pairs = [(d["sentence1"], d["sentence2"], 0 if d["label"] == 0 else 1 + i % 2) for i, d in enumerate(rte_tail)]
    matched, mismatched = MNLI_DOCS[:4] + pairs[0::2], MNLI_DOCS[4:] + pairs[1::2]
    mnli = lambda docs: [{"premise": a, "hypothesis": b, "label": l, "idx": i} for i, (a, b, l) in enumerate(docs)]  # noqa: E731
    for name, docs in tasks.items():
        write_jsonl(out, "nyu-mll/glue", name, "validation", docs[:limit])
        write_jsonl(out, "nyu-mll/glue", name, "train", docs[:limit])  # few-shot pool; unused zero-shot
    write_jsonl(out, "nyu-mll/glue", "mnli", "validation_matched", mnli(matched)[:limit])
    write_jsonl(out, "nyu-mll/glue", "mnli", "validation_mismatched", mnli(mismatched)[:limit])
    write_jsonl(out, "nyu-mll/glue", "mnli", "train", mnli(MNLI_DOCS))


def lambada(shared, out, limit):
    with open(os.path.join(shared, "lambada_openai/test.jsonl"), encoding="utf-8") as f:
        docs = [json.loads(line) for line in f if line.strip()]
    write_jsonl(out, "EleutherAI/lambada_openai", "default", "test", [{"text": d["text"]} for d in docs[:limit]])


def winogrande(shared, out, limit):
    with open(os.path.join(shared, "winogrande/dev.jsonl"), encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    docs = [{"sentence": r["sentence"], "option1": r["option1"], "option2": r["option2"], "answer": r["answer"]} for r in rows]
    write_jsonl(out, "allenai/winogrande", "winogrande_xl", "validation", docs[:limit])
    write_jsonl(out, "allenai/winogrande", "winogrande_xl", "train", docs[:limit])


def mmlu(shared, out, limit):
    m = os.path.join(shared, "mmlu")
    subjects = sorted(f[: -len("_test.csv")] for f in os.listdir(os.path.join(m, "test")) if f.endswith("_test.csv"))
    for subject in subjects:
        for split, folder, n in (("test", "test", limit), ("dev", "dev", None)):
            with open(os.path.join(m, folder, f"{subject}_{folder}.csv"), encoding="utf-8", newline="") as f:
                rows = list(csv.reader(f))
            docs = [{"question": r[0], "subject": subject, "choices": r[1:5], "answer": "ABCD".index(r[5])} for r in rows]
            write_jsonl(out, "cais/mmlu", subject, split, docs[:n] if n else docs)
    return subjects


def math(shared, out, limit):
    by_subject = {v: [] for v in MATH_SUBJECTS.values()}
    with open(os.path.join(shared, "hendrycks_math/test.jsonl"), encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            d = json.loads(line)
            by_subject[MATH_SUBJECTS[d["type"]]].append({"problem": d["problem"], "level": d["level"], "type": d["type"], "solution": d["solution"]})
    for name, docs in by_subject.items():
        write_jsonl(out, "EleutherAI/hendrycks_math", name, "test", docs[:limit])
        write_jsonl(out, "EleutherAI/hendrycks_math", name, "train", docs[:limit])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--limit", type=int, default=20, help="documents per evaluation split")
    ap.add_argument("--math-limit", type=int, default=None, help="documents per MATH subject (generation is slow); default --limit")
    ap.add_argument("--shared", default=str(Path(__file__).resolve().parents[2].parent / "shared" / "data"))
    a = ap.parse_args()
    if not os.path.isdir(a.shared):
        sys.exit(f"make_data.py: {a.shared} not found (the shared evaluation data)")
    glue(a.shared, a.out, a.limit)
    lambada(a.shared, a.out, a.limit)
    winogrande(a.shared, a.out, a.limit)
    subjects = mmlu(a.shared, a.out, a.limit)
    math(a.shared, a.out, a.math_limit or a.limit)
    print(f"wrote documents to {a.out}: glue (9 tasks), lambada_openai, winogrande, mmlu ({len(subjects)} subjects), hendrycks_math (7 subjects); limit {a.limit}")


if __name__ == "__main__":
    main()
