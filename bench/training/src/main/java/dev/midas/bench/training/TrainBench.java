package dev.midas.bench.training;

import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.jni.JniUtils;
import dev.midas.checkpoint.TrainState;
import dev.midas.plan.flops.StepFlops;
import dev.midas.plan.spec.Precision;
import dev.midas.proto.ModelConfig;
import dev.midas.stacking.data.InMemoryTokenDataset;
import dev.midas.stacking.data.TokenDataset;
import dev.midas.stacking.model.ParameterLayout;
import dev.midas.stacking.model.PyTorchRuntime;
import dev.midas.stacking.train.StepMetrics;
import dev.midas.stacking.train.TrainConfig;
import dev.midas.stacking.train.TrainListener;
import dev.midas.stacking.train.TrainStates;
import dev.midas.stacking.train.Trainer;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Random;

/**
 * Our trainer's speed on one of the {@link BenchSizes}: trains {@code warmup + steps} steps on
 * seeded random tokens in the given precision and times the last {@code steps}, then (unless {@code
 * --no-gemm}) measures the GEMM rate in the precision's matrix type (float32, or bfloat16 for
 * bf16-mixed; the best of the model's own forward products, [B*T, d] x [d, d], [d, 4d] and [4d, d])
 * in the same process and prints model FLOPs utilisation against it, and against {@code
 * --peak-tflops} (the chip's dense peak for that type) when given: model FLOPs are {@link
 * StepFlops#transformer}'s, the same count the MIDAS speedup uses. Prints one {@code RESULT} line
 * that bench/train-vs-pytorch.sh and bench/gpu.sh parse.
 *
 * <pre>
 * TrainBench --size small|large|gpu|gpt2 [--steps 20] [--warmup 3] [--threads 2] [--no-gemm]
 *            [--precision fp32|tf32|bf16-mixed] [--peak-tflops 989] [--profile trace.json]
 * </pre>
 */
public final class TrainBench {
  private TrainBench() {}

  public static void main(String[] args) {
    System.setProperty("ai.djl.offline", "true");
    BenchArgs a = new BenchArgs(args);
    BenchSizes size = BenchSizes.named(a.string("--size", "small"));
    int steps = a.integer("--steps", 20);
    int warmup = a.integer("--warmup", 3);
    int threads = a.integer("--threads", PyTorchRuntime.defaultThreads());
    String profile = a.string("--profile", null);
    Precision precision = Precision.parse(a.string("--precision", "fp32"));
    PyTorchRuntime.applyPrecision(precision);
    Timings timings = run(size, warmup, steps, threads, precision, profile);
    double[] seconds = timings.wall();
    double median = median(seconds);
    double tokensPerSecond = size.tokensPerStep() / median;
    ModelConfig m = size.model();
    StepFlops f =
        StepFlops.transformer(
            m.getDModel(), m.getDFf(), m.getSeqLen(), m.getVocabSize(), size.batchSize());
    double modelGflops = f.at(m.getNLayers()) / median / 1e9;
    StringBuilder out =
        new StringBuilder(
            String.format(
                "RESULT impl=djl size=%s precision=%s device=%s threads=%d steps=%d"
                    + " ms_per_step=%.1f tokens_per_s=%.0f model_gflops=%.1f cpu_ms_per_step=%.1f"
                    + " params=%d",
                size.name(),
                precision,
                PyTorchRuntime.gpu() ? "gpu" : "cpu",
                threads,
                steps,
                median * 1e3,
                tokensPerSecond,
                modelGflops,
                median(timings.cpu()) * 1e3,
                parameterCount(m)));
    if (!a.flag("--no-gemm")) {
      int rows = (int) size.tokensPerStep();
      int d = m.getDModel();
      int ffn = m.getDFf();
      int repeats = a.integer("--gemm-repeats", 5);
      DataType type = precision == Precision.BF16_MIXED ? DataType.BFLOAT16 : DataType.FLOAT32;
      // The limit is the best of the model's own forward products: projections, fc1, fc2.
      double gemm =
          Math.max(
              GemmRate.gflops(rows, d, d, threads, repeats, type),
              Math.max(
                  GemmRate.gflops(rows, d, ffn, threads, repeats, type),
                  GemmRate.gflops(rows, ffn, d, threads, repeats, type)));
      out.append(
          String.format(
              " gemm_type=%s gemm_gflops=%.1f mfu=%.3f",
              type == DataType.BFLOAT16 ? "bf16" : "fp32", gemm, modelGflops / gemm));
    }
    String peak = a.string("--peak-tflops", null);
    if (peak != null) {
      double peakGflops = Double.parseDouble(peak) * 1e3;
      out.append(
          String.format(" peak_gflops=%.0f mfu_peak=%.3f", peakGflops, modelGflops / peakGflops));
    }
    System.out.println("# " + size + ", step times (s): " + Arrays.toString(round(seconds)));
    System.out.println(out);
  }

  /** Seconds of each timed step. */
  static Timings run(
      BenchSizes size, int warmup, int steps, int threads, Precision precision, String profile) {
    TrainConfig c =
        TrainConfig.builder()
            .batchSize(size.batchSize())
            .peakLr(1e-3)
            .weightDecay(0.1)
            .betas(0.9, 0.95)
            .clipNorm(1.0)
            .seed(1)
            .threads(threads)
            .precision(precision)
            .build();
    TrainState init = TrainStates.fresh(size.model(), 1);
    TokenDataset data = randomTokens(size.model(), size.batchSize() * 8, 7);
    long[] at = new long[warmup + steps + 1];
    long[] cpuAt = new long[warmup + steps + 1];
    at[0] = System.nanoTime();
    cpuAt[0] = processCpuNanos();
    Trainer.train(
        init,
        data,
        c,
        warmup + steps,
        new TrainListener() {
          @Override
          public void onStep(StepMetrics m) {
            int i = (int) m.step();
            at[i] = System.nanoTime();
            cpuAt[i] = processCpuNanos();
            if (profile != null && i == warmup) {
              JniUtils.startProfile(false, true, false);
            }
            if (profile != null && i == warmup + steps) {
              JniUtils.stopProfile(profile);
            }
          }
        });
    Timings t = new Timings(new double[steps], new double[steps]);
    for (int i = 0; i < steps; i++) {
      t.wall()[i] = (at[warmup + i + 1] - at[warmup + i]) / 1e9;
      t.cpu()[i] = (cpuAt[warmup + i + 1] - cpuAt[warmup + i]) / 1e9;
    }
    return t;
  }

  /** Wall-clock and process CPU seconds of each timed step. */
  record Timings(double[] wall, double[] cpu) {}

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  static long parameterCount(ModelConfig m) {
    return ParameterLayout.shapes(m).values().stream()
        .mapToLong(shape -> Arrays.stream(shape).reduce(1, (x, y) -> x * y))
        .sum();
  }

  /** Uniform random windows of seq_len + 1 tokens, seeded. */
  static TokenDataset randomTokens(ModelConfig m, int windows, long seed) {
    int window = m.getSeqLen() + 1;
    Random r = new Random(seed);
    int[] t = new int[windows * window];
    for (int i = 0; i < t.length; i++) {
      t[i] = r.nextInt(m.getVocabSize());
    }
    return new InMemoryTokenDataset(window, t);
  }

  static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  private static double[] round(double[] v) {
    double[] r = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      r[i] = Math.round(v[i] * 1000) / 1000.0;
    }
    return r;
  }
}
