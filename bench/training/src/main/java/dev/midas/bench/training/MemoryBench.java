package dev.midas.bench.training;

import com.google.protobuf.util.JsonFormat;
import dev.midas.plan.layout.RunLayout;
import dev.midas.proto.Heartbeat;
import dev.midas.stacking.model.PyTorchRuntime;
import dev.midas.stacking.runner.StageRunner;
import dev.midas.store.FileObjectStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Resident memory of a real stage process over a long stage: starts {@link StageRunner} as a child
 * JVM (the stage pod's command) on a small model for {@code --steps} steps with periodic
 * checkpoints, samples its RSS from {@code /proc/<pid>/status} and its step from the heartbeat
 * object, and prints the samples, the peak, and the least-squares slope of RSS against step over
 * the run after warm-up: about zero when nothing grows per step. The child's Java heap is fixed and
 * pre-touched, so what moves is native memory (tensors, allocator caches, JNI handles).
 *
 * <p>{@code --env A=1,B=2} adds to the child's environment (allocator settings such as {@code
 * MALLOC_ARENA_MAX}); {@code --nmt} runs it with the JVM's native memory tracking and prints, from
 * 20% to 90% of the steps, how much of the RSS change the JVM's own native memory (JIT, metaspace,
 * threads, GC) accounts for; the rest is the engine's and the C allocator's. Jumps of 1 MB or more
 * between samples are listed with the periodic checkpoint (every {@code --checkpoint-every} steps)
 * they follow. {@code --trim} asks the child's C allocator to give back what it keeps free ({@code
 * jcmd System.trim_native_heap}) at 95% of the steps and prints the RSS before and after.
 *
 * <p>Measured (2 idle-ish cores, 8000 steps, about 20 ms a step): RSS rises in steps of 1-35 MB,
 * some right after a periodic checkpoint, some not, and partly falls back (513 MB at 20%, 520 at
 * 50%, 526-536 at the end); {@code --trim} at 95% then gave back 44 MB, to 485 MB, below the 501 MB
 * of step 59, so the rise is memory freed but kept by glibc malloc, not live memory. The JVM's own
 * native memory (NMT) grew 15 MB over the same span, 13 of it compiler arena chunks. With {@code
 * MALLOC_ARENA_MAX=2} it still crept (499 to 509 MB; a trim gave back 28 MB); with the JVM's
 * periodic trim ({@code -XX:+UnlockExperimentalVMOptions -XX:TrimNativeHeapInterval=5000} in {@code
 * JAVA_TOOL_OPTIONS}) it stayed between 481 and 499 MB for 7400 steps. A fitted slope over such
 * steps says little; the RSS a trim leaves is the honest bound. Twice more at 3000 steps, without
 * and with the periodic trim in turn: 514 and 521 MB at the end without, 489 and 486 with; the step
 * rates (49.2 vs 38.6, then 29.4 vs 30.9 steps/s) moved with the machine's load more than with the
 * trim, so its cost is not measured yet and stage processes do not set it.
 *
 * <pre>
 * MemoryBench [--steps 8000] [--threads 2] [--every-seconds 1] [--heap 256m]
 *     [--checkpoint-every steps/10] [--env K=V,...] [--nmt] [--trim]
 * </pre>
 */
public final class MemoryBench {
  private MemoryBench() {}

  /** One reading of the child: its RSS and, where read, its thread count. */
  record Sample(double seconds, long step, long rssKb, int threads) {
    Sample(double seconds, long step, long rssKb) {
      this(seconds, step, rssKb, 0);
    }
  }

