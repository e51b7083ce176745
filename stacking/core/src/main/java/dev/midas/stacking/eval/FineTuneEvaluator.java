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
 * standard deviation.
 */
public final class FineTuneEvaluator {
  public static final String PROTOCOL = "finetune-exact";

  /**
   * @param examples fine-tuning instances per task (64 in the paper), chosen by seed
   * @param seeds repetitions (3 in the paper): seed s chooses the examples and their order
   * @param maxPerTask eval instances per task; 0 for all
   */
  public record Options(
      int examples, int seeds, FineTuner.Options training, int maxPerTask, int maxNewTokens) {}

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
      double[] acc = new double[o.seeds()];
      for (int s = 0; s < o.seeds(); s++) {
        long runSeed = seed * 31 + s;
        List<ReasoningExample> train = sample(pool, o.examples(), runSeed);
        try (FineTuner.Tuned tuned =
            FineTuner.fineTune(config, params, train, codec, o.training(), runSeed)) {
          List<int[]> prompts = new ArrayList<>(e.getValue().size());
          e.getValue().forEach(q -> prompts.add(codec.encode(q.getPrompt())));
          boolean[] hits =
              FewShotEvaluator.answersExactly(
                  ModelScoring.of(tuned.model()), codec, prompts, e.getValue(), o.maxNewTokens());
          int correct = 0;
          for (boolean h : hits) {
            correct += h ? 1 : 0;
          }
          acc[s] = correct / (double) hits.length;
        }
      }
      scores.add(
          TaskScore.newBuilder()
              .setTask(e.getKey().name())
              .setProtocol(PROTOCOL)
              .setAccuracy(mean(acc))
              .setStd(sampleStd(acc))
              .setN(e.getValue().size())
              .setSeeds(o.seeds())
              .build());
    }
    return scores;
  }

  static List<ReasoningExample> sample(List<ReasoningExample> pool, int n, long seed) {
    List<ReasoningExample> copy = new ArrayList<>(pool);
    Collections.shuffle(copy, new Random(seed));
    return copy.subList(0, Math.min(n, copy.size()));
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
