#!/usr/bin/env python3
"""minyi against ONNX Runtime int8 and fp32 on the same weights and texts, alternately in one run.

Each round embeds short.txt and long.txt (from write_texts.py) with each runtime in turn: batches
of 32 with the `passage: ` prefix, tokenising included, after one untimed warm-up batch, as
`minyi bench embed` does. minyi runs as the `embed_speed --serve` example (kept loaded between
rounds); ORT in this process with as many intra-op threads (`--threads`, default 2; minyi gets
the same through RAYON_NUM_THREADS). Prints the CPU model and flags, the load average before and
after, the median sentences/s, minyi's ratio to each peer (of the medians, and the range of the
ratios within a round, where both ran minutes apart at most), and the cosine of each runtime's vectors with ORT fp32's
(the f32 reference: the dequantised weights in f32), plus how far ORT int8's vectors move when the
same texts are batched differently.

Usage:
  peer_bench.py --minyi target/release/examples/embed_speed --model models/cache/e5-small-q4.bin \
      --folder /tmp/e5-folder --onnx /tmp/e5-onnx --texts /tmp/embed-texts [--rounds 3] \
      [--threads 2] [--time minyi,ort-int8,ort-fp32] [--minyi-before OTHER_EMBED_SPEED]
`--time` picks the runtimes timed (ORT fp32 is always loaded: its vectors are the reference).
`--minyi-before` adds another build of the example (say, of the main branch) as the runtime
`minyi-before`, timed in the same rounds: on a shared machine, runs minutes apart differ by more
than most changes, so a change is judged by the per-round ratio of the two builds.
Needs: pip install onnxruntime onnx numpy safetensors tokenizers
"""

import argparse
import os
import platform
import subprocess
import tempfile
import time

import numpy as np
import onnxruntime as ort
from tokenizers import Tokenizer

BATCH = 32
PREFIX = "passage: "


def cpu():
    info = open("/proc/cpuinfo").read().splitlines()
    name = next((l.split(":", 1)[1].strip() for l in info if l.startswith("model name")), "?")
    flags = next((l.split(":", 1)[1].split() for l in info if l.startswith("flags")), [])
    wanted = ["avx2", "fma", "avx512f", "avx512bw", "avx512_vnni", "avx_vnni", "amx_tile", "amx_int8"]
    return name, [f for f in wanted if f in flags]


class OrtPeer:
    def __init__(self, path, tokenizer, threads):
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        self.session = ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])
        self.tokenizer = tokenizer

    def embed(self, texts):
        encoded = self.tokenizer.encode_batch([PREFIX + t for t in texts])
        ids = np.array([e.ids for e in encoded], dtype=np.int32)
        mask = np.array([e.attention_mask for e in encoded], dtype=np.int32)
        (hidden,) = self.session.run(None, {"input_ids": ids, "attention_mask": mask})
        pooled = (hidden * mask[:, :, None]).sum(1) / mask.sum(1, keepdims=True)
        return pooled / np.linalg.norm(pooled, axis=1, keepdims=True)

    def vectors(self, texts, batch=BATCH):
        return np.concatenate([self.embed(texts[i : i + batch]) for i in range(0, len(texts), batch)])

    def speed(self, texts):
        self.embed(texts[:BATCH])
        started = time.perf_counter()
        self.vectors(texts)
        return len(texts) / (time.perf_counter() - started)