  public static void main(String[] args) throws Exception {
    BenchArgs a = new BenchArgs(args);
    int steps = a.integer("--steps", 8000);
    int threads = a.integer("--threads", PyTorchRuntime.defaultThreads());
    double every = Double.parseDouble(a.string("--every-seconds", "1"));
    int checkpointEvery = a.integer("--checkpoint-every", Math.max(1, steps / 10));
    boolean nmt = a.flag("--nmt");
    boolean trim = a.flag("--trim");
    boolean trimmed = false;
    Path dir = Files.createTempDirectory("midas-memory-bench");
    Path spec = dir.resolve("memory.yaml");
    Files.writeString(
        spec,
        String.format(
            """
            seed: 1
            model: {vocabSize: 256, dModel: 64, heads: 4, targetLayers: 2, seqLen: 64}
            growth: {operator: baseline}
            schedule: {totalSteps: %d, batchSize: 8, checkpointEvery: %d, keepCheckpoints: 2}
            evaluation: {valBatches: 4}
            """,
            steps, checkpointEvery));
    Path root = dir.resolve("store");
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true",
                // A fixed, pre-touched heap: RSS then moves only with native (engine) memory.
                "-Xms" + a.string("--heap", "256m"),
                "-Xmx" + a.string("--heap", "256m"),
                "-XX:+AlwaysPreTouch",
                "-XX:NativeMemoryTracking=" + (nmt ? "summary" : "off"),
                "-Xlog:gc:file=" + dir.resolve("gc.log") + ":uptime",
                "-cp",
                System.getProperty("java.class.path"),
                StageRunner.class.getName(),
                "--spec",
                spec.toString(),
                "--stage",
                "1",
                "--root",
                root.toUri().toString(),
                "--uid",
                "mem",
                "--name",
                "memory",
                "--threads",
                Integer.toString(threads),
                "--heartbeat-seconds",
                Double.toString(Math.min(1, every))));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    for (String kv : a.string("--env", "").split(",")) {
      if (!kv.isBlank()) {
        int eq = kv.indexOf('=');
        pb.environment().put(kv.substring(0, eq), kv.substring(eq + 1));
      }
    }
    System.out.println(
        "# child env "
            + a.string("--env", "(inherited)")
            + ", checkpoint every "
            + checkpointEvery
            + " steps, logs in "
            + dir);
    Process p =
        pb.redirectErrorStream(true).redirectOutput(dir.resolve("stage.log").toFile()).start();
    FileObjectStore store = new FileObjectStore(root);
    String beat = new RunLayout("memory", "mem").heartbeatKey(1);
    List<Sample> samples = new ArrayList<>();
    long start = System.nanoTime();
    long[] nmtAt = {steps / 5, steps * 9L / 10};
    long[][] nmtKb = new long[2][];
    long trimAt = steps * 19L / 20;
    while (p.isAlive()) {
      long rss = rssKb(p.pid());
      if (rss > 0) {
        long step = step(store, beat);
        samples.add(
            new Sample(
                (System.nanoTime() - start) / 1e9, step, rss, (int) status(p.pid(), "Threads:")));
        for (int i = 0; i < 2; i++) {
          if (nmt && nmtKb[i] == null && step >= nmtAt[i]) {
            nmtKb[i] =
                new long[] {step, rss, nmtCommittedKb(p.pid(), dir.resolve("nmt-" + i + ".txt"))};
          }
        }
        if (trim && !trimmed && step >= trimAt) {
          // glibc's malloc_trim: what it gives back was freed memory the allocator kept.
          trimmed = true;
          String out = jcmd(p.pid(), "System.trim_native_heap").strip().replace('\n', ' ');
          System.out.printf(
              "# trim at step %d: rss %.1f -> %.1f MB; %s%n",
              step, rss / 1024.0, rssKb(p.pid()) / 1024.0, out);
        }
      }
      Thread.sleep((long) (every * 1000));
    }
    if (p.exitValue() != 0) {
      throw new IllegalStateException(
          "stage exited " + p.exitValue() + ": " + Files.readString(dir.resolve("stage.log")));
    }
    // Samples after a trim would bend the fitted slopes down.
    report(samples.stream().filter(x -> !trim || x.step() < trimAt).toList(), steps);
    jumps(samples, checkpointEvery);
    if (nmtKb[0] != null && nmtKb[1] != null && nmtKb[0][2] > 0 && nmtKb[1][2] > 0) {
      System.out.printf(
          "RESULT nmt from_step=%d to_step=%d rss_change_mb=%.1f jvm_native_change_mb=%.1f"
              + " other_change_mb=%.1f%n",
          nmtKb[0][0],
          nmtKb[1][0],
          (nmtKb[1][1] - nmtKb[0][1]) / 1024.0,
          (nmtKb[1][2] - nmtKb[0][2]) / 1024.0,
          ((nmtKb[1][1] - nmtKb[0][1]) - (nmtKb[1][2] - nmtKb[0][2])) / 1024.0);
    }
  }

  /** Rises of 1 MB or more between consecutive samples, with the checkpoint step before each. */
  static void jumps(List<Sample> samples, int checkpointEvery) {
    for (int i = 1; i < samples.size(); i++) {
      Sample a = samples.get(i - 1);
      Sample b = samples.get(i);
      if (b.rssKb() - a.rssKb() >= 1024) {
        System.out.printf(
            "# jump %+.1f MB between steps %d and %d (last checkpoint step %d), threads %d -> %d%n",
            (b.rssKb() - a.rssKb()) / 1024.0,
            a.step(),
            b.step(),
            b.step() / checkpointEvery * checkpointEvery,
            a.threads(),
            b.threads());
      }
    }
  }

  /**
   * The JVM's committed native memory (NMT summary total), or -1 where jcmd fails; the whole
   * summary goes to {@code file}.
   */
  private static long nmtCommittedKb(long pid, Path file) throws IOException {
    String summary = jcmd(pid, "VM.native_memory", "summary");
    Files.writeString(file, summary);
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("Total: reserved=\\d+KB, committed=(\\d+)KB")
            .matcher(summary);
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  /** A diagnostic command's output, or the failure. */
  private static String jcmd(long pid, String... command) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
    cmd.add(Long.toString(pid));
    cmd.addAll(List.of(command));
    try {
      Process j = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(j.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      j.waitFor();
      return out;
    } catch (IOException | InterruptedException e) {
      return e.toString();
    }
  }

  static void report(List<Sample> samples, int steps) {
    System.out.println("# seconds  step  rss_mb threads");
    int stride = Math.max(1, samples.size() / 40);
    for (int i = 0; i < samples.size(); i += stride) {
      Sample s = samples.get(i);
      System.out.printf(
          "# %7.1f %6d %7.1f %3d%n", s.seconds(), s.step(), s.rssKb() / 1024.0, s.threads());
    }
    List<Sample> steady =
        samples.stream().filter(s -> s.step() >= steps / 5 && s.step() < steps).toList();
    double slope = slopeKbPerStep(steady);
    long peak = samples.stream().mapToLong(Sample::rssKb).max().orElse(0);
    long first = steady.isEmpty() ? 0 : steady.get(0).rssKb();
    long last = steady.isEmpty() ? 0 : steady.get(steady.size() - 1).rssKb();
    List<Sample> second = steady.stream().filter(s -> s.step() >= steps / 2).toList();
    double secondSlope = slopeKbPerStep(second);
    long half = second.isEmpty() ? 0 : second.get(0).rssKb();
    System.out.printf(
        "RESULT memory steps=%d samples=%d peak_rss_mb=%.1f rss_at_20pct_mb=%.1f"
            + " rss_at_50pct_mb=%.1f rss_at_end_mb=%.1f slope_kb_per_1000_steps=%.1f"
            + " second_half_slope_kb_per_1000_steps=%.1f%n",
        steps,
        samples.size(),
        peak / 1024.0,
        first / 1024.0,
        half / 1024.0,
        last / 1024.0,
        slope * 1000,
        secondSlope * 1000);
  }

  /** Least-squares slope of RSS (KB) against step. */
  static double slopeKbPerStep(List<Sample> s) {
    int n = s.size();
    if (n < 2) {
      return Double.NaN;
    }
    double mx = s.stream().mapToDouble(Sample::step).average().orElse(0);
    double my = s.stream().mapToDouble(Sample::rssKb).average().orElse(0);
    double sxy = 0;
    double sxx = 0;
    for (Sample x : s) {
      sxy += (x.step() - mx) * (x.rssKb() - my);
      sxx += (x.step() - mx) * (x.step() - mx);
    }
    return sxx == 0 ? Double.NaN : sxy / sxx;
  }

  private static long rssKb(long pid) {
    return status(pid, "VmRSS:");
  }

  /** A numeric field of {@code /proc/<pid>/status}, or -1. */
  private static long status(long pid, String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith(field)) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException gone) {
      // the process ended between isAlive and the read
    }
    return -1;
  }

  private static long step(FileObjectStore store, String key) {
    try {
      Heartbeat.Builder h = Heartbeat.newBuilder();
      JsonFormat.parser()
          .ignoringUnknownFields()
          .merge(new String(store.get(key), StandardCharsets.UTF_8), h);
      return h.getGlobalStep();
    } catch (IOException | RuntimeException notYet) {
      return 0;
    }
  }
}
