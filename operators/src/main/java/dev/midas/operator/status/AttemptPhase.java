package dev.midas.operator.status;

/**
 * The phase words of a retried piece of work the operator runs as Jobs besides the stages (a LAG
 * candidate, a sweep's comparison report), as their status shows them: one vocabulary for both.
 */
public final class AttemptPhase {
  public static final String PENDING = "Pending";
  public static final String RUNNING = "Running";
  public static final String BACKING_OFF = "BackingOff";
  public static final String SUCCEEDED = "Succeeded";
  public static final String FAILED = "Failed";

  private AttemptPhase() {}
}
