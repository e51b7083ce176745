package dev.midas.plan.exit;

import dev.midas.plan.spec.ResolvedSpec;
import java.time.Duration;
import java.util.Optional;

/**
 * What to do after an attempt ends without success, for the operator and the local runner alike:
 * never retry what cannot get better ({@link ExitClass#retryable()}); resume a preemption at once
 * without counting it; otherwise back off exponentially ({@code backoffSeconds * 2^(n-1)} after the
 * n-th counted failure, capped at an hour) until more than {@code retry.limit} failures are
 * counted.
 */
public final class RetryPolicy {
  static final Duration MAX_BACKOFF = Duration.ofHours(1);

  private RetryPolicy() {}

  /**
   * The delay before the next attempt, or empty when the work has failed for good.
   *
   * @param failures counted failures so far, this attempt included
   */
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
    long seconds = retry.backoffSeconds() << Math.min(Math.max(failures - 1, 0), 20);
    Duration d = Duration.ofSeconds(Math.max(0, seconds));
    return Optional.of(d.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : d);
  }
}
