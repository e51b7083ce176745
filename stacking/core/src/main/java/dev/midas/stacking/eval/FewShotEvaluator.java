package dev.midas.stacking.eval;

import dev.midas.proto.ReasoningExample;
import dev.midas.proto.TaskScore;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

  /**
   * One exact and one log-likelihood score per task key, sorted by task name. Every query of every
   * task is scored in the same batched passes. A query gets as many of its shots as fit (whole
   * shots); one that does not fit even alone is counted as unfit, not scored.
   */
  public static List<TaskScore> evaluate(
      ScoringModel model,
      TextCodec codec,
      List<ReasoningExample> fewshotPool,
      List<ReasoningExample> evalSet,
      Options o) {
    Map<TaskKey, List<ReasoningExample>> pools = byTask(fewshotPool, 0);
    Map<TaskKey, List<ReasoningExample>> evals = byTask(evalSet, o.maxPerTask());
    List<ReasoningExample> queries = new ArrayList<>();
    List<List<ReasoningExample>> shots = new ArrayList<>();
    for (Map.Entry<TaskKey, List<ReasoningExample>> e : evals.entrySet()) {
      List<ReasoningExample> pool = pools.getOrDefault(e.getKey(), List.of());
      for (ReasoningExample q : e.getValue()) {
        queries.add(q);
        shots.add(FewShotPrompt.pickShots(pool, q, o.shots(), o.seed()));
      }
    }
    List<QueryOutcome> outcomes = measure(model, codec, queries, shots, o.maxNewTokens());
    List<TaskScore> scores = new ArrayList<>();
    int at = 0;
    for (Map.Entry<TaskKey, List<ReasoningExample>> e : evals.entrySet()) {
      List<QueryOutcome> task = outcomes.subList(at, at + e.getValue().size());
      at += e.getValue().size();
      String name = e.getKey().name();
      scores.add(score(name, exactProtocol(o.shots()), task, QueryOutcome::exact));
      scores.add(score(name, loglikProtocol(o.shots()), task, QueryOutcome::ranked));
    }
    return scores;
  }

  /**
   * How one query fared: the shots in front of it ({@code -1} when it did not fit at all), whether
   * its greedy answer was exactly right, whether its answer had the highest log-likelihood.
   */
  record QueryOutcome(int shots, boolean exact, boolean ranked) {
    boolean scored() {
      return shots >= 0;
    }
  }

  /**
   * Scores each query after its shots (as many as fit): greedy exact match and log-likelihood
   * ranking of its answer among its distinct candidate values, each with its newline.
   */
  static List<QueryOutcome> measure(
      ScoringModel model,
      TextCodec codec,
      List<ReasoningExample> queries,
      List<List<ReasoningExample>> shots,
      int maxNew) {
    List<SequenceScoring.Query> scored = new ArrayList<>();
    List<Integer> scoredIndex = new ArrayList<>();
    List<List<String>> values = new ArrayList<>();
    int[] kept = new int[queries.size()];
    for (int i = 0; i < queries.size(); i++) {
      ReasoningExample q = queries.get(i);
      LinkedHashSet<String> candidates = new LinkedHashSet<>(q.getCandidatesList());
      candidates.add(q.getAnswer());
      List<String> v = new ArrayList<>(candidates);
      List<int[]> conts = new ArrayList<>(v.size());
      for (String value : v) {
        conts.add(codec.encode(FewShotPrompt.terminated(q.getPrompt(), value)));
      }
      int longest = conts.stream().mapToInt(c -> c.length).max().orElse(1);
      int budget = SequenceScoring.contextBudget(model.maxTokens(), longest, maxNew);
      Optional<FewShotPrompt.Fitted> fitted = FewShotPrompt.fit(shots.get(i), q, codec, budget);
      kept[i] = fitted.map(FewShotPrompt.Fitted::shots).orElse(-1);
      if (fitted.isPresent()) {
        scored.add(new SequenceScoring.Query(fitted.get().tokens(), conts));
        scoredIndex.add(i);
        values.add(v);
      }
    }
    List<SequenceScoring.Scored> results =
        SequenceScoring.score(
            model,
            scored,
            maxNew,
            (row, ids) -> {
              int id = ids[ids.length - 1];
              if (id == codec.eosId() || codec.decode(new int[] {id}).contains("\n")) {
                return true;
              }
              String answer = queries.get(scoredIndex.get(row)).getAnswer().trim();
              return !canStillMatch(codec.decode(ids), answer);
            });
    List<QueryOutcome> out = new ArrayList<>(queries.size());
    int r = 0;
    for (int i = 0; i < queries.size(); i++) {
      if (kept[i] < 0) {
        out.add(new QueryOutcome(-1, false, false));
        continue;
      }
      ReasoningExample q = queries.get(i);
      SequenceScoring.Scored s = results.get(r);
      boolean exact = firstLine(codec.decode(s.greedy())).equals(q.getAnswer().trim());
      double[] l = s.logLikelihoods();
      int best = 0;
      for (int c = 1; c < l.length; c++) {
        if (l[c] > l[best]) {
          best = c;
        }
      }
      boolean ranked = values.get(r).get(best).equals(q.getAnswer());
      out.add(new QueryOutcome(kept[i], exact, ranked));
      r++;
    }
    return out;
  }

  /**
   * Whether greedy text without a newline yet can still read as {@code answer} once finished: after
   * leading whitespace it is a prefix of the answer, or the answer and trailing whitespace. A
   * character still cut in half by the tokens so far (U+FFFD) may yet complete either way.
   */
  static boolean canStillMatch(String text, String answer) {
    String s = text.stripLeading();
    return answer.startsWith(s) || s.stripTrailing().equals(answer) || s.indexOf('\uFFFD') >= 0;
  }

  /** The greedy text up to its first newline, without surrounding spaces. */
  static String firstLine(String generated) {
    String s = generated.stripLeading();
    int nl = s.indexOf('\n');
    return (nl >= 0 ? s.substring(0, nl) : s).trim();
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

  /** One protocol's score of one task: accuracy over the scored queries, shots and unfit. */
  static TaskScore score(
      String task,
      String protocol,
      List<QueryOutcome> outcomes,
      java.util.function.Predicate<QueryOutcome> hit) {
    List<QueryOutcome> scored = outcomes.stream().filter(QueryOutcome::scored).toList();
    int n = scored.size();
    long correct = scored.stream().filter(hit).count();
    double accuracy = n == 0 ? Double.NaN : correct / (double) n;
    double[] ci = Wilson.interval95(accuracy, n);
    return TaskScore.newBuilder()
        .setTask(task)
        .setProtocol(protocol)
        .setAccuracy(accuracy)
        .setN(n)
        .setSeeds(1)
        .setMeanShots(scored.stream().mapToInt(QueryOutcome::shots).average().orElse(0))
        .setMinShots(scored.stream().mapToInt(QueryOutcome::shots).min().orElse(0))
        .setUnfit(outcomes.size() - n)
        .setCiLow(ci[0])
        .setCiHigh(ci[1])
        .build();
  }
}
