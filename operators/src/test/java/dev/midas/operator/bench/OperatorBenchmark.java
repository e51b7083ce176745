package dev.midas.operator.bench;

import dev.midas.operator.api.StackingExperiment;
import dev.midas.operator.testing.Await;
import dev.midas.operator.testing.OperatorHarness;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark (a command, not a test): the time from a stage Job's success to the next stage's Job
 * reaching the cluster, and the operator's reconcile latency, first for one experiment alone and
 * then for N concurrent 3-stage experiments on a "cluster" that runs at most C stage processes at
 * once. Runs on the mock API server with the testing kubelet and the fake stage runner: it measures
 * the operator, and real training would only add noise.
 *
 * <pre>
 * mvn -o -q -pl operators test-compile exec:exec -Dexec.classpathScope=test -Dexec.executable=java \
 *   -Dexec.args="-cp %classpath dev.midas.operator.bench.OperatorBenchmark 50 4"
 * </pre>
 */
public final class OperatorBenchmark {
  private OperatorBenchmark() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 50;
    int capacity = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    System.out.println(
        "| load | experiments done | handoff p50 | handoff p95 | handoff max | reconciles | reconcile p50 | reconcile p95 | reconcile p99 | reconcile max | wall |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
    run(1, capacity, "1 experiment");
    run(n, capacity, n + " concurrent experiments, " + capacity + " stage pods at a time");
    System.exit(0);
  }

  private static void run(int n, int capacity, String label) throws Exception {
    Path tmp = Files.createTempDirectory("midas-bench");
    try (OperatorHarness cluster = new OperatorHarness(tmp, Map.of("FAKE_STEP_MILLIS", "1"))) {
      cluster.kubelet().capacity(capacity);
      long start = System.nanoTime();
      for (int i = 0; i < n; i++) {
        cluster.create(
            OperatorHarness.experiment(
                "/experiments/three-stage.yaml", "bench", String.format("bench-%02d", i)));
      }
      Await.until(
          Duration.ofMinutes(30),
          () ->
              cluster
                      .client()
                      .resources(StackingExperiment.class)
                      .inNamespace("bench")
                      .list()
                      .getItems()
                      .stream()
                      .filter(e -> e.getStatus() != null && "Succeeded".equals(e.getStatus().phase))
                      .count()
                  == n,
          () -> "not all Succeeded");
      double wall = (System.nanoTime() - start) / 1e9;
      List<Double> handoffs = new ArrayList<>();
      Map<String, Long> seen = cluster.kubelet().seenAt();
      Map<String, Long> finished = cluster.kubelet().finishedAt();
      for (int i = 0; i < n; i++) {
        for (int s = 1; s < 3; s++) {
          String name = String.format("bench-%02d", i);
          Long done = finished.get(String.format("%s-s%02d-a1", name, s));
          Long next = seen.get(String.format("%s-s%02d-a1", name, s + 1));
          if (done != null && next != null) {
            handoffs.add((next - done) / 1e6);
          }
        }
      }
      Collections.sort(handoffs);
      Timer t =
          cluster
              .registry()
              .find("midas.reconcile")
              .tag("controller", "stackingexperiment")
              .timer();
      ValueAtPercentile[] p = t.takeSnapshot().percentileValues();
      System.out.printf(
          "| %s | %d | %.0f ms | %.0f ms | %.0f ms | %d | %.1f ms | %.1f ms | %.1f ms | %.1f ms | %.0f s |%n",
          label,
          n,
          pct(handoffs, 0.5),
          pct(handoffs, 0.95),
          handoffs.get(handoffs.size() - 1),
          t.count(),
          p[0].value(TimeUnit.MILLISECONDS),
          p[1].value(TimeUnit.MILLISECONDS),
          p[2].value(TimeUnit.MILLISECONDS),
          t.max(TimeUnit.MILLISECONDS),
          wall);
    }
  }

  private static double pct(List<Double> sorted, double q) {
    return sorted.get((int) Math.min(sorted.size() - 1, Math.round(q * (sorted.size() - 1))));
  }
}
