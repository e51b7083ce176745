#!/usr/bin/env bash
# Runs one benchmark main of a bench module (BENCH_MODULE, default training: bench/training,
# package dev.midas.bench.training) on a private copy of its jars and class path, so other builds
# in the same checkout cannot swap classes under a run. The module and what it depends on are built
# in the reactor (nothing is installed into the local Maven repository).
#   bench/java.sh TrainBench --size large
#   bench/java.sh dev.midas.bench.training.TrainBench --size large     # the same
#   BENCH_MODULE=pipelines bench/java.sh PreprocessScaleBench            # bench/pipelines
# BUILD=0 reuses the last copy; JAVA_OPTS adds JVM options; BENCH_DIR (default bench/target, or
# bench/target/<module> for another module) holds the copy.
set -euo pipefail
cd "$(dirname "$0")/.."
main=$1
shift
module=${BENCH_MODULE:-training}
[[ "$main" == *.* ]] || main=dev.midas.bench.$module.$main
default_dir=$PWD/bench/target
[[ "$module" == training ]] || default_dir=$PWD/bench/target/$module
dir=${BENCH_DIR:-$default_dir}
mkdir -p "$dir"
if [[ "${BUILD:-1}" == 1 || ! -f "$dir/classpath" ]]; then
  # One invocation, so the class path names the reactor's fresh jars; every module writes the
  # file and the bench module, last in the reactor, writes it last. One SLF4J backend (simple):
  # S3Proxy would bring logback.
  mvn -B -o -q -pl "bench/$module" -am package dependency:build-classpath -DskipTests \
    -DflinkJar.skip=true -DincludeScope=runtime -DexcludeArtifactIds=logback-classic,logback-core \
    -Dmdep.outputFile="$dir/deps" >&2
  rm -rf "$dir/jars"
  mkdir -p "$dir/jars"
  cp "bench/$module/target/midas-bench-$module-"*.jar "$dir/jars/"
  entries=("$dir"/jars/midas-bench-"$module"-*.jar)
  IFS=: read -r -a deps < "$dir/deps" || true # the file has no final newline
  for jar in "${deps[@]}"; do
    if [[ "$jar" == "$PWD"/* ]]; then # built here: copy it
      cp "$jar" "$dir/jars/"
      entries+=("$dir/jars/$(basename "$jar")")
    else
      entries+=("$jar")
    fi
  done
  (IFS=:; echo "${entries[*]}") > "$dir/classpath"
fi
echo "# $(date -u +%FT%TZ) $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
# shellcheck disable=SC2086
exec java -Dai.djl.offline=true ${JAVA_OPTS:-} -cp "$(cat "$dir/classpath")" "$main" "$@"
