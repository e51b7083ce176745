#!/usr/bin/env bash
# Our trainer against PyTorch eager on the same model, batch, optimizer and threads, alternating
# runs, then tokens/s of both, the ratio, and our model FLOPs utilisation against the fp32 GEMM
# rate measured in the same run. The peer is Debian's python3-torch with Debian's OpenBLAS
# (libopenblas0-pthread), installed here if missing: without OpenBLAS that build falls back to
# the reference BLAS and is ~7x slower.
#   bench/train-vs-pytorch.sh                  # sizes small and large, 3 rounds, all cores
#   SIZES=large ROUNDS=5 THREADS=2 bench/train-vs-pytorch.sh
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=${SIZES:-"small large"}
ROUNDS=${ROUNDS:-3}
THREADS=${THREADS:-$(nproc)}
out=${BENCH_DIR:-$PWD/bench/target}/train-vs-pytorch.log
mkdir -p "$(dirname "$out")"

if ! dpkg-query -W -f='${Status}' python3-torch libopenblas0-pthread 2>/dev/null \
    | grep -q "install ok installed.*install ok installed"; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    python3-torch libopenblas0-pthread >&2
fi
blas=$(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3)
case "$blas" in
  *openblas*) ;;
  *) echo "libblas.so.3 is $blas, not OpenBLAS: the peer would be meaningless" >&2; exit 1 ;;
esac

steps_for() { case $1 in large) echo 8 ;; *) echo 20 ;; esac; }
: > "$out"
BUILD=${BUILD:-1} bench/java.sh TrainBench --size tiny --steps 1 --warmup 1 --no-gemm > /dev/null 2>&1
for size in $SIZES; do
  for round in $(seq "$ROUNDS"); do
    steps=$(steps_for "$size")
    echo "# round $round $size load $(cut -d' ' -f1 /proc/loadavg)" | tee -a "$out"
    BUILD=0 bench/java.sh TrainBench --size "$size" --steps "$steps" --warmup 2 \
      --threads "$THREADS" 2>/dev/null | grep -E '^(RESULT|# )' | tee -a "$out"
    OPENBLAS_NUM_THREADS="$THREADS" /usr/bin/python3 bench/peer_train.py --size "$size" --steps "$steps" --warmup 2 \
      --threads "$THREADS" | grep -E '^(RESULT|# )' | tee -a "$out"
  done
done
echo "# $(date -u +%FT%TZ), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
  "threads $THREADS, load $(cut -d' ' -f1-3 /proc/loadavg), torch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)'), BLAS $blas"
/usr/bin/python3 bench/summarize.py "$out"
