package dev.midas.stacking.runner;

import dev.midas.plan.spec.InvalidSpecException;
import dev.midas.proto.ExitClass;
import dev.midas.stacking.data.DatasetException;
import dev.midas.stacking.growth.GrowthException;
import dev.midas.stacking.model.ModelConfigException;
import dev.midas.stacking.train.DivergedException;
import dev.midas.store.artifact.CorruptArtifactException;
import java.util.Locale;
import picocli.CommandLine;

/**
 * The stage pod's exit codes, mapped in this one place: 0 done, 2 bad spec or arguments (no retry),
 * 3 diverged (NaN loss), 4 out of memory, 5 transient or infrastructure (retry), 6 preempted after
 * a checkpoint (resume), 7 corrupt input (no retry). The operator and the local runner read the
 * same table back with {@link #exitClass(int)}.
 */
public final class StageExitCodes {
  private StageExitCodes() {}

  public static int code(ExitClass c) {
    return switch (c) {
      case EXIT_CLASS_DONE -> 0;
      case EXIT_CLASS_BAD_SPEC -> 2;
      case EXIT_CLASS_DIVERGED -> 3;
      case EXIT_CLASS_OUT_OF_MEMORY -> 4;
      case EXIT_CLASS_PREEMPTED -> 6;
      case EXIT_CLASS_CORRUPT_INPUT -> 7;
      case EXIT_CLASS_TRANSIENT, EXIT_CLASS_UNSPECIFIED, UNRECOGNIZED -> 5;
    };
  }

  /** The class of a process exit code; anything unknown (a crash, SIGKILL: 137) is transient. */
  public static ExitClass exitClass(int code) {
    return switch (code) {
      case 0 -> ExitClass.EXIT_CLASS_DONE;
      case 2 -> ExitClass.EXIT_CLASS_BAD_SPEC;
      case 3 -> ExitClass.EXIT_CLASS_DIVERGED;
      case 4 -> ExitClass.EXIT_CLASS_OUT_OF_MEMORY;
      case 6 -> ExitClass.EXIT_CLASS_PREEMPTED;
      case 7 -> ExitClass.EXIT_CLASS_CORRUPT_INPUT;
      default -> ExitClass.EXIT_CLASS_TRANSIENT;
    };
  }

  /** Whether running the stage again (resuming from its latest checkpoint) can help. */
  public static boolean retryable(ExitClass c) {
    return c == ExitClass.EXIT_CLASS_TRANSIENT || c == ExitClass.EXIT_CLASS_PREEMPTED;
  }

  /** The class of a failure. */
  public static ExitClass classify(Throwable t) {
    for (Throwable e = t; e != null; e = e.getCause()) {
      ExitClass c = direct(e);
      if (c != null) {
        return c;
      }
    }
    return ExitClass.EXIT_CLASS_TRANSIENT;
  }

  private static ExitClass direct(Throwable e) {
    if (e instanceof StageException s) {
      return s.exitClass();
    }
    if (e instanceof InvalidSpecException
        || e instanceof CommandLine.ParameterException
        || e instanceof GrowthException
        || e instanceof ModelConfigException) {
      return ExitClass.EXIT_CLASS_BAD_SPEC;
    }
    if (e instanceof DivergedException) {
      return ExitClass.EXIT_CLASS_DIVERGED;
    }
    if (e instanceof OutOfMemoryError || mentionsOutOfMemory(e)) {
      return ExitClass.EXIT_CLASS_OUT_OF_MEMORY;
    }
    if (e instanceof CorruptArtifactException || e instanceof DatasetException) {
      return ExitClass.EXIT_CLASS_CORRUPT_INPUT;
    }
    return null;
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
