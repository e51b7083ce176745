package dev.midas.plan.stage;

import dev.midas.plan.layout.SafeNames;
import dev.midas.plan.spec.ResolvedSpec;
import dev.midas.proto.StageSpec;

/** What one stage pod runs, derived from the resolved spec and the stage index alone. */
public final class StageSpecs {
  private StageSpecs() {}

  /**
   * The stage spec of 1-based {@code stage}: its depth, steps, where its steps start on the global
   * step, and the operator that grows its final checkpoint (empty for the last stage).
   */
  public static StageSpec of(ResolvedSpec spec, String uid, int stage) {
    SafeNames.require("run uid", uid);
    int k = spec.numStages();
    if (stage < 1 || stage > k) {
      throw new IllegalArgumentException(
          "stage " + stage + " is outside 1.." + k + " of experiment " + spec.name());
    }
    return StageSpec.newBuilder()
        .setExperiment(spec.name())
        .setUid(uid)
        .setStage(stage)
        .setNumStages(k)
        .setModel(spec.model().config(spec.layersAt(stage)))
        .setStageSteps(spec.schedule().stages().steps(stage))
        .setGlobalStepStart(spec.schedule().stages().globalStart(stage))
        .setTotalSteps(spec.schedule().stages().totalSteps())
        .setGrowthOperator(stage < k ? spec.growth().operator() : "")
        .setBlockSize(spec.growth().blockSize())
        .build();
  }
}
