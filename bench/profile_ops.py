#!/usr/bin/python3
"""Sums an engine operator profile (the Chrome trace `TrainBench --profile` or `StepOverheadBench
--profile` writes) per operator: each operator's self time (its time less that of the operators it
called) and calls per step, the host's operator time per step, and trace events per step. On a
GPU the trace holds the host side (dispatch and launches): host time per step near the step's wall
time means the step waits on the host, not on the chip.
  bench/profile_ops.py TRACE STEPS [TOP]
"""
import collections
import json
import sys


def main(path, steps, top):
    try:
        with open(path) as f:
            trace = json.load(f)
    except (OSError, ValueError) as e:
        sys.exit(f"{path}: not a readable Chrome trace ({e}); was the profiled run cut short?")
    events = trace["traceEvents"] if isinstance(trace, dict) else trace
    by_thread = collections.defaultdict(list)
    for e in events:
        if e.get("ph") == "X" and "dur" in e:
            by_thread[(e.get("pid"), e.get("tid"))].append(e)
    own = collections.Counter()
    calls = collections.Counter()
    for thread in by_thread.values():
        thread.sort(key=lambda e: (e["ts"], -e["dur"]))
        stack = []
        children = collections.Counter()
        for i, e in enumerate(thread):
            while stack and thread[stack[-1]]["ts"] + thread[stack[-1]]["dur"] <= e["ts"]:
                stack.pop()
            if stack:
                children[stack[-1]] += e["dur"]
            stack.append(i)
        for i, e in enumerate(thread):
            own[e["name"]] += e["dur"] - children[i]
            calls[e["name"]] += 1
    total = sum(own.values())
    print(f"# {path}: {steps} steps, operator time {total / 1e3 / steps:.2f} ms a step (self times"
          f" summed over threads), {sum(calls.values()) / steps:.0f} trace events a step")
    print("| operator | self ms a step | share | calls a step |")
    print("|---|---:|---:|---:|")
    for name, t in own.most_common(top):
        print(f"| {name[:80]} | {t / 1e3 / steps:.2f} | {t / total:.1%} | {calls[name] / steps:.0f} |")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 15)
