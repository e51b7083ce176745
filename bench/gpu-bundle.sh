#!/usr/bin/env bash
# Packs what bench/gpu.sh needs on a CUDA machine that has Python with CUDA PyTorch but no Java
# into bench/target/gpu/ (ignored; carry it to the machine): bundle.tar.xz with a jlink'd Java 17,
# bench/training's runtime jars without DJL's CPU natives, its prebuilt JNI and what only the
# S3/loader benchmarks use, and DJL 0.32.0's PyTorch JNI source, which bench/gpu.sh builds there
# against the machine's own libtorch (DJL's Maven CUDA natives are 2.4 GB). Nothing is installed
# into the local Maven repository: the jars come from a reactor build, as bench/java.sh's do.
#   DJL_JNI_SRC=/path/to/djl-0.32.0/engines/pytorch/pytorch-native bench/gpu-bundle.sh
set -euo pipefail
cd "$(dirname "$0")/.."
src=${DJL_JNI_SRC:?set DJL_JNI_SRC to the engines/pytorch/pytorch-native source folder of DJL 0.32.0}
[[ -f "$src/CMakeLists.txt" ]] || { echo "$src has no CMakeLists.txt: not DJL's JNI source" >&2; exit 2; }
out=$PWD/bench/target/gpu
b=$(mktemp -d)
trap 'rm -rf "$b"' EXIT
mkdir -p "$out" "$b/jars"
# Each module writes its own runtime class path; the stage runner's (stacking/core) is what the
# benchmarks need, without what only the S3 loader benchmark brings (S3Proxy and its servers).
mvn -B -o -q -pl bench/training -am package dependency:build-classpath -DskipTests \
  -DflinkJar.skip=true -DincludeScope=runtime -Dmdep.outputFile=target/runtime-classpath.txt >&2
skip='pytorch-native-cpu|pytorch-jni|/tokenizers-'
cp bench/training/target/midas-bench-training-*.jar stacking/core/target/midas-stacking-*.jar "$b/jars/"
rm -f "$b"/jars/*-tests.jar "$b"/jars/*-sources.jar
tr ':' '\n' < stacking/core/target/runtime-classpath.txt | grep -vE "$skip" \
  | grep -vE -- '-(tests|sources)\.jar$' | while read -r jar; do cp "$jar" "$b/jars/"; done
"${JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}/bin/jlink" \
  --add-modules java.base,java.desktop,java.logging,java.management,jdk.management,java.naming,java.net.http,java.sql,java.xml,jdk.unsupported,jdk.crypto.ec \
  --strip-debug --no-man-pages --compress=2 --generate-cds-archive --output "$b/jre"
# The JDK's own class-data archive: faster JVM starts, and the base the stage processes' archive of
# our classes needs (only the compressed-oops one: no benchmark heap reaches 32 GB).
rm -f "$b/jre/lib/server/classes_nocoops.jsa"
cp -r "$src" "$b/djl-native"
tar cJf "$out/bundle.tar.xz" -C "$b" .
ls -la "$out"
