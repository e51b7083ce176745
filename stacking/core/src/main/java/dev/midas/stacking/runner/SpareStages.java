package dev.midas.stacking.runner;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs a local experiment's stage processes with one warm spare ({@link SpareStage}) kept ahead:
 * when a stage starts and another launch is to follow, a spare process starts beside it, loads what
 * every stage loads, and waits; the next launch hands it its arguments instead of starting a JVM.
 * Every stage of a run but the first thus pays its process's start-up while the previous stage
 * trains. A spare that cannot take its stage (it died, or declined) gives way to a cold start of
 * the same arguments; one not needed when the run ends is reaped by {@link #close()}.
 */
final class SpareStages implements AutoCloseable {
  /** How long a reaped spare gets to end after stdin closes and SIGTERM, before it is killed. */
  private static final long REAP_MILLIS = 5_000;

  private final List<String> jvmOptions;
  private final List<String> spareArguments;
  private final PrintStream log;
  private Process spare;

  /**
   * @param spareArguments what the spares prepare for ({@link SpareStage#arguments})
   * @param log where a spare that gave way is noted
   */
  SpareStages(List<String> jvmOptions, List<String> spareArguments, PrintStream log) {
    this.jvmOptions = List.copyOf(jvmOptions);
    this.spareArguments = List.copyOf(spareArguments);
    this.log = log;
  }

  /**
   * Runs one stage process to its end, on the spare when there is one, and starts the next spare
   * beside it when {@code another} launch is to follow.
   */
  StageProcess.Outcome run(List<String> args, PrintStream out, boolean another)
      throws IOException, InterruptedException {
    long start = System.nanoTime();
    Optional<Process> warm = hand(args);
    Process p = warm.isPresent() ? warm.get() : StageProcess.start(jvmOptions, args);
    if (another) {
      spare = StageProcess.start(jvmOptions, spareArguments);
    }
    StageProcess.Outcome o = StageProcess.collect(p, out, start);
    if (warm.isPresent() && o.exitCode() == SpareStage.DECLINED && o.result().isEmpty()) {
      log.println("the spare stage process gave way; starting the stage cold");
      return StageProcess.collect(StageProcess.start(jvmOptions, args), out, System.nanoTime());
    }
    return o;
  }

  /** The spare, given {@code args}; empty when there is none or it could not take them. */
  private Optional<Process> hand(List<String> args) {
    Process p = spare;
    spare = null;
    if (p == null) {
      return Optional.empty();
    }
    Optional<String> message = SpareStage.message(args);
    if (message.isEmpty() || !p.isAlive()) {
      reap(p);
      return Optional.empty();
    }
    try (OutputStream in = p.getOutputStream()) {
      in.write(message.get().getBytes(StandardCharsets.UTF_8));
    } catch (IOException gone) {
      reap(p); // it died between the check and the write
      return Optional.empty();
    }
    return Optional.of(p);
  }

  /** Whether a spare is waiting (tests). */
  Optional<Process> spare() {
    return Optional.ofNullable(spare);
  }

  /** Ends the spare, if one is waiting: stdin closes, then SIGTERM, then SIGKILL. */
  @Override
  public void close() {
    Process p = spare;
    spare = null;
    if (p != null) {
      reap(p);
    }
  }

  private static void reap(Process p) {
    try {
      p.getOutputStream().close(); // end of input: a prepared spare ends by itself
    } catch (IOException ignored) {
      // already closed
    }
    p.destroy();
    try {
      if (!p.waitFor(REAP_MILLIS, TimeUnit.MILLISECONDS)) {
        p.destroyForcibly().waitFor(REAP_MILLIS, TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
