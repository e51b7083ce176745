package dev.midas.plan.flops;

import dev.midas.plan.schedule.StageDepths;
import dev.midas.plan.schedule.StageSchedule;

/**
 * Compute saved by a staged schedule against the baseline that trains the full depth for the same
 * total steps (MIDAS.md section 3): {@code T*(L*c_l + c_0) / sum_i T_i*(depth_i*c_l + c_0)}.
 */
public final class Speedup {
  private Speedup() {}

  /** Total training FLOPs of a schedule. */
  public static double totalFlops(StageSchedule schedule, StageDepths depths, StepFlops flops) {
    requireSameStages(schedule, depths);
    double total = 0;
    for (int i = 1; i <= schedule.numStages(); i++) {
      total += schedule.steps(i) * flops.at(depths.layers(i));
    }
    return total;
  }

  /** Baseline FLOPs over staged FLOPs; > 1 means the staged run is cheaper. */
  public static double theoretical(StageSchedule schedule, StageDepths depths, StepFlops flops) {
    double baseline = schedule.totalSteps() * flops.at(depths.targetLayers());
    return baseline / totalFlops(schedule, depths, flops);
  }

  /** Prop-1 with c_0 = 0 and k stages of one block each: {@code 3k / (2k + 1)}. */
  public static double propOneClosedForm(int k) {
    return 3.0 * k / (2.0 * k + 1);
  }

  /** Prop-2 with c_0 = 0 and k stages of one block each: {@code 2(2k + 1) / (3(k + 1))}. */
  public static double propTwoClosedForm(int k) {
    return 2.0 * (2 * k + 1) / (3.0 * (k + 1));
  }

  private static void requireSameStages(StageSchedule schedule, StageDepths depths) {
    if (schedule.numStages() != depths.numStages()) {
      throw new IllegalArgumentException(
          "schedule has "
              + schedule.numStages()
              + " stages but the depths have "
              + depths.numStages());
    }
  }
}
