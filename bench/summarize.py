#!/usr/bin/python3
"""Medians of bench/train-vs-pytorch.sh's RESULT lines: tokens/s of both, ratio, MFU, loads."""
import collections
import statistics
import sys


def read(path):
    """{(size, impl): [RESULT fields]} and {size: [1-minute loads]} of a train-vs-pytorch log."""
    runs = collections.defaultdict(list)
    loads = collections.defaultdict(list)
    for line in open(path):
        if line.startswith("# round"):
            parts = line.split()
            loads[parts[3]].append(float(parts[5]))
        if line.startswith("RESULT impl="):
            f = dict(kv.split("=", 1) for kv in line.split()[1:])
            runs[(f["size"], f["impl"])].append(f)
    return runs, loads


def med(rows, key):
    return statistics.median(float(r[key]) for r in rows) if rows else float("nan")


def table(runs, loads):
    print("| size | ours tokens/s | PyTorch tokens/s | ratio | ours ms/step | PyTorch ms/step"
          " | ours CPU ms/step | PyTorch CPU ms/step | model GFLOP/s | GEMM GFLOP/s | MFU"
          " | load (1 min) |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for size in sorted({s for s, _ in runs}, key=["tiny", "small", "large"].index):
        ours, peer = runs[(size, "djl")], runs[(size, "pytorch")]
        o, p = med(ours, "tokens_per_s"), med(peer, "tokens_per_s")
        print(f"| {size} | {o:.0f} | {p:.0f} | {o / p:.2f} | {med(ours, 'ms_per_step'):.0f}"
              f" | {med(peer, 'ms_per_step'):.0f} | {med(ours, 'cpu_ms_per_step'):.0f}"
              f" | {med(peer, 'cpu_ms_per_step'):.0f} | {med(ours, 'model_gflops'):.1f}"
              f" | {med(ours, 'gemm_gflops'):.1f} | {med(ours, 'mfu'):.2f}"
              f" | {min(loads[size]):.2f}-{max(loads[size]):.2f} |")
    rounds = max((len(v) for (_, impl), v in runs.items() if impl == "djl"), default=0)
    print(f"(medians over {rounds} alternating rounds each)")


if __name__ == "__main__":
    table(*read(sys.argv[1]))
