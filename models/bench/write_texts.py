#!/usr/bin/env python3
"""Write the timed texts of `minyi bench embed` (short.txt ≈ 48 tokens, long.txt ≈ 210) without
building the server: the same TipDM files, normalisation and selection as
`server/src/bench/embed.rs::speed_table` (full-width alphanumerics folded, zero-width characters
dropped, whitespace runs collapsed; texts of at least 60 / 280 characters, cut there; the warm-up
batch of 32 skipped, the next 96 written).

Usage: write_texts.py DATASETS_DIR OUT_DIR
"""

import json
import os
import sys

FILES = [
    "tipdm2020c_msgs_with_votes.jsonl",
    "tipdm2020c_msgs_with_replies.jsonl",
    "tipdm2020c_msgs_testset_unlabeled.jsonl",
]
BATCH, BATCHES = 32, 3
ZERO_WIDTH = {"\u200b", "\u200c", "\u200d", "\ufeff"}


def fold_width(c):
    if c == "\u3000":
        return " "
    if "０" <= c <= "９" or "Ａ" <= c <= "Ｚ" or "ａ" <= c <= "ｚ":
        return chr(ord(c) - 0xFEE0)
    return c


def normalize(text):
    """corpus/src/normalize.rs's `normalize`, then the bench's trim and newline replacement."""
    out, pending = [], None
    for c in map(fold_width, text):
        if c in ZERO_WIDTH:
            continue
        if c.isspace():
            if out:
                pending = "\n" if pending == "\n" or c in "\n\r" else " "
            continue
        if pending is not None:
            out.append(pending)
            pending = None
        out.append(c)
    return "".join(out).strip().replace("\n", " ")


def main():
    datasets, out_dir = sys.argv[1], sys.argv[2]
    contents = []
    for name in FILES:
        path = os.path.join(datasets, name)
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                contents += [json.loads(line).get("content", "") for line in f if line.strip()]
    os.makedirs(out_dir, exist_ok=True)
    for name, chars in [("short", 60), ("long", 280)]:
        texts = [t[:chars] for t in map(normalize, contents) if len(t) >= chars]
        timed = texts[BATCH : BATCH * (BATCHES + 1)]
        with open(os.path.join(out_dir, f"{name}.txt"), "w", encoding="utf-8") as f:
            f.write("\n".join(timed) + "\n")
        print(f"{name}.txt: {len(timed)} texts of {chars} characters")


if __name__ == "__main__":
    main()
