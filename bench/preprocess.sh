#!/usr/bin/env bash
# PreprocessScaleBench (bench/pipelines): PreprocessCorpus on generated corpora of growing size, on
# Flink [local] and the DirectRunner. Arguments go to the benchmark, e.g.
#   nice -n 10 bench/preprocess.sh --sizesMb=64,256,1024 --directMb=34
# The corpora, run logs and Flink job archives stay under bench/target/pipelines/work.
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH_MODULE=pipelines exec bench/java.sh PreprocessScaleBench \
  --work="${BENCH_DIR:-$PWD/bench/target/pipelines}/work" "$@"
