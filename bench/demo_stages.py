#!/usr/bin/python3
"""One tiny demo run's results table (from its report) and each stage's split (its result.json)."""
import glob
import json
import os
import sys

PARTS = [("prestarted", "process ran before"), ("jvmStart", "jvm"), ("setup", "setup"),
         ("engineLoad", "engine"), ("startLoad", "start"), ("dataOpen", "data"),
         ("validation", "validation"), ("ckpt", "ckpt"), ("retention", "retention"),
         ("other", "other")]


def main(run):
    report = sorted(glob.glob(f"{run}/report/*/report.md"))
    if report:
        lines = open(report[-1]).read().splitlines()
        start = next(i for i, l in enumerate(lines) if l.startswith("| method"))
        end = next(i for i in range(start, len(lines)) if not lines[i].startswith("|"))
        print("\n".join(lines[start:end]))
    print("| method, stage | total s | loop s | beyond the loop s | "
          + " | ".join(name for _, name in PARTS) + " | train loss | val loss |")
    print("|---" * (len(PARTS) + 6) + "|")
    beyond = {}
    for method in ["baseline", "gradstack", "midas"]:
        for path in sorted(glob.glob(f"{run}/store/runs/demo-tiny-{method}/local-*/stages/*/result.json")):
            r = json.load(open(path))
            t = r.get("timings", {})
            t["ckpt"] = sum(t.get(k, 0.0) for k in
                            ("periodicCheckpoints", "finalCheckpoint", "grownCheckpoint"))
            stage = os.path.basename(os.path.dirname(path)).removeprefix("stage-")
            total, loop = t.get("total", 0.0), t.get("training", 0.0)
            beyond[method] = beyond.get(method, 0.0) + total - loop
            print(f"| {method} {int(stage)} | {total:.2f} | {loop:.2f} | {total - loop:.2f} | "
                  + " | ".join(f"{t.get(k, 0.0):.2f}" for k, _ in PARTS)
                  + f" | {r.get('finalTrainLoss', 0):.6f} | {r.get('valLoss', 0):.6f} |")

    base = beyond.get("baseline", 0.0)
    print("beyond the training loops, all stages: "
          + ", ".join(f"{m} {b:.2f} s" + (f" ({b - base:+.2f} s)" if m != "baseline" else "")
                      for m, b in beyond.items()))


if __name__ == "__main__":
    main(sys.argv[1])
