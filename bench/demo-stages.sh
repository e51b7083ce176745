#!/usr/bin/env bash
# The tiny demo's end-to-end MIDAS wall-clock speedup and each stage process's time beyond its
# training loop (BENCHMARKS.md, "Per-stage fixed cost"): runs `./midas demo --preset tiny` in
# fresh folders, niced, PAIRS times (default 2) with the local runner's reuse of stage processes
# on and off (the peer, in the same session; the order alternates between pairs), each beside the
# load average before and after, and prints the report's results table and every stage's split
# (from its result.json).
#   bench/demo-stages.sh      (on a machine running nothing else of its own)
# OUT (default bench/target/demo-stages) holds the runs; NICE (default 10) the niceness.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${OUT:-$PWD/bench/target/demo-stages}
mkdir -p "$out"
./midas --help >/dev/null # build first, outside the measured runs
run() { # run <name> <reuse stage processes: true|false>
  local dir=$out/$1
  rm -rf "$dir"
  echo "# $1 (reuse $2): $(date -u +%FT%TZ), $(nproc) cores, load before $(cut -d' ' -f1-3 /proc/loadavg)"
  MIDAS_JAVA_OPTS="-Xmx8g -Dmidas.reuseStageProcess=$2" nice -n "${NICE:-10}" \
    ./midas demo --preset tiny --out "$dir" >"$dir.log" 2>&1 \
    || { echo "$1 failed; its log: $dir.log"; tail -5 "$dir.log"; exit 1; }
  echo "# $1: $(date -u +%FT%TZ), load after $(cut -d' ' -f1-3 /proc/loadavg)"
  /usr/bin/python3 bench/demo_stages.py "$dir"
}
for i in $(seq 1 "${PAIRS:-2}"); do
  if ((i % 2)); then
    run "pair-$i-reuse" true
    run "pair-$i-cold" false
  else
    run "pair-$i-cold" false
    run "pair-$i-reuse" true
  fi
done
