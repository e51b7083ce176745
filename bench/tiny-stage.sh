# Sourced by the benchmarks that start stage 1 of a tiny demo's MIDAS run in fresh JVMs
# (bench/stage-start.sh, bench/pod-start.sh), from the checkout root: builds the midas command
# outside the measured runs and sets `spec` (that run's frozen spec) and `cp` (the build's class
# path), or ends the script saying what to run first.
#   tiny_stage <the --out folder of ./midas demo --preset tiny>
tiny_stage() {
  spec=$(ls "$1"/store/runs/demo-tiny-midas/*/spec 2>/dev/null | head -1 || true)
  [[ -n "$spec" ]] || {
    echo "no MIDAS run under $1/store/runs/demo-tiny-midas: run ./midas demo --preset tiny --out $1 first"
    exit 2
  }
  ./midas --help >/dev/null
  cp=$(cat .midas/build/classpath.txt)
}
