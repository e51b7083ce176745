package dev.midas.bench.pipelines;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A pipeline run in a child JVM, watched from outside: peak resident memory (the kernel's VmHWM,
 * read until the process ends), CPU seconds (user + system, its own threads), the most bytes its
 * temporary folder held at once (sort spills, Flink's spilled intermediate results), wall seconds
 * and the machine's load average before and after.
 */
record ChildRun(
    int exit,
    double wallSeconds,
    double cpuSeconds,
    long peakRssBytes,
    long peakTempBytes,
    String loadBefore,
    String loadAfter) {
  private static final double CLOCK_TICKS = 100.0; // USER_HZ on Linux

  static ChildRun run(List<String> command, Path log, Path tempDir)
      throws IOException, InterruptedException {
    String loadBefore = load();
    long start = System.nanoTime();
    Process p =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    long peak = 0;
    long peakTemp = 0;
    long polls = 0;
    double cpu = 0;
    Path proc = Path.of("/proc", Long.toString(p.pid()));
    while (p.isAlive()) {
      try {
        for (String line : Files.readAllLines(proc.resolve("status"))) {
          if (line.startsWith("VmHWM:")) {
            peak = Math.max(peak, 1024 * Long.parseLong(line.replaceAll("[^0-9]", "")));
          }
        }
        String[] stat = Files.readString(proc.resolve("stat")).split("\\) ")[1].split(" ");
        cpu = (Long.parseLong(stat[11]) + Long.parseLong(stat[12])) / CLOCK_TICKS;
      } catch (IOException | RuntimeException gone) {
        // the process ended between the check and the read
      }
      if (polls++ % 10 == 0) {
        peakTemp = Math.max(peakTemp, size(tempDir));
      }
      Thread.sleep(200);
    }
    int exit = p.waitFor();
    double wall = (System.nanoTime() - start) / 1e9;
    return new ChildRun(exit, wall, cpu, peak, peakTemp, loadBefore, load());
  }

  private static long size(Path dir) {
    try (var files = Files.walk(dir)) {
      return files
          .mapToLong(
              f -> {
                try {
                  return Files.isRegularFile(f) ? Files.size(f) : 0;
                } catch (IOException gone) {
                  return 0;
                }
              })
          .sum();
    } catch (IOException | java.io.UncheckedIOException gone) {
      return 0;
    }
  }

  static String load() throws IOException {
    String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
    return parts[0] + " " + parts[1] + " " + parts[2];
  }
}
