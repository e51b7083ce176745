package dev.midas.stacking.runner;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * A stage process that runs its run's stages one after another, taking each one's arguments on
 * stdin: {@code StageRunner --serve}. A local runner starts one for a run's first stage and, when a
 * stage ends well, hands the same process the next stage, so every stage but the first finds its
 * JVM started, its classes loaded and compiled, the engine loaded and the run's windows read: what
 * a fresh process pays again every stage (on the tiny CPU model 0.7-0.9 s more than a reused one on
 * 2 idle cores, 1-1.3 s under load), and what cluster schedulers keep warm executors for. Nothing
 * else carries over: each stage reads its checkpoint from the store and seeds its own randomness,
 * so a stage run here gives the numbers it gives in a fresh process.
 *
 * <p>Each stage is an ordinary stage: the same {@link StageRunner} code, exit codes and result
 * line, which for the runner also marks the stage's end, since the process lives on. The process
 * ends after a stage that did not succeed (a retry gets a fresh process), when stdin closes (the
 * run ended, or the runner died), and on SIGTERM (a stage in progress stops as a stage process
 * does). A stage that needs another TF32 setting than the one the engine loaded with (libtorch
 * reads it once, at load) is declined before anything is written: exit {@link #DECLINED} without a
 * result line, and the runner starts that stage in a fresh process.
 *
 * <p>Arguments come as one line with their count, then one line each.
 */
final class StageServer {
  /** The only argument of a serving stage process; its stages' arguments come on stdin. */
  static final String FLAG = "--serve";

  /**
   * Exit code of a process that cannot run the stage it was given (outside the exit-class table).
   */
  static final int DECLINED = 75;

  private StageServer() {}

  /** Raised by a stage before anything is written, when the loaded engine cannot run it. */
  static final class Declined extends RuntimeException {
    Declined(String message) {
      super(message);
    }
  }

  static boolean is(String[] args) {
    return args.length > 0 && FLAG.equals(args[0]);
  }

  /** Where a serving process reads its stages' arguments, one message after another. */
  static BufferedReader input(InputStream in) {
    return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
  }

  /**
   * The next stage's arguments: one line with the count, then one argument a line; empty at the end
   * of input, also when it ends inside a message (the runner died while sending).
   */
  static Optional<String[]> read(BufferedReader lines) throws IOException {
    String count = lines.readLine();
    if (count == null) {
      return Optional.empty();
    }
    int n = Integer.parseInt(count.trim());
    String[] args = new String[n];
    for (int i = 0; i < n; i++) {
      args[i] = lines.readLine();
      if (args[i] == null) {
        return Optional.empty();
      }
    }
    return Optional.of(args);
  }

  /** The form {@link #read} reads; empty when an argument cannot be sent on one line. */
  static Optional<String> message(List<String> args) {
    StringBuilder b = new StringBuilder().append(args.size()).append('\n');
    for (String a : args) {
      if (a.indexOf('\n') >= 0 || a.indexOf('\r') >= 0) {
        return Optional.empty();
      }
      b.append(a).append('\n');
    }
    return Optional.of(b.toString());
  }
}
