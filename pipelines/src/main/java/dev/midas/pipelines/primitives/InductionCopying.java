package dev.midas.pipelines.primitives;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Induction copying (MIDAS.md section 5): a line of distinct nonsense words (2-3 letters), then a
 * repeat of a contiguous run of 2-4 of them; the answer is the word that followed that run the
 * first time. Words are distinct, so the answer is unambiguous; the candidates are the line's
 * words.
 */
public final class InductionCopying {
  static final String HEADER =
      "The following is a sequence of nonsense words. The last words repeat an earlier part of it;"
          + " give the word that came next there.";
  static final int LENGTH = 12;
  private static final String CONSONANTS = "bdfgklmnprstvz";
  private static final String VOWELS = "aeiou";

  private InductionCopying() {}

  public static PrimitiveTask.Instance generate(SplittableRandom rng) {
    Set<String> words = new LinkedHashSet<>();
    while (words.size() < LENGTH) {
      words.add(word(rng));
    }
    List<String> items = new ArrayList<>(words);
    int run = 2 + rng.nextInt(3);
    int start = rng.nextInt(LENGTH - run); // leaves at least one word after the run
    List<String> line = new ArrayList<>(items);
    line.addAll(items.subList(start, start + run));
    String prompt = HEADER + "\n\n" + String.join(" ", line) + "\nAnswer:";
    return new PrimitiveTask.Instance(prompt, items.get(start + run), List.copyOf(items));
  }

  private static String word(SplittableRandom rng) {
    StringBuilder w = new StringBuilder(3);
    w.append(CONSONANTS.charAt(rng.nextInt(CONSONANTS.length())));
    w.append(VOWELS.charAt(rng.nextInt(VOWELS.length())));
    if (rng.nextBoolean()) {
      w.append(CONSONANTS.charAt(rng.nextInt(CONSONANTS.length())));
    }
    return w.toString();
  }
}
