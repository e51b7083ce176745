package dev.midas.stacking.eval;

import dev.midas.checkpoint.NamedTensors;
import dev.midas.proto.ModelConfig;
import dev.midas.proto.ReasoningExample;
import dev.midas.proto.TaskScore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The fine-tune protocol of MIDAS.md section 5: per task, fine-tune a copy of the model on {@code
 * examples} (64) instances of the finetune split, then score exact match of the greedy answer on
 * held-out eval instances (the prompt alone, no shots); repeat over seeds and report mean and
 * standard deviation. Each seed trains on its own examples, drawn without overlap from the task's
 * fine-tune pool, so the spread over seeds includes the choice of data and not only its order.
 * Examples and queries that do not fit seq_len are left out, never cut, and counted.
 */
public final class FineTuneEvaluator {
  public static final String PROTOCOL = "finetune-exact";

  /**
   * @param examples fine-tuning instances per task and seed (64 in the paper)
   * @param seeds repetitions (3 in the paper), each with examples of its own
   * @param maxPerTask eval instances per task; 0 for all
   *     <p>A task whose fine-tune pool holds too few examples that fit seq_len for every seed to
   *     have its own is not scored (n 0, every query counted as unfit); a pool smaller than {@code
   *     examples * seeds} to begin with is refused.
   */
  public record Options(
      int examples, int seeds, FineTuner.Options training, int maxPerTask, int maxNewTokens) {

    /** Fine-tune examples a task needs so that no two seeds share one. */
    public int pool() {
      return examples * seeds;
    }
  }

  private FineTuneEvaluator() {}

  public static List<TaskScore> evaluate(
      ModelConfig config,
      NamedTensors params,
      TextCodec codec,
      List<ReasoningExample> finetuneSplit,
      List<ReasoningExample> evalSplit,
      Options o,
      long seed) {
    Map<TaskKey, List<ReasoningExample>> pools = FewShotEvaluator.byTask(finetuneSplit, 0);
    Map<TaskKey, List<ReasoningExample>> evals = FewShotEvaluator.byTask(evalSplit, o.maxPerTask());
    List<TaskScore> scores = new ArrayList<>();
    for (Map.Entry<TaskKey, List<ReasoningExample>> e : evals.entrySet()) {
      List<ReasoningExample> pool = pools.getOrDefault(e.getKey(), List.of());
      if (pool.isEmpty()) {
        continue;
      }
      List<ReasoningExample> fitting =
          pool.stream().filter(x -> AnswerBatch.fits(x, codec, config.getSeqLen())).toList();
      List<ReasoningExample> queries = e.getValue();
      List<List<ReasoningExample>> noShots = queries.stream().map(q -> noShots()).toList();
      if (pool.size() < o.pool()) {
        throw new IllegalArgumentException(
            "task "
                + e.getKey()
                + ": "
                + o.seeds()
                + " fine-tuning seeds of "
                + o.examples()
                + " examples each need "
                + o.pool()
                + " distinct fine-tune examples, the dataset has "
                + pool.size()
                + "; generate the primitives with a fine-tune pool of at least "
                + o.pool());
      }
      if (fitting.size() < o.pool()) {
        // Too few fit seq_len for every seed to have its own: not scored, and said so.
        scores.add(
            score(e.getKey(), new double[0], 0, 0, o.seeds()).toBuilder()
                .setNote(
                    fitting.size()
                        + " of "
                        + pool.size()
                        + " fine-tune examples fit seq_len "
                        + config.getSeqLen()
                        + "; "
                        + o.seeds()
                        + " seeds of "
                        + o.examples()
                        + " need "
                        + o.pool())
                .build());
        continue;
      }
      List<List<ReasoningExample>> draws =
          draws(fitting, o.examples(), o.seeds(), seed, e.getKey());
      double[] acc = new double[o.seeds()];
      int n = 0;
      for (int s = 0; s < o.seeds(); s++) {
        long runSeed = seed * 31 + s;
        try (FineTuner.Tuned tuned =
            FineTuner.fineTune(config, params, draws.get(s), codec, o.training(), runSeed)) {
          List<FewShotEvaluator.QueryOutcome> outcomes =
              FewShotEvaluator.measure(
                  ModelScoring.of(tuned.model()), codec, queries, noShots, o.maxNewTokens());
          n = (int) outcomes.stream().filter(FewShotEvaluator.QueryOutcome::scored).count();
          long correct = outcomes.stream().filter(FewShotEvaluator.QueryOutcome::exact).count();
          acc[s] = n == 0 ? Double.NaN : correct / (double) n;
        }
      }
      scores.add(score(e.getKey(), acc, n, queries.size() - n, o.seeds()));
    }
    return scores;
  }

  private static List<ReasoningExample> noShots() {
    return List.of();
  }

  private static TaskScore score(TaskKey task, double[] acc, int n, int unfit, int seeds) {
    double mean = n == 0 ? Double.NaN : mean(acc);
    double[] ci = Wilson.interval95(mean, n);
    return TaskScore.newBuilder()
        .setTask(task.name())
        .setProtocol(PROTOCOL)
        .setAccuracy(mean)
        .setStd(n == 0 ? 0 : sampleStd(acc))
        .setN(n)
        .setSeeds(seeds)
        .setUnfit(unfit)
        .setCiLow(ci[0])
        .setCiHigh(ci[1])
        .build();
  }

  /**
   * The examples of each seed: consecutive slices of one seeded shuffle of the pool, so no example
   * serves two seeds.
   *
   * @throws IllegalArgumentException when the pool holds fewer than {@code examples * seeds}
   */
  static List<List<ReasoningExample>> draws(
      List<ReasoningExample> pool, int examples, int seeds, long seed, TaskKey task) {
    if (pool.size() < examples * seeds) {
      throw new IllegalArgumentException(
          "task "
              + task
              + ": "
              + pool.size()
              + " examples cannot give "
              + seeds
              + " seeds "
              + examples
              + " each of their own");
    }
    List<ReasoningExample> shuffled = new ArrayList<>(pool);
    Collections.shuffle(shuffled, new Random(seed * 1_000_003L + task.name().hashCode()));
    List<List<ReasoningExample>> out = new ArrayList<>(seeds);
    for (int s = 0; s < seeds; s++) {
      out.add(List.copyOf(shuffled.subList(s * examples, (s + 1) * examples)));
    }
    return out;
  }

  static double mean(double[] xs) {
    double s = 0;
    for (double x : xs) {
      s += x;
    }
    return xs.length == 0 ? Double.NaN : s / xs.length;
  }

  /** Standard deviation with n - 1 (0 for a single seed). */
  static double sampleStd(double[] xs) {
    if (xs.length < 2) {
      return 0;
    }
    double m = mean(xs);
    double ss = 0;
    for (double x : xs) {
      ss += (x - m) * (x - m);
    }
    return Math.sqrt(ss / (xs.length - 1));
  }
}
