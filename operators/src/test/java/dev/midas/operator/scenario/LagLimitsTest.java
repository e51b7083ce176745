package dev.midas.operator.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midas.operator.api.StackingExperiment;
import dev.midas.operator.api.status.LagDecision;
import dev.midas.operator.testing.FakeRunnerCluster;
import dev.midas.operator.testing.OperatorHarness;
import dev.midas.plan.spec.LagSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * LAG candidates are Jobs like stages: at most {@code growth.lag.maxParallel} run at once, a failed
 * one is retried (from the grown init, in its own run folder) by the exit-class table and {@code
 * retry.limit}, and one past {@code growth.lag.timeoutSeconds} counts as a failure.
 */
class LagLimitsTest {
  private static final String NS = "laglimits";

  @RegisterExtension
  static final FakeRunnerCluster CLUSTER =
      new FakeRunnerCluster(
          Map.of(
              "FAKE_STEP_MILLIS", "20",
              // Every run of "lagged" (its own and each candidate's) fails once at stage 2.
              "FAKE_EXIT", "lagged:2:5:1",
              "FAKE_STALL", "slowlag:2:60000"));

  @Test
  void atMostMaxParallelCandidatesRunAndAFailedOneIsRetried() {
    OperatorHarness cluster = CLUSTER.get();
    cluster.create(lagged("lagged", 1, null, 2));

    StackingExperiment done =
        cluster.awaitPhase(NS, "lagged", "Succeeded", Duration.ofSeconds(120));

    LagDecision d = decision(done, 2);
    assertThat(d.chosen).isNotNull();
    assertThat(d.candidates)
        .hasSize(3)
        .allSatisfy(
            c -> {
              assertThat(c.phase).isEqualTo("Succeeded");
              assertThat(c.attempts).as(c.operator).isEqualTo(2);
              assertThat(c.failures).isEqualTo(1);
              assertThat(c.jobName).endsWith("-a2");
            });
    List<long[]> spans = new ArrayList<>();
    var seen = cluster.kubelet().seenAt();
    var finished = cluster.kubelet().finishedAt();
    seen.keySet().stream()
        .filter(n -> n.startsWith("lagged-s02-lag-"))
        .forEach(n -> spans.add(new long[] {seen.get(n), finished.get(n)}));
    spans.sort(Comparator.comparingLong(s -> s[0]));
    assertThat(spans).hasSize(6);
    for (int i = 1; i < spans.size(); i++) {
      assertThat(spans.get(i)[0])
          .as("candidate Job %d started after the one before ended (maxParallel 1)", i)
          .isGreaterThan(spans.get(i - 1)[1]);
    }
  }

  @Test
  void candidatePastItsTimeoutCountsAsAFailure() {
    OperatorHarness cluster = CLUSTER.get();
    cluster.create(lagged("slowlag", null, 2L, 1));

    StackingExperiment failed =
        cluster.awaitPhase(NS, "slowlag", "Failed", Duration.ofSeconds(120));

    assertThat(decision(failed, 2).candidates)
        .allSatisfy(
            c -> {
              assertThat(c.phase).isEqualTo("Failed");
              assertThat(c.attempts).isEqualTo(2);
              assertThat(c.lastFailure).contains("growth.lag.timeoutSeconds 2");
            });
    assertThat(failed.getStatus().stages.get(1).lastFailure)
        .contains("every LAG candidate of stage 2 failed");
  }

  private static StackingExperiment lagged(
      String name, Integer maxParallel, Long timeout, int retries) {
    StackingExperiment e = OperatorHarness.experiment("/experiments/three-stage.yaml", NS, name);
    e.getSpec().growth.lag = new LagSpec();
    e.getSpec().growth.lag.candidates =
        maxParallel == null ? List.of("midas", "zero") : List.of("midas", "zero", "random");
    e.getSpec().growth.lag.steps = 5L;
    e.getSpec().growth.lag.maxParallel = maxParallel;
    e.getSpec().growth.lag.timeoutSeconds = timeout;
    e.getSpec().retry.limit = retries;
    return e;
  }

  private static LagDecision decision(StackingExperiment e, int stage) {
    return e.getStatus().lag.stream().filter(d -> d.stage == stage).findFirst().orElseThrow();
  }
}
