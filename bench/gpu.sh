#!/usr/bin/env bash
# The GPU benchmark, on a CUDA machine, from the checkout root, with bench/target/gpu/ made by
# bench/gpu-bundle.sh: our trainer (TrainBench) and the PyTorch eager peer (bench/peer_train.py:
# scaled_dot_product_attention, fused AdamW, torch.autocast bfloat16) on the same model, batch,
# optimizer and precision, alternating round by round, for the 46M size (gpu: 12 layers, d_model
# 512, seq 512, batch 32, vocab 8192) and the 136M size (gpt2: 12 layers, d_model 768, seq 1024,
# batch 16, vocab 32768); each side measures the GEMM rate of the model's own shapes in the same
# process and prints MFU against it and against PEAK_TFLOPS. Then what a step costs beyond its
# FLOPs at 2 against 12 layers of the 46M shape (StepOverheadBench: the first and last stage of a
# 12-layer MIDAS run in blocks of 2; with each depth's operator profile summed by
# bench/profile_ops.py), and staged MIDAS against the baseline (MidasSpeedupBench, 12
# layers in blocks of 2, the 46M shape) for STAGED_STEPS steps. Logs and the summary go to OUT
# (default bench/target/gpu-out).
#   bash bench/gpu.sh                               # everything, ~7 minutes on an H200
#   PARTS=train SIZES=gpt2 ROUNDS=1 bash bench/gpu.sh
# PEAK_TFLOPS: the chip's dense bfloat16 peak the MFU target is stated against (790: the figure
# the H200 measurements that motivated this benchmark used; the SXM datasheet says 989).
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-$PWD/bench/target/gpu-out}
SIZES=${SIZES:-"gpu gpt2"}
ROUNDS=${ROUNDS:-3}
PRECISION=${PRECISION:-bf16-mixed}
PEAK_TFLOPS=${PEAK_TFLOPS:-790}
PARTS=${PARTS:-"train overhead staged"}
STAGED_STEPS=${STAGED_STEPS:-2000}
mkdir -p "$OUT"
log=$OUT/gpu.log
w=/tmp/midas-gpu

# Java and DJL's JNI, built against this machine's libtorch (~30 s on 16 cores).
if [[ ! -f "$w/env" ]]; then
  rm -rf "$w" && mkdir -p "$w" && tar xJf bench/target/gpu/bundle.tar.xz -C "$w"
  tl=$(python3 -c "import torch,os;print(os.path.join(os.path.dirname(torch.__file__),'lib'))")
  tc=$(python3 -c "import torch;print(torch.utils.cmake_prefix_path)")
  tv=$(python3 -c "import torch;print(torch.__version__.split('+')[0])")
  cu=$(python3 -c "import torch;print('cu'+torch.version.cuda.replace('.',''))")
  j=$w/jre
  mkdir -p "$w/djl-native/build"
  (cd "$w/djl-native/build" \
    && cmake -DCMAKE_POLICY_VERSION_MINIMUM=3.5 -DCMAKE_PREFIX_PATH="$tc" -DUSE_CUDA=1 \
      -DCMAKE_BUILD_TYPE=Release -DJAVA_HOME="$j" -DJAVA_INCLUDE_PATH="$j/include" \
      -DJAVA_INCLUDE_PATH2="$j/include/linux" -DJAVA_JVM_LIBRARY="$j/lib/server/libjvm.so" \
      -DJAVA_AWT_LIBRARY=NotNeeded -DJAVA_AWT_INCLUDE_PATH=NotNeeded .. > "$OUT/cmake.log" 2>&1 \
    && make -j"$(nproc)" > "$OUT/make.log" 2>&1) || { tail -30 "$OUT"/cmake.log "$OUT"/make.log; exit 1; }
  cp "$w/djl-native/build/libdjl_torch.so" "$tl/" # DJL looks for its JNI beside libtorch first
  cat > "$w/env" <<ENV
export JAVA_HOME=$j PATH=$j/bin:\$PATH PYTORCH_LIBRARY_PATH=$tl PYTORCH_VERSION=$tv PYTORCH_FLAVOR=$cu
export LD_LIBRARY_PATH=/usr/local/cuda/lib64:\${LD_LIBRARY_PATH:-}
export CP=$(ls "$w"/jars/*.jar | tr '\n' ':')
ENV
fi
# shellcheck disable=SC1091
. "$w/env"
ours() { timeout "${STEP_TIMEOUT:-300}" java -Dai.djl.offline=true -cp "$CP" "dev.midas.bench.training.$@"; }

{
  echo "# $(date -u +%FT%TZ) $(nvidia-smi --query-gpu=name,driver_version --format=csv,noheader)," \
    "torch $(python3 -c 'import torch;print(torch.__version__)'), precision $PRECISION, peak $PEAK_TFLOPS TFLOP/s"
  if [[ " $PARTS " == *" train "* ]]; then
    for size in $SIZES; do
      for round in $(seq "$ROUNDS"); do
        echo "# round $round $size"
        ours TrainBench --size "$size" --precision "$PRECISION" --steps 20 --warmup 5 \
          --peak-tflops "$PEAK_TFLOPS" 2> "$OUT/ours-$size-$round.err" | grep -E '^(RESULT|# )' || true
        timeout "${STEP_TIMEOUT:-300}" python3 bench/peer_train.py --device cuda --size "$size" \
          --precision "$PRECISION" --attention sdpa --steps 20 --warmup 5 \
          --peak-tflops "$PEAK_TFLOPS" 2> "$OUT/peer-$size-$round.err" | grep -E '^(RESULT|# )' || true
      done
    done
  fi
  if [[ " $PARTS " == *" overhead "* ]]; then
    ours StepOverheadBench --layers 2,12 --dmodel 512 --heads 8 --seq 512 --batch 32 --vocab 8192 \
      --precision "$PRECISION" --steps 20 --warmup 5 --rounds 3 --profile "$OUT/overhead" \
      2> "$OUT/overhead.err" | grep -E '^(RESULT|# )' || true
    # Where the host's time goes at each depth (its operator calls, which the GPU waits on when the
    # host is the slower side).
    for layers in 2 12; do
      if [[ -f "$OUT/overhead-${layers}L.json" ]]; then
        python3 bench/profile_ops.py "$OUT/overhead-${layers}L.json" 5 12 || true
      fi
    done
  fi
  if [[ " $PARTS " == *" staged "* ]]; then
    ours MidasSpeedupBench --steps "$STAGED_STEPS" --layers 12 --block 2 --dmodel 512 --heads 8 \
      --seq 512 --batch 32 --vocab 8192 --precision "$PRECISION" 2> "$OUT/staged.err" \
      | grep -E '^(RESULT|# |  stage|[a-z]+ done)' || true
  fi
} | tee "$log"
echo
python3 bench/summarize_gpu.py "$log" | tee "$OUT/summary.md"
