package dev.midas.stacking.eval;

import dev.midas.proto.ReasoningExample;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * The k-shot protocol of MIDAS.md section 5: k solved instances of the same task, separated by a
 * blank line, then the query's prompt. The answer follows its prompt after one space unless the
 * prompt already ends in whitespace ({@code "Answer:"} then {@code " 22"}), and ends with the
 * newline that closes the line. A context that would not fit the model loses whole shots, the ones
 * farthest from the query first, never part of a shot or of the query.
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

  /** A context that fits: how many shots it kept and its tokens. */
  public record Fitted(int shots, int[] tokens) {}

  /**
   * The context of the query with as many of {@code shots} as fit in {@code budget} tokens: whole
   * shots are dropped from the front (the farthest from the query) until it fits; empty when even
   * the query alone does not.
   */
  public static Optional<Fitted> fit(
      List<ReasoningExample> shots, ReasoningExample query, TextCodec codec, int budget) {
    for (int drop = 0; drop <= shots.size(); drop++) {
      List<ReasoningExample> kept = shots.subList(drop, shots.size());
      int[] tokens = codec.encode(context(kept, query));
      if (tokens.length <= budget) {
        return Optional.of(new Fitted(kept.size(), tokens));
      }
    }
    return Optional.empty();
  }

  /**
   * What a model is scored on after the prompt when the answer is {@code answer}: the answer and
   * the newline that ends it, so that an answer that is a prefix of another ({@code " 2"}, {@code "
   * 22"}) is not favoured for stopping early.
   */
  public static String terminated(String prompt, String answer) {
    return continuation(prompt, answer) + "\n";
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
