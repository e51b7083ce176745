#!/usr/bin/python3
"""Two demo reports' tables side by side, for RESULTS.md: the methods table (each column's before
and after value in one cell) and the final checkpoint's reasoning primitives (each method before,
then each method after), rows matched by their key columns. Reports of older builds name their
columns differently: a column only one side has is shown with '-' on the other.

Usage: side_by_side.py BEFORE/report.md AFTER/report.md
"""
import re
import sys

SECTIONS = {"methods": "## Results", "primitives": "## Reasoning primitives (final checkpoint)"}


def table(path, heading):
    """(header, rows) of the first markdown table under a heading of a report."""
    lines = open(path, encoding="utf-8").read().splitlines()
    try:
        start = next(i for i, l in enumerate(lines) if l.strip() == heading)
    except StopIteration:
        sys.exit(f"{path}: no '{heading}' section")
    rows = []
    for line in lines[start + 1:]:
        if line.startswith("|"):
            rows.append([c.strip() for c in line.strip().strip("|").split("|")])
        elif rows:
            break
    if len(rows) < 2:
        sys.exit(f"{path}: no table under '{heading}'")
    return rows[0], [r for r in rows[2:]]


def short(cell):
    """An accuracy cell without its interval: '0.083 (n=12, shots 0.0)' stays readable side by side."""
    return re.sub(r" \[[0-9.]+, [0-9.]+\]", "", cell)


def methods(before, after):
    (hb, rb), (ha, ra) = before, after
    columns = [c for c in ha if c != "method"] + [c for c in hb if c != "method" and c not in ha]
    by_b = {r[0]: dict(zip(hb, r)) for r in rb}
    by_a = {r[0]: dict(zip(ha, r)) for r in ra}
    names = [r[0] for r in ra] + [r[0] for r in rb if r[0] not in by_a]
    out = ["| method | " + " | ".join(f"{c} (before / after)" for c in columns) + " |",
           "| --- |" + " ---: |" * len(columns)]
    for n in names:
        b, a = by_b.get(n, {}), by_a.get(n, {})
        out.append(f"| {n} | " + " | ".join(f"{b.get(c, '-')} / {a.get(c, '-')}" for c in columns) + " |")
    return out


def primitives(before, after):
    (hb, rb), (ha, ra) = before, after
    mb, ma = hb[2:], ha[2:]
    by_b = {(r[0], r[1]): r[2:] for r in rb}
    by_a = {(r[0], r[1]): r[2:] for r in ra}
    keys = [(r[0], r[1]) for r in ra] + [(r[0], r[1]) for r in rb if (r[0], r[1]) not in by_a]
    out = ["| task | protocol | " + " | ".join([f"before {m}" for m in mb] + [f"after {m}" for m in ma]) + " |",
           "| --- | --- |" + " ---: |" * (len(mb) + len(ma))]
    for k in keys:
        cells = [short(c) for c in by_b.get(k, ["-"] * len(mb))] + \
                [short(c) for c in by_a.get(k, ["-"] * len(ma))]
        out.append(f"| {k[0]} | {k[1]} | " + " | ".join(cells) + " |")
    return out


def main(before, after):
    print("### Methods\n")
    print("\n".join(methods(table(before, SECTIONS["methods"]), table(after, SECTIONS["methods"]))))
    print("\n### Reasoning primitives (final checkpoint)\n")
    print("\n".join(primitives(table(before, SECTIONS["primitives"]),
                               table(after, SECTIONS["primitives"]))))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
