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
  Restarted;

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
