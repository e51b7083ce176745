package dev.midas.operator.testing;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/** Polls until a condition holds; fails with what was last seen when it does not in time. */
public final class Await {
  private Await() {}

  public static void until(
      Duration timeout, Callable<Boolean> condition, Supplier<String> lastSeen) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Exception last = null;
    while (System.nanoTime() < deadline) {
      try {
        if (Boolean.TRUE.equals(condition.call())) {
          return;
        }
      } catch (Exception e) {
        last = e;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
    throw new AssertionError(
        "condition not met within " + timeout + "; last seen: " + lastSeen.get(), last);
  }
}
