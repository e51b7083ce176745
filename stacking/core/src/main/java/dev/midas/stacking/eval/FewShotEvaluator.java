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

  /**
   * One exact and one log-likelihood score per task key, sorted by task name. Every query of every
   * task is decoded and ranked in the same batched passes.
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
    List<int[]> contexts = new ArrayList<>();
    for (Map.Entry<TaskKey, List<ReasoningExample>> e : evals.entrySet()) {
      List<ReasoningExample> pool = pools.getOrDefault(e.getKey(), List.of());
      for (ReasoningExample q : e.getValue()) {
        String context =
            FewShotPrompt.context(FewShotPrompt.pickShots(pool, q, o.shots(), o.seed()), q);
        queries.add(q);
        contexts.add(codec.encode(context));
      }
    }
    boolean[] exact = answersExactly(model, codec, contexts, queries, o.maxNewTokens());
    boolean[] ranked = ranksAnswerFirst(model, codec, contexts, queries);
    List<TaskScore> scores = new ArrayList<>();
    int at = 0;
    for (Map.Entry<TaskKey, List<ReasoningExample>> e : evals.entrySet()) {
      int n = e.getValue().size();
      int exactCount = count(exact, at, n);
      int rankedCount = count(ranked, at, n);
      at += n;
      String task = e.getKey().name();
      scores.add(score(task, exactProtocol(o.shots()), exactCount, n));
      scores.add(score(task, loglikProtocol(o.shots()), rankedCount, n));
    }
    return scores;
  }

  private static int count(boolean[] hits, int from, int n) {
    int c = 0;
    for (int i = from; i < from + n; i++) {
      c += hits[i] ? 1 : 0;
    }
    return c;
  }

  /**
   * Whether the greedy answer to each context (up to the newline) is its query's answer. A row
   * stops decoding at the newline, or as soon as its text can no longer become the answer.
   */
  static boolean[] answersExactly(
      ScoringModel model,
      TextCodec codec,
      List<int[]> contexts,
      List<ReasoningExample> queries,
      int maxNew) {
    List<int[]> generated =
        SequenceScoring.greedy(
            model,
            contexts,
            maxNew,
            (row, ids) -> {
              int id = ids[ids.length - 1];
              if (id == codec.eosId() || codec.decode(new int[] {id}).contains("\n")) {
                return true;
              }
              return !canStillMatch(codec.decode(ids), queries.get(row).getAnswer().trim());
            });
    boolean[] hits = new boolean[queries.size()];
    for (int i = 0; i < hits.length; i++) {
      hits[i] = firstLine(codec.decode(generated.get(i))).equals(queries.get(i).getAnswer().trim());
    }
    return hits;
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

  /**
   * Whether each query's answer has the highest log-likelihood after its context among its distinct
   * candidate values (the answer included).
   */
  static boolean[] ranksAnswerFirst(
      ScoringModel model, TextCodec codec, List<int[]> contexts, List<ReasoningExample> queries) {
    List<List<String>> values = new ArrayList<>(queries.size());
    List<SequenceScoring.Query> scored = new ArrayList<>(queries.size());
    for (int i = 0; i < queries.size(); i++) {
      ReasoningExample q = queries.get(i);
      LinkedHashSet<String> candidates = new LinkedHashSet<>(q.getCandidatesList());
      candidates.add(q.getAnswer());
      List<String> v = new ArrayList<>(candidates);
      List<int[]> conts = new ArrayList<>(v.size());
      for (String value : v) {
        conts.add(codec.encode(FewShotPrompt.continuation(q.getPrompt(), value)));
      }
      values.add(v);
      scored.add(new SequenceScoring.Query(contexts.get(i), conts));
    }
    List<double[]> ll = SequenceScoring.logLikelihoods(model, scored);
    boolean[] hits = new boolean[queries.size()];
    for (int i = 0; i < hits.length; i++) {
      double[] l = ll.get(i);
      int best = 0;
      for (int c = 1; c < l.length; c++) {
        if (l[c] > l[best]) {
          best = c;
        }
      }
      hits[i] = values.get(i).get(best).equals(queries.get(i).getAnswer());
    }
    return hits;
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
