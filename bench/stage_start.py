#!/usr/bin/python3
"""Summarises bench/stage-start.sh's log: each round's split of a fresh stage process and medians."""
import json
import statistics
import sys

PARTS = [("jvmStart", "jvm"), ("setup", "setup"), ("startLoad", "start"), ("dataOpen", "data"),
         ("engineLoad", "engine"), ("validation", "validation"), ("ckpt", "ckpt"),
         ("retention", "retention"), ("other", "other")]


def main(path):
    stages, libtorch = [], []
    for line in open(path):
        if line.startswith("RESULT stage "):
            r = json.loads(line[len("RESULT stage "):])
            t = r.get("timings", {})
            t["ckpt"] = sum(t.get(k, 0.0) for k in
                            ("periodicCheckpoints", "finalCheckpoint", "grownCheckpoint"))
            stages.append(t)
        elif line.startswith("RESULT libtorch "):
            libtorch.append(float(line.split()[2]))
        elif line.startswith("#"):
            print(line.rstrip())
    rows = []
    for i, t in enumerate(stages):
        beyond = t.get("total", 0.0) - t.get("training", 0.0)
        lib = libtorch[i] if i < len(libtorch) else float("nan")
        rows.append([t.get("total", 0.0), t.get("training", 0.0), beyond]
                    + [t.get(k, 0.0) for k, _ in PARTS]
                    + [lib, beyond - t.get("jvmStart", 0.0) - lib])
    head = (["round", "total s", "loop s", "beyond the loop s"] + [n for _, n in PARTS]
            + ["libtorch's own load s", "ours s"])
    print("| " + " | ".join(head) + " |")
    print("|---" * len(head) + "|")
    for i, row in enumerate(rows):
        print(f"| {i + 1} | " + " | ".join(f"{v:.2f}" for v in row) + " |")
    if rows:
        med = [statistics.median(col) for col in zip(*rows)]
        print("| median | " + " | ".join(f"{v:.2f}" for v in med) + " |")


if __name__ == "__main__":
    main(sys.argv[1])
