package dev.midas.stacking.eval;

import dev.midas.proto.ReasoningExample;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The k-shot protocol of MIDAS.md section 5: k solved instances of the same task, separated by a
 * blank line, then the query's prompt. The answer follows its prompt after one space unless the
 * prompt already ends in whitespace ({@code "Answer:"} then {@code " 22"}).
 */
public final class FewShotPrompt {
  static final String SHOT_SEPARATOR = "\n\n";

  private FewShotPrompt() {}

  /** The text before the answer: shots, blank lines, the query prompt. */
  public static String context(List<ReasoningExample> shots, ReasoningExample query) {
    StringBuilder b = new StringBuilder();
    for (ReasoningExample s : shots) {
      b.append(solved(s)).append(SHOT_SEPARATOR);
    }
    return b.append(query.getPrompt()).toString();
  }

  /** A prompt with its answer filled in. */
  public static String solved(ReasoningExample e) {
    return e.getPrompt() + continuation(e.getPrompt(), e.getAnswer());
  }

  /** What follows the prompt when the answer is {@code answer}: separator plus answer. */
  public static String continuation(String prompt, String answer) {
    boolean spaced =
        !prompt.isEmpty() && Character.isWhitespace(prompt.charAt(prompt.length() - 1));
    return (spaced ? "" : " ") + answer;
  }

  /**
   * k distinct shots from the pool, chosen from a seed and the query's id so every model sees the
   * same prompts.
   */
  public static List<ReasoningExample> pickShots(
      List<ReasoningExample> pool, ReasoningExample query, int k, long seed) {
    List<ReasoningExample> candidates = new ArrayList<>(pool);
    candidates.removeIf(e -> e.getId() == query.getId() && e.getSplit().equals(query.getSplit()));
    if (candidates.size() < k) {
      throw new IllegalArgumentException(
          "task "
              + TaskKey.of(query)
              + " has "
              + candidates.size()
              + " few-shot examples, fewer than the "
              + k
              + " shots asked for");
    }
    Random rnd = new Random(seed * 1_000_003L + query.getId());
    List<ReasoningExample> shots = new ArrayList<>(k);
    for (int i = 0; i < k; i++) {
      shots.add(candidates.remove(rnd.nextInt(candidates.size())));
    }
    return shots;
  }
}
