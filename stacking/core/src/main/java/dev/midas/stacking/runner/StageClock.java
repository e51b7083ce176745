package dev.midas.stacking.runner;

import dev.midas.proto.StageTimings;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Splits a stage process's wall clock into the phases of {@link StageTimings}: the stage log and
 * the result line both carry the split, so a slow stage says where its time went. Phases are timed
 * one after another on the stage's thread; what none of them names is {@code other}.
 *
 * <p>A clock made by {@link #sinceProcessStart()} counts from the process's start as the operating
 * system recorded it, so JVM start-up and class loading before {@code main} are in the split too.
 */
final class StageClock {
  /** USER_HZ of Linux's /proc files: 100 on every common architecture. */
  private static final double CLOCK_TICKS = 100;

  private final long originNanos;
  private final double jvmStart;
  private final StageTimings.Builder t = StageTimings.newBuilder();

  private final long startedAtMillis;
  private final boolean prestarted;

  private StageClock(double jvmStart, double prestarted) {
    this.originNanos = System.nanoTime();
    this.jvmStart = jvmStart;
    this.startedAtMillis = System.currentTimeMillis() - Math.round(jvmStart * 1e3);
    this.prestarted = prestarted > 0;
    t.setJvmStart(jvmStart);
    t.setPrestarted(prestarted);
  }

  /** Seconds from the process's start to this clock (JVM start-up, when made in {@code main}). */
  double jvmStart() {
    return jvmStart;
  }

  /**
   * For a stage given to a process that ran before it (a local run's earlier stages): the stage
   * counts from its arguments; the process's {@code prestarted} seconds before them are recorded
   * apart, outside the total.
   */
  static StageClock afterPrestart(double prestarted) {
    return new StageClock(0, Math.max(prestarted, Double.MIN_VALUE));
  }

  /** Whether this stage's process ran before its arguments came (earlier stages). */
  boolean prestarted() {
    return prestarted;
  }

  /** When this attempt started (Unix epoch milliseconds): its process's start, or the clock's. */
  long startedAtMillis() {
    return startedAtMillis;
  }

  /** For a stage process's {@code main}: JVM start-up counts from the process's start. */
  static StageClock sinceProcessStart() {
    return new StageClock(secondsSinceProcessStart(), 0);
  }

  /**
   * Seconds since the kernel started this process: {@code /proc/self/stat}'s start time against
   * {@code /proc/uptime}, both counted from boot in clock ticks (10 ms). Elsewhere, since the JVM
   * recorded its own start, which misses only the launcher's first milliseconds.
   */
  static double secondsSinceProcessStart() {
    try {
      String stat = Files.readString(Path.of("/proc/self/stat"));
      // Fields after the command name, which is in parentheses and may hold spaces.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      double startTicks = Double.parseDouble(f[19]); // field 22 of proc(5)
      double uptime = Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split(" ")[0]);
      return Math.max(0, uptime - startTicks / CLOCK_TICKS);
    } catch (IOException | RuntimeException notLinux) {
      long started = ManagementFactory.getRuntimeMXBean().getStartTime();
      return Math.max(0, (System.currentTimeMillis() - started) / 1e3);
    }
  }

  /** For a stage run inside a longer-lived JVM (tests): no start-up to count. */
  static StageClock startingNow() {
    return new StageClock(0, 0);
  }

  /** Marks the start of a phase; {@link Lap#stop()} returns its seconds. */
  Lap lap() {
    return new Lap(System.nanoTime());
  }

  /** One phase being timed. */
  record Lap(long startNanos) {
    double stop() {
      return (System.nanoTime() - startNanos) / 1e9;
    }
  }

  /** Seconds since this clock was made ({@code main}'s start in a stage process). */
  double sinceStart() {
    return (System.nanoTime() - originNanos) / 1e9;
  }

  StageTimings.Builder timings() {
    return t;
  }

  /** The split up to now: total from the process start, other what the phases leave. */
  StageTimings finish() {
    double total = jvmStart + (System.nanoTime() - originNanos) / 1e9;
    double named =
        t.getJvmStart()
            + t.getSetup()
            + t.getEngineLoad()
            + t.getStartLoad()
            + t.getDataOpen()
            + t.getTraining()
            + t.getPeriodicCheckpoints()
            + t.getValidation()
            + t.getFinalCheckpoint()
            + t.getGrownCheckpoint()
            + t.getRetention();
    return t.setTotal(total).setOther(Math.max(0, total - named)).build();
  }

  /** One log line: every phase, and the time beyond the training loop. */
  static String describe(StageTimings s) {
    return String.format(
        Locale.ROOT,
        "%.2f s: jvm start %.2f, setup %.2f, engine %.2f, start state %.2f, data %.2f,"
            + " training %.2f, periodic checkpoints %.2f, validation %.2f, final checkpoint %.2f,"
            + " grown checkpoint %.2f, retention %.2f, other %.2f; beyond the training loop %.2f s%s",
        s.getTotal(),
        s.getJvmStart(),
        s.getSetup(),
        s.getEngineLoad(),
        s.getStartLoad(),
        s.getDataOpen(),
        s.getTraining(),
        s.getPeriodicCheckpoints(),
        s.getValidation(),
        s.getFinalCheckpoint(),
        s.getGrownCheckpoint(),
        s.getRetention(),
        s.getOther(),
        s.getTotal() - s.getTraining(),
        s.getPrestarted() > 0
            ? String.format(
                Locale.ROOT, " (its process started %.2f s before, not counted)", s.getPrestarted())
            : "");
  }
}
