#!/usr/bin/env bash
# Every figure of BENCHMARKS.md's training-speed section, one after another (never two at once:
# they would measure each other), each beside the load average it ran under, then a summary
# against the targets. ~20 minutes on 2 cores.
#   bench/all.sh 2>/dev/null | tee bench/target/all.log
# BENCH_DIR (default bench/target) holds the jar copy and the logs; ROUNDS, MIDAS_STEPS and
# MEMORY_STEPS shorten or lengthen the parts.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${BENCH_DIR:-$PWD/bench/target}
mkdir -p "$dir"
log=$dir/all-results.log
load() { echo "# load $(cut -d' ' -f1-3 /proc/loadavg)"; }
{
  echo "# $(date -u +%FT%TZ), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
  ROUNDS=${ROUNDS:-3} bench/train-vs-pytorch.sh
  load
  for size in small large; do
    BUILD=0 bench/java.sh LoaderBench --size "$size" | grep -E '^(RESULT|# )'
    BUILD=0 bench/java.sh S3LoaderBench --size "$size" | grep -E '^(RESULT|# )'
  done
  load
  BUILD=0 bench/java.sh MidasSpeedupBench --steps "${MIDAS_STEPS:-1200}" \
    | grep -E '^(RESULT|# |  stage|[a-z]+ done)'
  load
  BUILD=0 bench/java.sh MemoryBench --steps "${MEMORY_STEPS:-3000}" | grep -E '^(RESULT|# )'
  load
} | tee "$log"
echo
/usr/bin/python3 bench/summarize_all.py "$dir/train-vs-pytorch.log" "$log"
