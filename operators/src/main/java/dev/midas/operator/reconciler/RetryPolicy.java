package dev.midas.operator.reconciler;

import dev.midas.operator.observer.ExitClass;
import dev.midas.plan.spec.ResolvedSpec;
import java.time.Duration;
import java.util.Optional;

/**
 * What to do after a stage attempt ends without success: never retry what cannot get better (a bad
 * spec, divergence, corrupt input); otherwise back off exponentially ({@code backoffSeconds *
 * 2^(n-1)} after the n-th counted failure, capped at an hour) until {@code retry.limit} failures
 * are spent. A preemption after a checkpoint is resumed at once and not counted.
 */
public final class RetryPolicy {
  static final Duration MAX_BACKOFF = Duration.ofHours(1);

  private RetryPolicy() {}

  /** The delay before the next attempt, or empty when the stage has failed for good. */
  public static Optional<Duration> next(ResolvedSpec.Retry retry, ExitClass exit, int failures) {
    if (!exit.retryable()) {
      return Optional.empty();
    }
    if (!exit.countsAsFailure()) {
      return Optional.of(Duration.ZERO);
    }
    if (failures > retry.limit()) {
      return Optional.empty();
    }
    long seconds = retry.backoffSeconds() << Math.min(failures - 1, 20);
    Duration d = Duration.ofSeconds(Math.max(0, seconds));
    return Optional.of(d.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : d);
  }
}
