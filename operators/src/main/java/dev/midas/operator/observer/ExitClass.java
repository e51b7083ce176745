package dev.midas.operator.observer;

/**
 * The stage pod contract's exit codes (ARCHITECTURE.md), mapped once to what the operator does:
 * retry, give up, or resume without counting a failure.
 */
public enum ExitClass {
  DONE(0, false, false),
  UNKNOWN(1, true, true),
  BAD_SPEC(2, false, true),
  DIVERGED(3, false, true),
  OUT_OF_MEMORY(4, true, true),
  TRANSIENT(5, true, true),
  PREEMPTED(6, true, false),
  CORRUPT_INPUT(7, false, true);

  private final int code;
  private final boolean retryable;
  private final boolean countsAsFailure;

  ExitClass(int code, boolean retryable, boolean countsAsFailure) {
    this.code = code;
    this.retryable = retryable;
    this.countsAsFailure = countsAsFailure;
  }

  public int code() {
    return code;
  }

  /**
   * Whether another attempt can help. A bad spec, a diverged run (training is deterministic, it
   * would diverge again) and corrupt input never can.
   */
  public boolean retryable() {
    return retryable;
  }

  /**
   * Whether the attempt counts against {@code retry.limit}; a preemption after a checkpoint does
   * not.
   */
  public boolean countsAsFailure() {
    return countsAsFailure;
  }

  /** Exit codes outside the contract (a crash, a kill: 137, 143) are treated as UNKNOWN. */
  public static ExitClass of(int exitCode) {
    for (ExitClass c : values()) {
      if (c.code == exitCode) {
        return c;
      }
    }
    return UNKNOWN;
  }
}
