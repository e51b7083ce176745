package dev.midas.stacking.eval;

import dev.midas.proto.ReasoningExample;
import dev.midas.proto.TaskScore;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Few-shot scoring of the reasoning primitives, both ways MIDAS.md section 5 asks: exact match of
 * the greedy answer (up to the newline) and answer log-likelihood ranking among the candidates (the
 * one that still says something about tiny models, whose greedy answers are near zero everywhere).
 */
public final class FewShotEvaluator {

  /**
   * @param shots solved instances before each query (5 in the paper)
   * @param maxPerTask eval instances per task (the first ones, in id order); 0 for all
   * @param maxNewTokens greedy decoding budget; answers are a token or two and a newline
   * @param seed seeds the choice of shots
   */
  public record Options(int shots, int maxPerTask, int maxNewTokens, long seed) {
    public static Options defaults(long seed) {
      return new Options(5, 0, 8, seed);
    }
  }

  private FewShotEvaluator() {}

  /** Protocol name of exact-match scoring with k shots, e.g. {@code 5shot-exact}. */
  public static String exactProtocol(int shots) {
    return shots + "shot-exact";
  }

  /** Protocol name of log-likelihood ranking with k shots, e.g. {@code 5shot-loglik}. */
  public static String loglikProtocol(int shots) {
    return shots + "shot-loglik";
  }

  /** One exact and one log-likelihood score per task key, sorted by task name. */
  public static List<TaskScore> evaluate(
      ScoringModel model,
      TextCodec codec,
      List<ReasoningExample> fewshotPool,
      List<ReasoningExample> evalSet,
      Options o) {
    Map<TaskKey, List<ReasoningExample>> pools = byTask(fewshotPool, 0);
    Map<TaskKey, List<ReasoningExample>> evals = byTask(evalSet, o.maxPerTask());
    List<TaskScore> scores = new ArrayList<>();
    for (Map.Entry<TaskKey, List<ReasoningExample>> e : evals.entrySet()) {
      List<ReasoningExample> pool = pools.getOrDefault(e.getKey(), List.of());
      int exact = 0;
      int ranked = 0;
      for (ReasoningExample q : e.getValue()) {
        String context =
            FewShotPrompt.context(FewShotPrompt.pickShots(pool, q, o.shots(), o.seed()), q);
        int[] ctx = codec.encode(context);
        if (answersExactly(model, codec, ctx, q, o.maxNewTokens())) {
          exact++;
        }
        if (ranksAnswerFirst(model, codec, ctx, q)) {
          ranked++;
        }
      }
      int n = e.getValue().size();
      String task = e.getKey().name();
      scores.add(score(task, exactProtocol(o.shots()), exact, n));
      scores.add(score(task, loglikProtocol(o.shots()), ranked, n));
    }
    return scores;
  }

  static boolean answersExactly(
      ScoringModel model, TextCodec codec, int[] ctx, ReasoningExample q, int maxNew) {
    int[] generated =
        SequenceScoring.greedy(
            model,
            ctx,
            maxNew,
            id -> id == codec.eosId() || codec.decode(new int[] {id}).contains("\n"));
    return firstLine(codec.decode(generated)).equals(q.getAnswer().trim());
  }

  /** The greedy text up to its first newline, without surrounding spaces. */
  static String firstLine(String generated) {
    String s = generated.stripLeading();
    int nl = s.indexOf('\n');
    return (nl >= 0 ? s.substring(0, nl) : s).trim();
  }

  static boolean ranksAnswerFirst(
      ScoringModel model, TextCodec codec, int[] ctx, ReasoningExample q) {
    LinkedHashSet<String> candidates = new LinkedHashSet<>(q.getCandidatesList());
    candidates.add(q.getAnswer());
    List<String> values = new ArrayList<>(candidates);
    List<int[]> conts = new ArrayList<>();
    for (String v : values) {
      conts.add(codec.encode(FewShotPrompt.continuation(q.getPrompt(), v)));
    }
    double[] ll = SequenceScoring.logLikelihoods(model, ctx, conts);
    int best = 0;
    for (int i = 1; i < ll.length; i++) {
      if (ll[i] > ll[best]) {
        best = i;
      }
    }
    return values.get(best).equals(q.getAnswer());
  }

  static Map<TaskKey, List<ReasoningExample>> byTask(List<ReasoningExample> examples, int max) {
    Map<TaskKey, List<ReasoningExample>> out = new TreeMap<>();
    examples.stream()
        .sorted(java.util.Comparator.comparingLong(ReasoningExample::getId))
        .forEach(
            e -> {
              List<ReasoningExample> l = out.computeIfAbsent(TaskKey.of(e), k -> new ArrayList<>());
              if (max <= 0 || l.size() < max) {
                l.add(e);
              }
            });
    return out;
  }

  static TaskScore score(String task, String protocol, int correct, int n) {
    return TaskScore.newBuilder()
        .setTask(task)
        .setProtocol(protocol)
        .setAccuracy(n == 0 ? 0 : correct / (double) n)
        .setN(n)
        .setSeeds(1)
        .build();
  }
}
