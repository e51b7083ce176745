package dev.midas.stacking.evaluation;

import dev.midas.plan.flops.StepFlops;
import dev.midas.plan.spec.ResolvedSpec;
import dev.midas.proto.LagRecord;
import java.util.List;

/**
 * Where a checkpoint sits in a run's cost: cumulative training FLOPs (the plan's FLOPs model at
 * each stage's depth) and cumulative training wall clock (each stage's measured time, every attempt
 * of it; within a stage, in proportion to its steps). LAG's candidates are charged at the start of
 * the stage they grew into: the wall clock of every candidate, and the FLOPs of every candidate's
 * steps but the winner's (the stage goes on from those). Beside the end-to-end wall clock, the
 * training loop's: the time the loop took for the steps trained, LAG's extra steps at their stage's
 * rate included, without process start, loading, validation, checkpoints and growth.
 */
final class Timeline {
  private final ResolvedSpec spec;
  private final StepFlops flops;
  private final double[] stageWall;
  private final double[] lagFlops;
  private final double[] lagWall;
  private final double[] loop;

  /**
   * @param stageWall measured seconds of stages 1..k, every attempt (index 0 is stage 1)
   * @param stageLoop seconds the training loop of stages 1..k took for their steps
   * @param lags LAG's decisions at the run's growth points
   */
  Timeline(ResolvedSpec spec, double[] stageWall, double[] stageLoop, List<LagRecord> lags) {
    this.spec = spec;
    this.flops = flopsOf(spec);
    this.stageWall = stageWall.clone();
    this.loop = stageLoop.clone();
    this.lagFlops = new double[stageWall.length];
    this.lagWall = new double[stageWall.length];
    for (LagRecord r : lags) {
      int i = r.getStage() - 1;
      lagWall[i] += LagCharges.wallSeconds(r);
      lagFlops[i] += LagCharges.extraFlops(spec, flops, r);
      long steps = spec.schedule().stages().steps(r.getStage());
      loop[i] += steps == 0 ? 0 : stageLoop[i] * LagCharges.extraSteps(r) / (double) steps;
    }
  }

  /** Training-loop seconds of stages 1..stage, LAG's extra steps included. */
  double loopThrough(int stage) {
    double l = 0;
    for (int i = 1; i <= stage; i++) {
      l += loop[i - 1];
    }
    return l;
  }

  /** The plan's FLOPs model of one training step of this experiment's model. */
  static StepFlops flopsOf(ResolvedSpec spec) {
    ResolvedSpec.Model m = spec.model();
    return StepFlops.transformer(
        m.dModel(), m.ffn(), m.seqLen(), m.vocabSize(), spec.schedule().batchSize());
  }

  /** LAG's extra FLOPs charged to stages 1..stage. */
  double lagFlopsThrough(int stage) {
    double f = 0;
    for (int i = 1; i <= stage; i++) {
      f += lagFlops[i - 1];
    }
    return f;
  }

  /** LAG's candidates' wall clock charged to stages 1..stage. */
  double lagWallThrough(int stage) {
    double w = 0;
    for (int i = 1; i <= stage; i++) {
      w += lagWall[i - 1];
    }
    return w;
  }

  double flopsAt(int stage, long stageStep) {
    double f = lagFlopsThrough(stage);
    for (int i = 1; i < stage; i++) {
      f += spec.schedule().stages().steps(i) * flops.at(spec.layersAt(i));
    }
    return f + stageStep * flops.at(spec.layersAt(stage));
  }

  double wallAt(int stage, long stageStep) {
    double w = lagWallThrough(stage);
    for (int i = 1; i < stage; i++) {
      w += stageWall[i - 1];
    }
    long steps = spec.schedule().stages().steps(stage);
    return w + (steps == 0 ? 0 : stageWall[stage - 1] * stageStep / (double) steps);
  }
}
