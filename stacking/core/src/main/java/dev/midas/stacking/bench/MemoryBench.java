package dev.midas.stacking.bench;

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
 * <pre>
 * MemoryBench [--steps 3000] [--threads 2] [--every-seconds 1] [--heap 256m]
 * </pre>
 */
public final class MemoryBench {
  private MemoryBench() {}

  record Sample(double seconds, long step, long rssKb) {}

  public static void main(String[] args) throws Exception {
    BenchArgs a = new BenchArgs(args);
    int steps = a.integer("--steps", 3000);
    int threads = a.integer("--threads", PyTorchRuntime.defaultThreads());
    double every = Double.parseDouble(a.string("--every-seconds", "1"));
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
            steps, Math.max(1, steps / 10)));
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
                "1"));
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("stage.log").toFile())
            .start();
    FileObjectStore store = new FileObjectStore(root);
    String beat = new RunLayout("memory", "mem").heartbeatKey(1);
    List<Sample> samples = new ArrayList<>();
    long start = System.nanoTime();
    while (p.isAlive()) {
      long rss = rssKb(p.pid());
      if (rss > 0) {
        samples.add(new Sample((System.nanoTime() - start) / 1e9, step(store, beat), rss));
      }
      Thread.sleep((long) (every * 1000));
    }
    if (p.exitValue() != 0) {
      throw new IllegalStateException(
          "stage exited " + p.exitValue() + ": " + Files.readString(dir.resolve("stage.log")));
    }
    report(samples, steps);
  }

  static void report(List<Sample> samples, int steps) {
    System.out.println("# seconds  step  rss_mb");
    int stride = Math.max(1, samples.size() / 40);
    for (int i = 0; i < samples.size(); i += stride) {
      Sample s = samples.get(i);
      System.out.printf("# %7.1f %6d %7.1f%n", s.seconds(), s.step(), s.rssKb() / 1024.0);
    }
    List<Sample> steady =
        samples.stream().filter(s -> s.step() >= steps / 5 && s.step() < steps).toList();
    double slope = slopeKbPerStep(steady);
    long peak = samples.stream().mapToLong(Sample::rssKb).max().orElse(0);
    long first = steady.isEmpty() ? 0 : steady.get(0).rssKb();
    long last = steady.isEmpty() ? 0 : steady.get(steady.size() - 1).rssKb();
    System.out.printf(
        "RESULT memory steps=%d samples=%d peak_rss_mb=%.1f rss_at_20pct_mb=%.1f"
            + " rss_at_end_mb=%.1f slope_kb_per_1000_steps=%.1f%n",
        steps, samples.size(), peak / 1024.0, first / 1024.0, last / 1024.0, slope * 1000);
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
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
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
