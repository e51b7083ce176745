package dev.midas.stacking.eval;

import dev.midas.proto.ReasoningExample;

/**
 * Which primitive an example belongs to, as reported: {@code induction_copying}, {@code
 * variable_assignment/math/depth1}, {@code psm}. Few-shot examples are drawn from the same key.
 */
public record TaskKey(String task, String variant, int depth) implements Comparable<TaskKey> {

  public static TaskKey of(ReasoningExample e) {
    return new TaskKey(e.getTask(), e.getVariant(), e.getDepth());
  }

  /** The name in tables and {@code TaskScore.task}. */
  public String name() {
    StringBuilder b = new StringBuilder(task);
    if (!variant.isEmpty()) {
      b.append('/').append(variant);
    }
    // Depth is part of the name wherever a task has depths (variable assignment 0/1/2).
    if (depth > 0 || task.equals("variable_assignment")) {
      b.append("/depth").append(depth);
    }
    return b.toString();
  }

  @Override
  public int compareTo(TaskKey o) {
    return name().compareTo(o.name());
  }

  @Override
  public String toString() {
    return name();
  }
}
