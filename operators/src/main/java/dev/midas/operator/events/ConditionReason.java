package dev.midas.operator.events;

import dev.midas.plan.exit.ExitClass;

/**
 * Every reason the operator ever gives a condition: a closed list, so scripts waiting on a
 * condition can match on it. Kept beside {@link Reason}, the event reasons.
 */
public enum ConditionReason {
  /** InvalidSpec is True: the spec cannot run. */
  InvalidSpec,
  /** InvalidSpec is False again: the spec validates. */
  Valid,
  /** Failed is True: a retryable failure happened more than {@code retry.limit} times. */
  RetryLimitReached,
  /** Failed is True: exit 2, the stage found the spec or its arguments wrong. */
  BadSpec,
  /** Failed is True: exit 3, the loss became NaN or infinite. */
  Diverged,
  /** Failed is True: exit 7, a checkpoint or dataset failed verification. */
  CorruptInput,
  /** Failed is True for another class that no retry can fix. */
  StageFailed,
  /** Failed is False again: a new {@code spec.restartNonce} restarted the experiment. */
  Restarted,
  /** Failed is False again: the invalid spec was edited into a valid one. */
  SpecFixed,
  /** StorageUnavailable is True: the run's object store cannot be read. */
  StoreUnreachable,
  /**
   * StorageUnavailable is True: the operator may not read the Secret the experiment names for its
   * own store; the message says which RoleBinding lets it.
   */
  StoreCredentialsForbidden,
  /** StorageUnavailable is False again. */
  StorageAvailable,
  /** Stalled is True: no node can take the stage pod (Kubernetes' reason). */
  Unschedulable,
  /** Stalled is True: the stage image cannot be pulled. */
  ImagePullBackOff,
  /** Stalled is True: the stage image cannot be pulled (first failure). */
  ErrImagePull,
  /** Stalled is True: the image name is not valid. */
  InvalidImageName,
  /** Stalled is True: the pod's env or volumes name a Secret, ConfigMap or key that is missing. */
  CreateContainerConfigError,
  /** Stalled is True: the container runtime could not create the container. */
  CreateContainerError,
  /** Stalled is True: the pod has not started for another reason, named in the message. */
  PodNotStarted,
  /** Stalled is True: the running stage's heartbeat is older than the heartbeat timeout. */
  HeartbeatStale,
  /** Stalled is False again: the stage makes progress. */
  Progressing,
  /** Succeeded is True: every stage committed. */
  AllStagesSucceeded,
  /** Suspended is True: {@code spec.suspend} holds the experiment after a checkpoint. */
  SpecSuspend,
  /** Ready is False (or Succeeded, Suspended): no stage has started yet. */
  Pending,
  /** Ready is False: a stage waits for its queue (Kueue) to admit its Job. */
  Queued,
  /** Ready is True: a stage runs with nothing wrong. */
  Running,
  /** Ready is True: every stage committed, the run is being evaluated. */
  Evaluating,
  /** Ready is False: {@code spec.suspend} holds the experiment. */
  Suspended,
  /** Ready is True, Succeeded is True. */
  Succeeded,
  /** Succeeded is False: the experiment failed. */
  Failed,
  /** Ready is False: the spec was edited after creation; the run goes on with the frozen one. */
  SpecEditRejected,
  /** A sweep's Failed is True: more children failed than its spec.maxFailed. */
  TooManyFailures,
  /** A sweep's Failed is True: every child finished, and some failed. */
  ChildrenFailed,
  /** A sweep's Succeeded is True: every child succeeded (and their comparison report is in). */
  AllChildrenSucceeded,
  /** A sweep's Failed is True: every child succeeded, but their comparison report failed. */
  SweepReportFailed;

  /** The reason Kubernetes gave for a pod that does not start, or {@link #PodNotStarted}. */
  public static ConditionReason ofPod(String kubernetesReason) {
    for (ConditionReason r :
        new ConditionReason[] {
          Unschedulable,
          ImagePullBackOff,
          ErrImagePull,
          InvalidImageName,
          CreateContainerConfigError,
          CreateContainerError
        }) {
      if (r.name().equals(kubernetesReason)) {
        return r;
      }
    }
    return PodNotStarted;
  }

  /** Why an experiment failed for good after an attempt of this class. */
  public static ConditionReason failedBy(ExitClass exit) {
    if (exit.retryable()) {
      return RetryLimitReached;
    }
    return switch (exit) {
      case BAD_SPEC -> BadSpec;
      case DIVERGED -> Diverged;
      case CORRUPT_INPUT -> CorruptInput;
      default -> StageFailed;
    };
  }
}
