package dev.midas.stacking.runner;

import dev.midas.plan.exit.ExitClass;
import dev.midas.plan.spec.InvalidSpecException;
import dev.midas.stacking.data.DatasetException;
import dev.midas.stacking.growth.GrowthException;
import dev.midas.stacking.model.ModelConfigException;
import dev.midas.stacking.train.DivergedException;
import dev.midas.store.artifact.CorruptArtifactException;
import java.util.Locale;
import picocli.CommandLine;

/**
 * Which {@link ExitClass} a failure inside a stage or evaluation process belongs to. The codes and
 * what is retried are the plan's exit-class table; this class only maps exceptions onto it.
 */
public final class StageExitCodes {
  private StageExitCodes() {}

  /** The class of a failure; one the runner cannot place (an I/O error, say) is transient. */
  public static ExitClass classify(Throwable t) {
    for (Throwable e = t; e != null; e = e.getCause()) {
      ExitClass c = direct(e);
      if (c != null) {
        return c;
      }
    }
    return ExitClass.TRANSIENT;
  }

  private static ExitClass direct(Throwable e) {
    if (e instanceof StageException s) {
      return s.exitClass();
    }
    if (overflow(e)
        || e instanceof InvalidSpecException
        || e instanceof CommandLine.ParameterException
        || e instanceof GrowthException
        || e instanceof ModelConfigException) {
      return ExitClass.BAD_SPEC;
    }
    if (e instanceof DivergedException) {
      return ExitClass.DIVERGED;
    }
    if (e instanceof OutOfMemoryError || mentionsOutOfMemory(e)) {
      return ExitClass.OUT_OF_MEMORY;
    }
    if (e instanceof CorruptArtifactException || e instanceof DatasetException) {
      return ExitClass.CORRUPT_INPUT;
    }
    return null;
  }

  /**
   * Sizes that overflow (Math.*Exact: "integer overflow", "long overflow") fail the same way on
   * every retry: the spec asks for more than the runner can compute, whatever the validator let
   * through. Other arithmetic errors (a division by a zero duration) may not repeat.
   */
  private static boolean overflow(Throwable e) {
    return e instanceof ArithmeticException
        && e.getMessage() != null
        && e.getMessage().endsWith(" overflow");
  }

  /** PyTorch reports allocation failures (CPU and CUDA) as engine errors with this text. */
  private static boolean mentionsOutOfMemory(Throwable e) {
    String m = e.getMessage();
    if (m == null) {
      return false;
    }
    String lower = m.toLowerCase(Locale.ROOT);
    return lower.contains("out of memory") || lower.contains("defaultcpuallocator: can't allocate");
  }
}
