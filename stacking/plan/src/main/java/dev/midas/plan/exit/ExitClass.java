package dev.midas.plan.exit;

/**
 * The one table of how a stage (or evaluation) process can end: its exit code, whether another
 * attempt can help, and whether the attempt counts against {@code retry.limit}. The stage runner
 * exits with these codes, and the operator and the local runner read them back with {@link
 * #of(int)} and decide with {@link RetryPolicy}, so a run is retried the same way on a laptop and
 * on a cluster.
 *
 * <p>Why each row is what it is: a bad spec, a diverged run (training is deterministic on the same
 * data, it would diverge again) and corrupt input never get better; running out of memory often
 * comes from the node (other pods, a fragmented accelerator heap) rather than the run, so it is
 * retried from the latest checkpoint, and {@code retry.limit} bounds a run that always needs more;
 * a preemption after a checkpoint loses nothing and is resumed without counting; a process that
 * ended outside the contract (a crash, a kill: 1, 137, 143) may well succeed again and counts.
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

  /** The process exit code of this class. */
  public int code() {
    return code;
  }

  /** Whether another attempt, resuming from the latest checkpoint, can help. */
  public boolean retryable() {
    return retryable;
  }

  /** Whether the attempt counts against {@code retry.limit}. */
  public boolean countsAsFailure() {
    return countsAsFailure;
  }

  /** The class of a process exit code; a code outside the table is {@link #UNKNOWN}. */
  public static ExitClass of(int exitCode) {
    for (ExitClass c : values()) {
      if (c.code == exitCode) {
        return c;
      }
    }
    return UNKNOWN;
  }

  /** The class a result message carries (its wire form). */
  public static ExitClass of(dev.midas.proto.ExitClass wire) {
    return switch (wire) {
      case EXIT_CLASS_DONE -> DONE;
      case EXIT_CLASS_BAD_SPEC -> BAD_SPEC;
      case EXIT_CLASS_DIVERGED -> DIVERGED;
      case EXIT_CLASS_OUT_OF_MEMORY -> OUT_OF_MEMORY;
      case EXIT_CLASS_TRANSIENT -> TRANSIENT;
      case EXIT_CLASS_PREEMPTED -> PREEMPTED;
      case EXIT_CLASS_CORRUPT_INPUT -> CORRUPT_INPUT;
      case EXIT_CLASS_UNKNOWN, EXIT_CLASS_UNSPECIFIED, UNRECOGNIZED -> UNKNOWN;
    };
  }

  /** This class in result messages (the stage's JSON result line and {@code result.json}). */
  public dev.midas.proto.ExitClass wire() {
    return switch (this) {
      case DONE -> dev.midas.proto.ExitClass.EXIT_CLASS_DONE;
      case UNKNOWN -> dev.midas.proto.ExitClass.EXIT_CLASS_UNKNOWN;
      case BAD_SPEC -> dev.midas.proto.ExitClass.EXIT_CLASS_BAD_SPEC;
      case DIVERGED -> dev.midas.proto.ExitClass.EXIT_CLASS_DIVERGED;
      case OUT_OF_MEMORY -> dev.midas.proto.ExitClass.EXIT_CLASS_OUT_OF_MEMORY;
      case TRANSIENT -> dev.midas.proto.ExitClass.EXIT_CLASS_TRANSIENT;
      case PREEMPTED -> dev.midas.proto.ExitClass.EXIT_CLASS_PREEMPTED;
      case CORRUPT_INPUT -> dev.midas.proto.ExitClass.EXIT_CLASS_CORRUPT_INPUT;
    };
  }
}
