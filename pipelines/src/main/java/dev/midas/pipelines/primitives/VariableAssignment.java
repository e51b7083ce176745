package dev.midas.pipelines.primitives;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Variable assignment (MIDAS.md section 5): five base variables with values 1..25; depth 1 adds
 * five aliases naming distinct bases, depth 2 five aliases naming distinct depth-1 aliases, each
 * level listed after the one it refers to; the question asks for a variable of the deepest level.
 * Every variable is a distinct letter. The candidates are the base values.
 */
public final class VariableAssignment {
  static final int PER_LEVEL = 5;
  static final String MATH_HEADER = "The following is a set of simple mathematical equations.";
  static final String CODE_HEADER =
      "The following is a very short Python program. Use the program to resolve the value of the"
          + " variable in the question.";

  private VariableAssignment() {}

  /** One line {@code name=value} (a number or another variable's name). */
  public record Assignment(String name, String value) {}

  public static PrimitiveTask.Instance generate(SplittableRandom rng, int depth, String variant) {
    if (depth < 0 || depth > 2) {
      throw new IllegalArgumentException(
          "variable_assignment depth " + depth + " is not 0, 1 or 2");
    }
    List<String> letters = Letters.distinct(rng, PER_LEVEL * (depth + 1), 'a');
    List<Assignment> lines = new ArrayList<>();
    List<Integer> values = new ArrayList<>();
    for (int i = 0; i < PER_LEVEL; i++) {
      int v = 1 + rng.nextInt(25);
      values.add(v);
      lines.add(new Assignment(letters.get(i), Integer.toString(v)));
    }
    // valueOf[i]: the base value that variable i of the current level resolves to.
    List<Integer> valueOf = new ArrayList<>(values);
    for (int level = 1; level <= depth; level++) {
      int[] targets = Letters.permutation(rng, PER_LEVEL);
      List<Integer> next = new ArrayList<>();
      for (int i = 0; i < PER_LEVEL; i++) {
        String target = letters.get((level - 1) * PER_LEVEL + targets[i]);
        lines.add(new Assignment(letters.get(level * PER_LEVEL + i), target));
        next.add(valueOf.get(targets[i]));
      }
      valueOf = next;
    }
    int q = rng.nextInt(PER_LEVEL);
    String query = letters.get(depth * PER_LEVEL + q);
    String answer = Integer.toString(valueOf.get(q));
    TreeSet<Integer> distinct = new TreeSet<>(values);
    List<String> candidates = distinct.stream().map(String::valueOf).toList();
    String prompt = "math".equals(variant) ? math(lines, query) : code(lines, query);
    return new PrimitiveTask.Instance(prompt, answer, candidates);
  }

  /** The math variant, exactly as MIDAS.md shows it, up to and including {@code Answer:}. */
  public static String math(List<Assignment> lines, String query) {
    StringBuilder b = new StringBuilder(MATH_HEADER).append("\n\n");
    for (Assignment a : lines) {
      b.append(a.name()).append('=').append(a.value()).append('\n');
    }
    return b.append("What is the numerical value of ")
        .append(query)
        .append("?\nAnswer:")
        .toString();
  }

  /** The code variant: a header, {@code Program:}, the lines, a blank line, the question. */
  public static String code(List<Assignment> lines, String query) {
    StringBuilder b = new StringBuilder(CODE_HEADER).append("\n\nProgram:\n");
    for (Assignment a : lines) {
      b.append(a.name()).append(" = ").append(a.value()).append('\n');
    }
    return b.append("\nQuestion:\nWhat is the value of ")
        .append(query)
        .append("?\nAnswer:")
        .toString();
  }
}
