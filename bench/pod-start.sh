#!/usr/bin/env bash
# A stage started the way a stage pod starts it (BENCHMARKS.md, "A stage pod's start: natives in
# the image"): a fresh JVM without a class-data archive and an empty DJL cache (the pod's /tmp is an
# emptyDir), stage 1 of a tiny demo's MIDAS run, ROUNDS times (default 3) each way, alternating:
#   jar:      DJL's native jar on the class path, as the image had it: DJL extracts libtorch into the
#             empty cache before it loads it;
#   unpacked: the jar off the class path and libtorch with DJL's JNI unpacked in one folder that
#             PYTORCH_LIBRARY_PATH names, as the image has it now (k8s/images/stage-runner/pom.xml,
#             whose own unpack step makes the folder).
# Prints each run's total, loop, beyond the loop and engine load, and what the DJL cache held after.
#   ./midas demo --preset tiny --out /tmp/tiny && bench/pod-start.sh /tmp/tiny
set -euo pipefail
cd "$(dirname "$0")/.."
demo=${1:?usage: bench/pod-start.sh <the --out folder of ./midas demo --preset tiny>}
ROUNDS=${ROUNDS:-3}
out=${OUT:-$PWD/bench/target/pod-start}
. bench/tiny-stage.sh
tiny_stage "$demo"
cp_jar=$cp
cp_unpacked=$(tr ':' '\n' <<<"$cp_jar" | grep -v '/pytorch-native-' | paste -sd:)
mvn -B -q -f k8s/images/stage-runner/pom.xml dependency:unpack@libtorch >&2
natives=k8s/images/stage-runner/target/natives
rm -rf "$out" && mkdir -p "$out/libtorch"
cp "$natives"/pytorch/cpu/linux-x86_64/* "$natives"/jnilib/linux-x86_64/cpu/* "$out/libtorch/"
version=$(sed -n 's:.*<pytorch.version>\(.*\)</pytorch.version>.*:\1:p' pom.xml | head -1)
run() { # run <way> <round>
  local cache=$out/djl-$1-$2
  rm -rf "$out/store-$1-$2" "$cache" && mkdir -p "$cache"
  if [[ $1 == jar ]]; then
    env -u PYTORCH_LIBRARY_PATH DJL_CACHE_DIR="$cache" java -Dai.djl.offline=true -cp "$cp_jar" \
      dev.midas.stacking.runner.StageRunner --spec "file://$spec" --root "file://$out/store-$1-$2" \
      --uid "pod-$1-$2" --stage 1 --threads 1 2>"$out/$1-$2.err"
  else
    DJL_CACHE_DIR="$cache" PYTORCH_LIBRARY_PATH="$out/libtorch" PYTORCH_VERSION="$version" \
      PYTORCH_FLAVOR=cpu java -Dai.djl.offline=true -cp "$cp_unpacked" \
      dev.midas.stacking.runner.StageRunner --spec "file://$spec" --root "file://$out/store-$1-$2" \
      --uid "pod-$1-$2" --stage 1 --threads 1 2>"$out/$1-$2.err"
  fi | grep '"exitClass"' | /usr/bin/python3 -c '
import json, sys
r = json.loads(sys.stdin.read()); t = r["timings"]
print("%-8s exit %-4s total %.2f s, loop %.2f, beyond the loop %.2f, engine %.2f, jvm %.2f, setup %.2f"
      % (sys.argv[1], r["exitClass"], t["total"], t.get("training", 0), t["total"] - t.get("training", 0),
         t.get("engineLoad", 0), t.get("jvmStart", 0), t.get("setup", 0)))' "$1" \
    || { echo "$1 round $2: the stage failed; its log: $out/$1-$2.err"; exit 1; }
  echo "         DJL cache after: $(du -sh "$cache" | cut -f1) ($(find "$cache" -type f | wc -l) files)"
}
echo "# $(date -u +%FT%TZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), java $(java -version 2>&1 | awk -F'"' '/version/ {print $2; exit}'), PyTorch $version"
for r in $(seq 1 "$ROUNDS"); do
  if ((r % 2)); then run jar "$r"; run unpacked "$r"; else run unpacked "$r"; run jar "$r"; fi
done
echo "# load after $(cut -d' ' -f1-3 /proc/loadavg)"
