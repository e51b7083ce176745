package dev.midas.operator.status;

import dev.midas.operator.api.StackingExperiment;
import dev.midas.operator.api.status.ExperimentStatus;
import dev.midas.operator.lifecycle.ExperimentPhase;
import dev.midas.operator.metrics.OperatorMetrics;

/** Fills an experiment's derived status fields: phase, the STAGE column and observedGeneration. */
public final class ExperimentStatusDeriver {
  private ExperimentStatusDeriver() {}

  public static void derive(StackingExperiment exp, OperatorMetrics metrics) {
    ExperimentStatus st = exp.getStatus();
    String before = st.phase;
    st.phase = ExperimentPhase.of(st).name();
    if (before != null && !before.equals(st.phase)) {
      metrics.transition("experiment", before, st.phase);
    }
    if (st.numStages != null && st.currentStage != null) {
      st.stage = st.currentStage + "/" + st.numStages;
    }
    st.observedGeneration = exp.getMetadata().getGeneration();
  }
}
