package dev.midas.operator.sweep;

import dev.midas.plan.spec.ExperimentSpec;
import java.util.Optional;

/**
 * One point of a sweep's grid: the child experiment's name, its spec (the template with the axis
 * values applied) and, when its first stages are identical to an earlier child's, that child.
 */
public record SweepChild(
    String name,
    ExperimentSpec spec,
    String operator,
    Integer blockSize,
    Double alpha,
    Long seed,
    Optional<String> sharesStagesWith,
    int sharedStages) {

  /** The axis values that made this child, as events and messages name them. */
  public String axes() {
    return "operator "
        + operator
        + ", blockSize "
        + blockSize
        + ", alpha "
        + alpha
        + ", seed "
        + seed;
  }
}
