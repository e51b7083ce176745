package dev.midas.operator.status;

import dev.midas.operator.api.StackingExperiment;
import dev.midas.operator.api.status.ExperimentStatus;
import dev.midas.operator.events.ConditionReason;
import dev.midas.operator.lifecycle.Conditions;
import dev.midas.operator.lifecycle.ExperimentPhase;
import dev.midas.operator.lifecycle.StagePhase;
import dev.midas.operator.metrics.OperatorMetrics;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Clock;
import java.util.Optional;

/**
 * Fills an experiment's derived status fields from the rest: the phase, the STAGE column,
 * observedGeneration, and the conditions a script waits on ({@code kubectl wait
 * --for=condition=Succeeded}): Succeeded, Suspended and Ready, with Ready's reason and message
 * copied to the REASON and MESSAGE columns. Failed, InvalidSpec, Stalled and StorageUnavailable are
 * set where they happen and only read here.
 */
public final class ExperimentStatusDeriver {
  /** Conditions that make the experiment not Ready, first match wins. */
  private static final String[] BLOCKING = {
    Conditions.INVALID_SPEC,
    Conditions.FAILED,
    Conditions.STORAGE_UNAVAILABLE,
    Conditions.STALLED,
    Conditions.SPEC_EDIT_REJECTED
  };

  private record Why(ConditionReason reason, String message) {}

  private ExperimentStatusDeriver() {}

  public static void derive(StackingExperiment exp, OperatorMetrics metrics, Clock clock) {
    ExperimentStatus st = exp.getStatus();
    String before = st.phase;
    ExperimentPhase phase = ExperimentPhase.of(st);
    st.phase = phase.name();
    if (before != null && !before.equals(st.phase)) {
      metrics.transition("experiment", before, st.phase);
    }
    if (st.numStages != null && st.currentStage != null) {
      st.stage = st.currentStage + "/" + st.numStages;
    }
    Long gen = exp.getMetadata().getGeneration();
    st.observedGeneration = gen;
    boolean succeeded = phase == ExperimentPhase.Succeeded;
    set(st, clock, Conditions.SUCCEEDED, succeeded, succeeded ? done(st) : asPhase(phase), gen);
    boolean suspended = phase == ExperimentPhase.Suspended;
    set(
        st,
        clock,
        Conditions.SUSPENDED,
        suspended,
        suspended
            ? new Why(ConditionReason.SpecSuspend, "spec.suspend holds the experiment")
            : asPhase(phase),
        gen);
    Optional<Why> notReady = notReady(st, phase);
    set(st, clock, Conditions.READY, notReady.isEmpty(), notReady.orElse(ready(st, phase)), gen);
    Condition ready = Conditions.get(st.conditions, Conditions.READY).orElseThrow();
    st.reason = ready.getReason();
    st.message =
        ready.getMessage() == null || ready.getMessage().isEmpty() ? null : ready.getMessage();
  }

  /** Why the experiment is not moving as it should, if it is not. */
  private static Optional<Why> notReady(ExperimentStatus st, ExperimentPhase phase) {
    for (String type : BLOCKING) {
      Optional<Condition> c =
          Conditions.get(st.conditions, type).filter(x -> "True".equals(x.getStatus()));
      if (c.isPresent()) {
        return Optional.of(
            new Why(ConditionReason.valueOf(c.get().getReason()), c.get().getMessage()));
      }
    }
    return switch (phase) {
      case Suspended -> Optional.of(asPhase(phase));
      case Pending ->
          Optional.of(
              st.stages.stream().anyMatch(s -> StagePhase.of(s.phase) == StagePhase.Queued)
                  ? new Why(
                      ConditionReason.Queued,
                      "stage " + st.currentStage + " waits for its queue to admit its Job")
                  : new Why(ConditionReason.Pending, "no stage has started yet"));
      case Failed -> Optional.of(asPhase(phase));
      default -> Optional.empty();
    };
  }

  private static Why ready(ExperimentStatus st, ExperimentPhase phase) {
    if (phase == ExperimentPhase.Succeeded) {
      return done(st);
    }
    if (phase == ExperimentPhase.Evaluating) {
      return new Why(
          ConditionReason.Evaluating,
          st.evaluations.stream()
              .filter(e -> StagePhase.of(e.phase) != StagePhase.Succeeded)
              .map(
                  e ->
                      "evaluation after stage "
                          + e.stage
                          + " "
                          + e.phase
                          + (e.progress == null ? "" : " (" + e.progress + ")"))
              .findFirst()
              .orElse(""));
    }
    String stage =
        st.currentStage == null || st.currentStage > st.stages.size()
            ? ""
            : "stage "
                + st.currentStage
                + "/"
                + st.numStages
                + " "
                + st.stages.get(st.currentStage - 1).phase;
    return new Why(ConditionReason.Running, stage);
  }

  private static Why done(ExperimentStatus st) {
    return new Why(
        ConditionReason.AllStagesSucceeded,
        st.result == null
            ? "all stages committed"
            : "all "
                + st.stages.size()
                + " stages committed; final checkpoint "
                + st.result.finalManifest);
  }

  private static Why asPhase(ExperimentPhase phase) {
    return new Why(ConditionReason.valueOf(phase.name()), "");
  }

  private static void set(
      ExperimentStatus st, Clock clock, String type, boolean value, Why why, Long gen) {
    Conditions.set(st.conditions, type, value, why.reason(), why.message(), gen, clock.instant());
  }
}
