package dev.midas.operator.lifecycle;

/** Where one stage stands. Stored in {@code status.stages[i].phase}. */
public enum StagePhase {
  /** Not started: an earlier stage is still running, or nothing has been launched yet. */
  Pending,
  /** Its Job waits for its queue (Kueue) to admit it, or was preempted by the queue. */
  Queued,
  /** Its Job exists, admitted, and has not finished. */
  Running,
  /**
   * Its Job was deleted (by spec.suspend, by hand, by a TTL) and its pod may still be writing a
   * checkpoint: nothing else starts for this stage until the pod is gone.
   */
  Stopping,
  /** An attempt failed; the next one starts at {@code retryAfter}. */
  BackingOff,
  /** The Job was stopped after a checkpoint because {@code spec.suspend} is true. */
  Suspended,
  /** The Job succeeded and the stage-final (and grown) manifests are committed. */
  Succeeded,
  /** Failed for good: a non-retryable exit or the retry limit was reached. */
  Failed,
  /** Taken over from another experiment of the same sweep that trained the identical stage. */
  Shared;

  public boolean isDone() {
    return this == Succeeded || this == Shared;
  }

  public static StagePhase of(String value) {
    return value == null ? Pending : valueOf(value);
  }
}
