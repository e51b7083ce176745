#!/usr/bin/python3
"""bench/all.sh's figures against issue 5's targets, one line each.

Usage: summarize_all.py train-vs-pytorch.log all-results.log
"""
import sys

from summarize import med, read, table


def results(path, kind):
    """The key=value fields of every 'RESULT <kind> ...' line of a log."""
    rows = []
    for line in open(path):
        parts = line.split()
        if len(parts) > 1 and parts[0] == "RESULT" and parts[1] == kind:
            rows.append(dict(kv.split("=", 1) for kv in parts[2:]))
    return rows


def check(ok):
    return "meets" if ok else "MISSES"


def main(peer_log, all_log):
    runs, loads = read(peer_log)
    table(runs, loads)
    print()
    print("| figure | measured | target | |")
    print("|---|---|---|---|")
    for size in ("small", "large"):
        ours, peer = runs[(size, "djl")], runs[(size, "pytorch")]
        if ours and peer:
            ratio = med(ours, "tokens_per_s") / med(peer, "tokens_per_s")
            print(f"| ours / PyTorch tokens/s, {size} | {ratio:.2f} | >= 1.0 | {check(ratio >= 1)} |")
    if runs[("large", "djl")]:
        mfu = med(runs[("large", "djl")], "mfu")
        print(f"| MFU against measured fp32 GEMM, large | {mfu:.2f} | >= 0.50 | {check(mfu >= .5)} |")
    for r in results(all_log, "loader"):
        worst = min(float(r["open_ratio"]), float(r["prefetch_ratio"]))
        print(f"| loader ({r.get('store', 'file')}, {r['size']}) / trainer tokens/s: open"
              f" {float(r['open_ratio']):.0f}x, prefetch {float(r['prefetch_ratio']):.0f}x"
              f" | {worst:.0f}x | >= 10x | {check(worst >= 10)} |")
    for r in results(all_log, "midas_speedup"):
        m = float(r["measured_over_theoretical"])
        print(f"| MIDAS speedup {r['measured']} measured vs {r['theoretical']} theoretical"
              f" ({r['steps']} steps; val loss baseline {r['baseline_val_loss']},"
              f" MIDAS {r['midas_val_loss']}; outside training loops baseline"
              f" {r.get('baseline_other_s', '?')} s, MIDAS {r.get('midas_other_s', '?')} s;"
              f" training loops alone {r.get('training_only', '?')})"
              f" | {m:.3f} | >= 0.95 | {check(m >= .95)} |")
    for r in results(all_log, "memory"):
        steps = int(r["steps"])
        peak = float(r["peak_rss_mb"])
        # Bounded: RSS at the end is within 2% of peak of RSS at 20% of the run. The fitted slope is
        # printed too; checkpoint writes make transient peaks that tilt it on short runs.
        net = float(r["rss_at_end_mb"]) - float(r["rss_at_20pct_mb"])
        ok = steps >= 2000 and net < 0.02 * peak
        print(f"| stage RSS over {steps} steps: peak {peak:.0f} MB, at 20% {float(r['rss_at_20pct_mb']):.0f} MB,"
              f" at the end {float(r['rss_at_end_mb']):.0f} MB, fitted slope"
              f" {float(r['slope_kb_per_1000_steps']):.0f} KB/1000 steps | {net:+.1f} MB from 20% to"
              f" the end | >= 2000 steps, < 2% of peak | {check(ok)} |")

if __name__ == "__main__":
    main(*sys.argv[1:3])
