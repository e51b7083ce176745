package dev.midas.cli;

import dev.midas.cli.corpus.CorpusIntegrityException;
import dev.midas.plan.spec.InvalidSpecException;
import java.io.IOException;
import java.io.UncheckedIOException;
import picocli.CommandLine;

/**
 * Maps a failure to one line on stderr and an exit code, in one place: 2 bad input (no point
 * retrying), 3 corrupt input, 4 I/O or network (may succeed on retry), 1 anything else.
 */
final class ExitCodes implements CommandLine.IExecutionExceptionHandler {
  static final int BAD_INPUT = 2;
  static final int CORRUPT_INPUT = 3;
  static final int IO = 4;

  @Override
  public int handleExecutionException(
      Exception e, CommandLine cmd, CommandLine.ParseResult parseResult) {
    int code = code(e);
    cmd.getErr().println("midas: " + message(e));
    if (code == 1) {
      e.printStackTrace(cmd.getErr());
    }
    return code;
  }

  static int code(Throwable e) {
    if (e instanceof CorpusIntegrityException) {
      return CORRUPT_INPUT;
    }
    if (e instanceof IllegalArgumentException || e instanceof InvalidSpecException) {
      return BAD_INPUT;
    }
    if (e instanceof IOException || e instanceof UncheckedIOException) {
      return IO;
    }
    return 1;
  }

  private static String message(Throwable e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }
}
