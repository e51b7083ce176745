#!/usr/bin/env bash
# Runs one benchmark main of dev.midas.stacking.bench on a private copy of the stacking core jar
# and its class path (other builds in the same checkout cannot swap classes under a run).
#   bench/java.sh TrainBench --size large
# BUILD=0 reuses the last copy; JAVA_OPTS adds JVM options.
set -euo pipefail
cd "$(dirname "$0")/.."
main=$1
shift
dir=${BENCH_DIR:-/tmp/midas-bench}
mkdir -p "$dir"
if [[ "${BUILD:-1}" == 1 || ! -f "$dir/classpath" ]]; then
  mvn -o -q -pl stacking/core install -DskipTests >&2
  cp stacking/core/target/midas-stacking-*.jar "$dir/midas-stacking.jar"
  mvn -o -q -pl stacking/core dependency:build-classpath -Dmdep.outputFile="$dir/deps" >&2
  echo "$dir/midas-stacking.jar:$(cat "$dir/deps")" > "$dir/classpath"
fi
echo "# $(date -u +%FT%TZ) $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
# shellcheck disable=SC2086
exec java -Dai.djl.offline=true ${JAVA_OPTS:-} -cp "$(cat "$dir/classpath")" \
  "dev.midas.stacking.bench.$main" "$@"
