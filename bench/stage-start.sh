#!/usr/bin/env bash
# A fresh stage process's fixed cost against its floor (BENCHMARKS.md, "A fresh stage process: where
# its second goes"): runs stage 1 of a tiny demo's MIDAS run ROUNDS times (default 5), each in a
# fresh JVM with the local runner's class-data archive, as a run's first stage runs, into a store of
# its own; between them it loads the bundled libtorch (libgomp, libc10, libtorch_cpu) in a fresh
# Python process, which is what the engine's load costs before any of our code. Prints every round's
# split (from the stage's result line) and the medians; "ours" is what the stage spends beyond its
# training loop less the JVM's start and libtorch's own load.
#   ./midas demo --preset tiny --out /tmp/tiny && bench/stage-start.sh /tmp/tiny
# (on a machine running nothing else of its own). OUT (default bench/target/stage-start) holds the
# stores and the log; ARCHIVE names another class-data archive to start the stages from.
set -euo pipefail
cd "$(dirname "$0")/.."
demo=${1:?usage: bench/stage-start.sh <the --out folder of ./midas demo --preset tiny>}
ROUNDS=${ROUNDS:-5}
out=${OUT:-$PWD/bench/target/stage-start}
. bench/tiny-stage.sh
tiny_stage "$demo"
# The archive the local runner made for this build (the demo made it): the newest that this class
# path maps (-Xshare:on refuses an archive of another build).
archive=${ARCHIVE:-}
[[ -n "$archive" ]] || for a in $(ls -t "$HOME"/.cache/midas/cds/stage-*.jsa 2>/dev/null); do
  if java -XX:SharedArchiveFile="$a" -Xshare:on -Xlog:cds=off -cp "$cp" \
      dev.midas.stacking.runner.StageRunner --help >/dev/null 2>&1; then
    archive=$a
    break
  fi
done
[[ -n "$archive" ]] || { echo "no class-data archive for this build: run ./midas demo --preset tiny --out $demo with this build first"; exit 2; }
libs=$(ls -d "${ENGINE_CACHE_DIR:-${DJL_CACHE_DIR:-$HOME/.djl.ai}}"/pytorch/*cpu* | head -1)
mkdir -p "$out"
log=$out/stage-start.log
echo "# $(date -u +%FT%TZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), java $(java -version 2>&1 | awk -F'"' '/version/ {print $2; exit}'), archive $(basename "$archive"), libtorch from $libs" > "$log"
for r in $(seq 1 "$ROUNDS"); do
  rm -rf "$out/store-$r"
  java -Dai.djl.offline=true -XX:SharedArchiveFile="$archive" -Xlog:cds=off \
    -cp "$cp" dev.midas.stacking.runner.StageRunner --spec "file://$spec" \
    --root "file://$out/store-$r" --uid "start-$r" --stage 1 --threads 1 2>"$out/stage-$r.err" \
    | grep '"exitClass"' | sed 's/^/RESULT stage /' >> "$log" \
    || { echo "round $r: the stage failed; its log: $out/stage-$r.err"; exit 1; }
  (cd "$libs" && /usr/bin/python3 -c '
import ctypes, time
ctypes.CDLL("./" + [f for f in __import__("os").listdir(".") if f.startswith("libgomp")][0], mode=ctypes.RTLD_GLOBAL)
ctypes.CDLL("./libc10.so", mode=ctypes.RTLD_GLOBAL)
t = time.perf_counter()
ctypes.CDLL("./libtorch_cpu.so", mode=ctypes.RTLD_GLOBAL)
print("RESULT libtorch %.4f" % (time.perf_counter() - t))') >> "$log"
done
echo "# load after $(cut -d' ' -f1-3 /proc/loadavg)" >> "$log"
/usr/bin/python3 bench/stage_start.py "$log"
