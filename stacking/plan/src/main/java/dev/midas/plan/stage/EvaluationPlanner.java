package dev.midas.plan.stage;

import dev.midas.plan.spec.ResolvedSpec;
import java.util.OptionalInt;
import java.util.function.IntPredicate;

/**
 * When a run is evaluated, for the operator and the local runner alike: after its last stage when
 * the spec has an {@code evaluation} section, and after every stage too with {@code
 * evaluation.everyStage}; an evaluation is done once its report is committed.
 */
public final class EvaluationPlanner {
  private EvaluationPlanner() {}

  /**
   * The stage whose evaluation is due: the first of the {@code completedStages} (in a row from
   * stage 1) that the spec evaluates after and whose report is not yet committed.
   *
   * @param reported whether the report of the evaluation after a stage is committed
   */
  public static OptionalInt next(ResolvedSpec spec, int completedStages, IntPredicate reported) {
    int k = spec.numStages();
    for (int s = 1; s <= Math.min(completedStages, k); s++) {
      if (spec.evaluation().after(s, k) && !reported.test(s)) {
        return OptionalInt.of(s);
      }
    }
    return OptionalInt.empty();
  }

  /** Whether every evaluation the spec asks for is reported, given all stages completed. */
  public static boolean allReported(ResolvedSpec spec, IntPredicate reported) {
    return next(spec, spec.numStages(), reported).isEmpty();
  }
}
