package dev.midas.pipelines.primitives;

import java.io.Serializable;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One generated task configuration of MIDAS.md section 5: a task name, a depth and a variant, and
 * how to make a random instance of it.
 */
public record PrimitiveTask(String task, int depth, String variant) implements Serializable {
  public static final String INDUCTION = "induction_copying";
  public static final String VARIABLES = "variable_assignment";
  public static final String PSM = "psm";

  /** Every configuration the paper evaluates: induction, variables (3 depths x 2), psm. */
  public static List<PrimitiveTask> all() {
    return List.of(
        new PrimitiveTask(INDUCTION, 0, ""),
        new PrimitiveTask(VARIABLES, 0, "math"),
        new PrimitiveTask(VARIABLES, 1, "math"),
        new PrimitiveTask(VARIABLES, 2, "math"),
        new PrimitiveTask(VARIABLES, 0, "code"),
        new PrimitiveTask(VARIABLES, 1, "code"),
        new PrimitiveTask(VARIABLES, 2, "code"),
        new PrimitiveTask(PSM, 0, ""));
  }

  /** A short stable name, e.g. {@code variable_assignment/d1/code}. */
  public String label() {
    return task + "/d" + depth + (variant.isEmpty() ? "" : "/" + variant);
  }

  /** One random instance: prompt (ending in {@code Answer:}), answer, candidates. */
  public Instance generate(SplittableRandom rng) {
    return switch (task) {
      case INDUCTION -> InductionCopying.generate(rng);
      case VARIABLES -> VariableAssignment.generate(rng, depth, variant);
      case PSM -> PreschoolMath.generate(rng);
      default -> throw new IllegalArgumentException("unknown primitive task " + task);
    };
  }

  /**
   * A solved instance. The full text is {@code prompt + " " + answer}; a model is scored on what it
   * writes after the prompt, up to the end of the line.
   */
  public record Instance(String prompt, String answer, List<String> candidates) {}
}
