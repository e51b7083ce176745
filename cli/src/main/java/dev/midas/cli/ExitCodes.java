package dev.midas.cli;

import dev.midas.cli.corpus.CorpusIntegrityException;
import dev.midas.plan.exit.ExitClass;
import dev.midas.plan.spec.InvalidSpecException;
import dev.midas.stacking.runner.StageException;
import dev.midas.store.artifact.CorruptArtifactException;
import java.io.IOException;
import java.io.UncheckedIOException;
import picocli.CommandLine;

/**
 * Maps a failure to one line on stderr and an exit code, in one place, with the codes of the plan's
 * exit-class table: 2 bad input (no point retrying), 7 corrupt input, 5 I/O or network (may succeed
 * on retry), a failed stage's own code, and 1 anything else.
 */
final class ExitCodes implements CommandLine.IExecutionExceptionHandler {

  @Override
  public int handleExecutionException(
      Exception e, CommandLine cmd, CommandLine.ParseResult parseResult) {
    ExitClass c = exitClass(e);
    cmd.getErr().println("midas: " + message(e));
    if (c == ExitClass.UNKNOWN) {
      e.printStackTrace(cmd.getErr());
    }
    return c.code();
  }

  static ExitClass exitClass(Throwable e) {
    if (e instanceof StageException s) {
      return s.exitClass();
    }
    if (e instanceof CorpusIntegrityException || e instanceof CorruptArtifactException) {
      return ExitClass.CORRUPT_INPUT;
    }
    if (e instanceof IllegalArgumentException || e instanceof InvalidSpecException) {
      return ExitClass.BAD_SPEC;
    }
    if (e instanceof IOException || e instanceof UncheckedIOException) {
      return ExitClass.TRANSIENT;
    }
    return ExitClass.UNKNOWN;
  }

  private static String message(Throwable e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }
}
