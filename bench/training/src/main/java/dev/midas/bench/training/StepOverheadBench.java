package dev.midas.bench.training;

import dev.midas.plan.flops.StepFlops;
import dev.midas.plan.spec.Precision;
import dev.midas.stacking.model.PyTorchRuntime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a training step costs beyond its FLOPs, as MIDAS's shallow stages feel it: times steps of
 * the same model at several depths (default 2 and 12 layers, the first and last stage of a 12-layer
 * MIDAS run in blocks of 2), alternating depths round by round, and prints each depth's median step
 * time, its model FLOP rate, and the shallow depth's rate as a fraction of the deepest's (1.0:
 * FLOP-proportional; the target on a GPU is 0.8 for 2 against 12 layers). It also fits step
 * time = fixed + per-layer x layers over the depths and prints the fixed part: what every step pays
 * whatever the depth (the head, the loss, the optimizer's launches, host syncs, the batch).
 *
 * <p>{@code --dmodel 16 --seq 16 --batch 2} makes FLOPs negligible, so the step time is the fixed
 * cost of dispatching the step's ops (JNI crossings, engine dispatch, syncs): on a GPU that host
 * time is what a small model waits on.
 *
 * <p>{@code --profile PREFIX}: after the timed rounds, one more run of each depth records the
 * engine's operator profile of 5 timed steps to {@code PREFIX-<layers>L.json} (a Chrome trace;
 * {@code bench/profile_ops.py} sums it per operator), outside the figures above.
 *
 * <pre>
 * StepOverheadBench [--layers 2,12] [--dmodel 128] [--heads 4] [--seq 128] [--batch 16]
 *                   [--vocab 256] [--steps 20] [--warmup 3] [--rounds 3] [--threads 2]
 *                   [--precision fp32|tf32|bf16-mixed] [--profile PREFIX]
 * </pre>
 */
public final class StepOverheadBench {
  /** Steps a profile records, enough for a per-step figure and a trace of a few MB. */
  private static final int PROFILED_STEPS = 5;

  private StepOverheadBench() {}

  public static void main(String[] args) {
    BenchArgs a = new BenchArgs(args);
    List<Integer> depths = new ArrayList<>();
    for (String d : a.string("--layers", "2,12").split(",")) {
      depths.add(Integer.parseInt(d.trim()));
    }
    int d = a.integer("--dmodel", 128);
    int heads = a.integer("--heads", 4);
    int seq = a.integer("--seq", 128);
    int batch = a.integer("--batch", 16);
    int vocab = a.integer("--vocab", 256);
    int steps = a.integer("--steps", 20);
    int warmup = a.integer("--warmup", 3);
    int rounds = a.integer("--rounds", 3);
    int threads = a.integer("--threads", PyTorchRuntime.defaultThreads());
    Precision precision = Precision.parse(a.string("--precision", "fp32"));
    String profile = a.string("--profile", null);
    PyTorchRuntime.applyPrecision(precision);
    List<List<Double>> medians = new ArrayList<>();
    depths.forEach(x -> medians.add(new ArrayList<>()));
    for (int r = 0; r < rounds; r++) {
      for (int i = 0; i < depths.size(); i++) {
        BenchSizes size =
            BenchSizes.of("d" + depths.get(i), depths.get(i), d, heads, seq, batch, vocab);
        TrainBench.Timings t = TrainBench.run(size, warmup, steps, threads, precision, null);
        medians.get(i).add(TrainBench.median(t.wall()));
      }
    }
    StepFlops f = StepFlops.transformer(d, 4 * d, seq, vocab, batch);
    int deepest = depths.indexOf(depths.stream().max(Integer::compare).orElseThrow());
    double deepRate = f.at(depths.get(deepest)) / median(medians.get(deepest));
    double[] x = new double[depths.size()];
    double[] y = new double[depths.size()];
    for (int i = 0; i < depths.size(); i++) {
      x[i] = depths.get(i);
      y[i] = median(medians.get(i));
      double rate = f.at(depths.get(i)) / y[i];
      System.out.printf(
          Locale.ROOT,
          "RESULT step_overhead layers=%d dmodel=%d seq=%d batch=%d vocab=%d precision=%s"
              + " threads=%d ms_per_step=%.2f model_gflops=%.2f flop_rate_vs_deepest=%.3f%n",
          depths.get(i),
          d,
          seq,
          batch,
          vocab,
          precision,
          threads,
          y[i] * 1e3,
          rate / 1e9,
          rate / deepRate);
    }
    double[] fit = line(x, y);
    System.out.printf(
        Locale.ROOT,
        "RESULT step_fit fixed_ms=%.2f per_layer_ms=%.3f (step = fixed + per_layer x layers,"
            + " least squares over %d depths)%n",
        fit[0] * 1e3,
        fit[1] * 1e3,
        depths.size());
    if (profile != null) {
      for (int layers : depths) {
        BenchSizes size = BenchSizes.of("d" + layers, layers, d, heads, seq, batch, vocab);
        String trace = profile + "-" + layers + "L.json";
        int profiled = Math.min(steps, PROFILED_STEPS);
        TrainBench.run(size, warmup, profiled, threads, precision, trace);
        System.out.printf(
            Locale.ROOT, "# profile of %d layers, %d steps: %s%n", layers, profiled, trace);
      }
    }
  }

  private static double median(List<Double> v) {
    return TrainBench.median(v.stream().mapToDouble(Double::doubleValue).toArray());
  }

  /** {intercept, slope} of the least-squares line through (x, y). */
  static double[] line(double[] x, double[] y) {
    int n = x.length;
    double mx = 0;
    double my = 0;
    for (int i = 0; i < n; i++) {
      mx += x[i] / n;
      my += y[i] / n;
    }
    double sxy = 0;
    double sxx = 0;
    for (int i = 0; i < n; i++) {
      sxy += (x[i] - mx) * (y[i] - my);
      sxx += (x[i] - mx) * (x[i] - mx);
    }
    double slope = sxx == 0 ? 0 : sxy / sxx;
    return new double[] {my - slope * mx, slope};
  }
}
