#!/usr/bin/env bash
# Runs one benchmark main of dev.midas.stacking.bench on a private copy of the stacking core jar
# and its class path (other builds in the same checkout cannot swap classes under a run).
#   bench/java.sh TrainBench --size large
# BUILD=0 reuses the last copy; JAVA_OPTS adds JVM options.
set -euo pipefail
cd "$(dirname "$0")/.."
main=$1
shift
dir=${BENCH_DIR:-$PWD/bench/target}
mkdir -p "$dir"
if [[ "${BUILD:-1}" == 1 || ! -f "$dir/classpath" || ! -f "$dir/classpath-test" ]]; then
  mvn -B -o -q -pl stacking/core install -DskipTests >&2
  cp stacking/core/target/midas-stacking-*.jar "$dir/midas-stacking.jar"
  rm -rf "$dir/test-classes"
  cp -r stacking/core/target/test-classes "$dir/test-classes"
  # Runtime scope: what a stage process runs with (test scope adds S3Proxy and its logback).
  mvn -B -o -q -pl stacking/core dependency:build-classpath -DincludeScope=runtime \
    -Dmdep.outputFile="$dir/deps" >&2
  echo "$dir/midas-stacking.jar:$(cat "$dir/deps")" > "$dir/classpath"
  # Benches that need a test dependency (S3LoaderBench: S3Proxy) live beside the tests; their
  # class path keeps one SLF4J backend.
  mvn -B -o -q -pl stacking/core dependency:build-classpath -DincludeScope=test \
    -DexcludeArtifactIds=logback-classic,logback-core -Dmdep.outputFile="$dir/deps-test" >&2
  echo "$dir/midas-stacking.jar:$dir/test-classes:$(cat "$dir/deps-test")" > "$dir/classpath-test"
fi
classpath=$dir/classpath
if [[ -f "$dir/test-classes/dev/midas/stacking/bench/$main.class" ]]; then
  classpath=$dir/classpath-test
fi
echo "# $(date -u +%FT%TZ) $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
# shellcheck disable=SC2086
exec java -Dai.djl.offline=true ${JAVA_OPTS:-} -cp "$(cat "$classpath")" \
  "dev.midas.stacking.bench.$main" "$@"
