package dev.midas.operator.lifecycle;

import dev.midas.operator.api.status.ExperimentStatus;
import dev.midas.operator.api.status.StageStatus;

/**
 * The experiment's phase, always computed from the rest of the status (conditions and stage
 * phases), never stored independently: the Flink operator's ResourceLifecycleState idea.
 */
public enum ExperimentPhase {
  Pending,
  Running,
  /** Every stage committed; the run's evaluation has not committed its report yet. */
  Evaluating,
  Suspended,
  Succeeded,
  Failed;

  /** Whether an evaluation is still to succeed (none failed: that set the Failed condition). */
  private static boolean evaluating(ExperimentStatus status) {
    return status.evaluations != null
        && status.evaluations.stream()
            .anyMatch(e -> StagePhase.of(e.phase) != StagePhase.Succeeded);
  }

  public static ExperimentPhase of(ExperimentStatus status) {
    if (status == null) {
      return Pending;
    }
    if (Conditions.isTrue(status.conditions, Conditions.INVALID_SPEC)
        || Conditions.isTrue(status.conditions, Conditions.FAILED)) {
      return Failed;
    }
    if (status.stages.isEmpty()) {
      return Pending;
    }
    boolean allDone = true;
    boolean anyStarted = false;
    boolean anySuspended = false;
    boolean anyQueued = false;
    for (StageStatus s : status.stages) {
      StagePhase p = StagePhase.of(s.phase);
      allDone &= p.isDone();
      anyStarted |= p != StagePhase.Pending;
      anySuspended |= p == StagePhase.Suspended;
      anyQueued |= p == StagePhase.Queued;
      if (p == StagePhase.Failed) {
        return Failed;
      }
    }
    if (allDone) {
      return evaluating(status) ? Evaluating : Succeeded;
    }
    if (anySuspended) {
      return Suspended;
    }
    // A stage its queue holds is waiting for the cluster, not running: Pending, as Kueue means.
    return anyStarted && !anyQueued ? Running : Pending;
  }
}
