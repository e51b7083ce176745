package dev.midas.operator.events;

/** Every reason the operator ever gives an event: a closed list, so alerts can match on it. */
public enum Reason {
  InvalidSpec(Type.Warning),
  StageStarted(Type.Normal),
  StageSucceeded(Type.Normal),
  StageFailed(Type.Warning),
  StageRetrying(Type.Warning),
  StageQueued(Type.Normal),
  StageAdmitted(Type.Normal),
  JobDeleted(Type.Warning),
  StageStalled(Type.Warning),
  SpecEditRejected(Type.Warning),
  StageProgressing(Type.Normal),
  ManifestsMissing(Type.Warning),
  Suspending(Type.Normal),
  Suspended(Type.Normal),
  Resumed(Type.Normal),
  Restarted(Type.Normal),
  EvaluationStarted(Type.Normal),
  EvaluationSucceeded(Type.Normal),
  EvaluationRetrying(Type.Warning),
  EvaluationFailed(Type.Warning),
  ExperimentSucceeded(Type.Normal),
  ExperimentFailed(Type.Warning),
  LagCandidatesStarted(Type.Normal),
  LagDecided(Type.Normal),
  StagesShared(Type.Normal),
  ChildCreated(Type.Normal),
  SweepReportStarted(Type.Normal),
  SweepSucceeded(Type.Normal),
  SweepFailed(Type.Warning),
  StorageUnavailable(Type.Warning),
  StoreCredentialsForbidden(Type.Warning),
  StorageAvailable(Type.Normal),
  ReconcileFailed(Type.Warning);

  /** Kubernetes event types. */
  public enum Type {
    Normal,
    Warning
  }

  private final Type type;

  Reason(Type type) {
    this.type = type;
  }

  public Type type() {
    return type;
  }
}
