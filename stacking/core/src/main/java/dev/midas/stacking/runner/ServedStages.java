package dev.midas.stacking.runner;

import dev.midas.plan.exit.ExitClass;
import dev.midas.proto.StageResult;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs a local experiment's stages in as few processes as it can ({@link StageServer}): a run's
 * first stage starts a serving stage process, and each next stage goes to the process of the stage
 * before it while that one ended well, so it skips the JVM start, class loading, JIT warm-up,
 * engine load and data read a fresh process pays. A stage that did not succeed ends its process (a
 * retry starts afresh), as does one the process declined (then the stage runs at once in a fresh
 * process); the process left when the run ends is ended by {@link #close()}. Unlike a spare process
 * started beside the training stage, this costs no CPU while a stage trains.
 */
final class ServedStages implements AutoCloseable {
  /** How long a process gets to end after stdin closes, then after SIGTERM, before SIGKILL. */
  private static final long REAP_MILLIS = 5_000;

  private final List<String> jvmOptions;
  private final PrintStream log;
  private Served served;

  /** A serving stage process between stages, with the reader of its stdout. */
  private record Served(Process process, BufferedReader stdout) {}

  /**
   * @param log where a stage that had to move to a fresh process is noted
   */
  ServedStages(List<String> jvmOptions, PrintStream log) {
    this.jvmOptions = List.copyOf(jvmOptions);
    this.log = log;
  }

  /** Runs one stage: on the previous stage's process when it is there, else on a fresh one. */
  StageProcess.Outcome run(List<String> args, PrintStream out)
      throws IOException, InterruptedException {
    Optional<String> message = StageServer.message(args);
    if (message.isEmpty()) {
      close(); // arguments that cannot travel on stdin: a process of their own, as a pod gets
      return StageProcess.run(jvmOptions, args, out);
    }
    long start = System.nanoTime();
    Served s = served;
    served = null;
    boolean reused = s != null && hand(s, message.get());
    if (!reused) {
      if (s != null) {
        reap(s.process());
      }
      s = fresh(message.get());
    }
    StageProcess.Outcome o = collect(s, out, start);
    if (reused && o.exitCode() == StageServer.DECLINED && o.result().isEmpty()) {
      log.println("the run's stage process declined this stage; running it in a fresh process");
      start = System.nanoTime();
      s = fresh(message.get());
      o = collect(s, out, start);
    }
    return o;
  }

  private Served fresh(String message) throws IOException {
    Process p = StageProcess.start(jvmOptions, List.of(StageServer.FLAG));
    Served s =
        new Served(
            p,
            new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)));
    hand(s, message); // if it died already, collect finds out
    return s;
  }

  /** Sends a stage's arguments; false when the process has ended. */
  private static boolean hand(Served s, String message) {
    if (!s.process().isAlive()) {
      return false;
    }
    try {
      OutputStream in = s.process().getOutputStream();
      in.write(message.getBytes(StandardCharsets.UTF_8));
      in.flush();
      return true;
    } catch (IOException gone) {
      return false; // it died between the check and the write
    }
  }

  /**
   * Reads a stage's output: echoes its stdout, parses its result line. A stage that succeeded
   * leaves its process serving, kept for the next stage; any other outcome is read to the process's
   * end, for its exit code.
   */
  private StageProcess.Outcome collect(Served s, PrintStream out, long startNanos)
      throws IOException, InterruptedException {
    Optional<StageResult> result = Optional.empty();
    for (String line = s.stdout().readLine(); line != null; line = s.stdout().readLine()) {
      if (!StageProcess.isResultLine(line)) {
        out.println(line);
        continue;
      }
      result = Optional.of(StageOutputs.parse(line));
      if (ExitClass.of(result.get().getExitClass()).code() == 0) {
        served = s;
        return new StageProcess.Outcome(0, result, (System.nanoTime() - startNanos) / 1e9);
      }
    }
    s.stdout().close();
    int code = s.process().waitFor();
    return new StageProcess.Outcome(code, result, (System.nanoTime() - startNanos) / 1e9);
  }

  /** The process kept for the next stage, if any (tests). */
  Optional<Process> served() {
    return Optional.ofNullable(served).map(Served::process);
  }

  /** Ends the process kept for a next stage: stdin closes, then SIGTERM, then SIGKILL. */
  @Override
  public void close() {
    Served s = served;
    served = null;
    if (s != null) {
      reap(s.process());
    }
  }

  private static void reap(Process p) {
    try {
      p.getOutputStream().close(); // end of input: a serving process ends by itself
      if (!p.waitFor(REAP_MILLIS, TimeUnit.MILLISECONDS)) {
        p.destroy();
        if (!p.waitFor(REAP_MILLIS, TimeUnit.MILLISECONDS)) {
          p.destroyForcibly().waitFor(REAP_MILLIS, TimeUnit.MILLISECONDS);
        }
      }
    } catch (IOException alreadyClosed) {
      p.destroy();
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
