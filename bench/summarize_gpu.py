#!/usr/bin/env python3
"""Summary of bench/gpu.sh's log against issue targets: medians of our trainer and the PyTorch peer
per size (tokens/s, ratio, model TFLOP/s, MFU against the GEMM rate measured in the same run and
against the chip's bf16 dense peak), then staged MIDAS against the baseline."""
import collections
import statistics
import sys


def fields(line):
    return dict(kv.split("=", 1) for kv in line.split()[1:] if "=" in kv)


def med(rows, key):
    vals = [float(r[key]) for r in rows if key in r]
    return statistics.median(vals) if vals else float("nan")


def main(path):
    runs = collections.defaultdict(list)
    staged = []
    overhead = []
    for line in open(path):
        if line.startswith("RESULT impl="):
            f = fields(line)
            runs[(f["size"], f["impl"])].append(f)
        elif line.startswith("RESULT step_overhead") or line.startswith("RESULT step_fit"):
            overhead.append(line.strip()[len("RESULT "):])
        elif line.startswith("RESULT midas_speedup"):
            staged.append(fields(line))
    print("| size | ours tokens/s | PyTorch tokens/s | ratio (target >= 1.0) | ours ms/step"
          " | PyTorch ms/step | ours TFLOP/s | ours MFU vs GEMM | ours MFU vs peak"
          " | PyTorch MFU vs peak | bf16 GEMM TFLOP/s |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for size in sorted({s for s, _ in runs}):
        o, p = runs[(size, "djl")], runs[(size, "pytorch")]
        ratio = med(o, "tokens_per_s") / med(p, "tokens_per_s") if o and p else float("nan")
        print(f"| {size} | {med(o, 'tokens_per_s'):.0f} | {med(p, 'tokens_per_s'):.0f}"
              f" | **{ratio:.2f}** | {med(o, 'ms_per_step'):.1f} | {med(p, 'ms_per_step'):.1f}"
              f" | {med(o, 'model_gflops') / 1e3:.1f} | {med(o, 'mfu'):.3f}"
              f" | **{med(o, 'mfu_peak'):.3f}** | {med(p, 'mfu_peak'):.3f}"
              f" | {med(o, 'gemm_gflops') / 1e3:.1f} |")
    rounds = max((len(v) for v in runs.values()), default=0)
    print(f"(medians over {rounds} alternating rounds; MFU target >= 0.35 of peak on gpt2)")
    if overhead:
        print("\nstep cost beyond FLOPs (flop_rate_vs_deepest of 2 layers: target >= 0.8):")
        for o in overhead:
            print(f"- {o}")
    for s in staged:
        base, mid = float(s["baseline_val_loss"]), float(s["midas_val_loss"])
        print(f"\nstaged MIDAS, {s['steps']} steps, {s['stages']} stages, {s['precision']}:"
              f" baseline {s['baseline_s']} s, MIDAS {s['midas_s']} s, speedup {s['measured']}x"
              f" against {s['theoretical']}x theoretical = **{s['measured_over_theoretical']}**"
              f" (target >= 0.9); validation loss {base:.4f} / {mid:.4f}"
              f" ({(mid - base) / base * 100:+.2f}%, target within 1%);"
              f" training loops alone {s['training_only']}x;"
              f" outside the loops per stage {s['other_per_stage_s']} s")


if __name__ == "__main__":
    main(sys.argv[1])
