package dev.midas.pipelines.primitives;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Pre-school math (MIDAS.md section 5): one fact {@code Z = 7 - 3} to resolve, single-digit
 * operands, {@code +} or {@code -} (never below zero), so answers lie in 0..18, the candidates.
 */
public final class PreschoolMath {
  static final String HEADER = "The following is a simple arithmetic problem.";
  private static final List<String> CANDIDATES = range(0, 18);

  private PreschoolMath() {}

  public static PrimitiveTask.Instance generate(SplittableRandom rng) {
    String variable = Letters.distinct(rng, 1, 'A').get(0);
    int a = rng.nextInt(10);
    int b = rng.nextInt(10);
    boolean plus = rng.nextBoolean();
    if (!plus && b > a) {
      int t = a;
      a = b;
      b = t;
    }
    int answer = plus ? a + b : a - b;
    String prompt =
        HEADER
            + "\n\n"
            + variable
            + " = "
            + a
            + (plus ? " + " : " - ")
            + b
            + "\nWhat is the numerical value of "
            + variable
            + "?\nAnswer:";
    return new PrimitiveTask.Instance(prompt, Integer.toString(answer), CANDIDATES);
  }

  private static List<String> range(int from, int to) {
    List<String> out = new ArrayList<>();
    for (int i = from; i <= to; i++) {
      out.add(Integer.toString(i));
    }
    return List.copyOf(out);
  }
}
