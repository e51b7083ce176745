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
