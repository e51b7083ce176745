package dev.midas.stacking.evaluation;

import dev.midas.plan.flops.StepFlops;
import dev.midas.plan.spec.ResolvedSpec;

/**
 * Where a checkpoint sits in a run's cost: cumulative training FLOPs (the plan's FLOPs model at
 * each stage's depth) and cumulative training wall clock (each stage's measured time; within a
 * stage, in proportion to its steps).
 */
final class Timeline {
  private final ResolvedSpec spec;
  private final StepFlops flops;
  private final double[] stageWall;

  /**
   * @param stageWall measured training seconds of stages 1..k (index 0 is stage 1)
   */
  Timeline(ResolvedSpec spec, double[] stageWall) {
    this.spec = spec;
    ResolvedSpec.Model m = spec.model();
    this.flops =
        StepFlops.transformer(
            m.dModel(), m.ffn(), m.seqLen(), m.vocabSize(), spec.schedule().batchSize());
    this.stageWall = stageWall.clone();
  }

  double flopsAt(int stage, long stageStep) {
    double f = 0;
    for (int i = 1; i < stage; i++) {
      f += spec.schedule().stages().steps(i) * flops.at(spec.layersAt(i));
    }
    return f + stageStep * flops.at(spec.layersAt(stage));
  }

  double wallAt(int stage, long stageStep) {
    double w = 0;
    for (int i = 1; i < stage; i++) {
      w += stageWall[i - 1];
    }
    long steps = spec.schedule().stages().steps(stage);
    return w + (steps == 0 ? 0 : stageWall[stage - 1] * stageStep / (double) steps);
  }
}