class MinyiPeer:
    def __init__(self, binary, model, texts_dir, threads):
        self.process = subprocess.Popen(
            [binary, model, texts_dir, "--serve"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            text=True, env={**os.environ, "RAYON_NUM_THREADS": str(threads)})
        self.arithmetic = self.process.stdout.readline().split()[-1]

    def ask(self, line):
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        return self.process.stdout.readline().strip()

    def speed(self, name):
        return float(self.ask(name))

    def vectors(self, name):
        with tempfile.NamedTemporaryFile(suffix=".f32") as f:
            assert self.ask(f"vectors {name} {f.name}") == "ok"
            return np.fromfile(f.name, dtype="<f4").reshape(-1, 384)


def main():
    parser = argparse.ArgumentParser()
    for arg in ["--minyi", "--model", "--folder", "--onnx", "--texts"]:
        parser.add_argument(arg, required=True)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--time", default="minyi,ort-int8,ort-fp32")
    parser.add_argument("--minyi-before")
    args = parser.parse_args()
    if args.minyi_before and "minyi-before" not in args.time.split(","):
        args.time += ",minyi-before"
    name, flags = cpu()
    print(f"cpu: {name}; flags: {' '.join(flags)}; {os.cpu_count()} cores; "
          f"onnxruntime {ort.__version__}; python {platform.python_version()}; "
          f"{args.threads} threads each; load average {os.getloadavg()[0]:.1f} at the start")
    tokenizer = Tokenizer.from_file(os.path.join(args.folder, "tokenizer.json"))
    tokenizer.enable_padding(pad_id=1, pad_token="<pad>")
    tokenizer.enable_truncation(512)
    peers = {
        "minyi": MinyiPeer(args.minyi, args.model, args.texts, args.threads),
        **({"minyi-before": MinyiPeer(args.minyi_before, args.model, args.texts, args.threads)}
           if args.minyi_before else {}),
        "ort-int8": OrtPeer(os.path.join(args.onnx, "e5-int8.onnx"), tokenizer, args.threads),
        "ort-fp32": OrtPeer(os.path.join(args.onnx, "e5-fp32.onnx"), tokenizer, args.threads),
    }
    timed = [p for p in peers if p in args.time.split(",")]
    print(f"minyi arithmetic: {peers['minyi'].arithmetic}")
    files = {}
    for file in ["short", "long"]:
        with open(os.path.join(args.texts, f"{file}.txt"), encoding="utf-8") as f:
            files[file] = [line.rstrip("\n") for line in f if line.strip()]
    speeds = {(p, f): [] for p in timed for f in files}
    for _ in range(args.rounds):
        for file, texts in files.items():
            for peer_name in timed:
                peer = peers[peer_name]
                speed = peer.speed(file) if isinstance(peer, MinyiPeer) else peer.speed(texts)
                speeds[peer_name, file].append(speed)
    print(f"load average {os.getloadavg()[0]:.1f} at the end of the timing")
    print("\n| runtime | short sent/s | long sent/s | cosine vs ORT fp32 (min) |")
    print("| --- | ---: | ---: | ---: |")
    median = {k: float(np.median(v)) for k, v in speeds.items()}
    reference = {f: peers["ort-fp32"].vectors(t) for f, t in files.items()}
    for peer_name, peer in peers.items():
        cos = min(
            float(((peer.vectors(f) if isinstance(peer, MinyiPeer) else peer.vectors(t)) * reference[f])
                  .sum(1).min())
            for f, t in files.items())
        timing = [f"{median[peer_name, f]:.1f}" if peer_name in timed else "—" for f in files]
        print(f"| {peer_name} | {' | '.join(timing)} | {cos:.5f} |")
    for peer_name in [p for p in timed if p != "minyi" and "minyi" in timed]:
        ratios = " / ".join(f"{median['minyi', f] / median[peer_name, f]:.2f}×" for f in files)
        ranges = " / ".join(
            "{:.2f}–{:.2f}×".format(min(r), max(r))
            for r in ([m / o for m, o in zip(speeds["minyi", f], speeds[peer_name, f])]
                      for f in files))
        print(f"minyi vs {peer_name} (short / long): {ratios} of the medians; "
              f"per round {ranges}")
    runs = {k: " ".join(f"{s:.1f}" for s in v) for k, v in speeds.items()}
    print(f"runs: {runs}")
    int8 = peers["ort-int8"]
    drift = min(float((int8.vectors(t, 32) * int8.vectors(t, 7)).sum(1).min()) for t in files.values())
    print(f"ort-int8, same texts in batches of 32 vs 7: min cosine {drift:.5f}")


if __name__ == "__main__":
    main()
