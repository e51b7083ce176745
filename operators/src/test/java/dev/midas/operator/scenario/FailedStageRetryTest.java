package dev.midas.operator.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midas.operator.api.StackingExperiment;
import dev.midas.operator.api.status.StageStatus;
import dev.midas.operator.testing.Await;
import dev.midas.operator.testing.OperatorHarness;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failed stages: a bad spec exit is never retried; a stage that keeps failing stops at retry.limit.
 * These run {@link dev.midas.operator.testing.FakeStageRunner}, which can be told to exit with a
 * chosen code halfway through a chosen stage ({@code FAKE_EXIT}); the real runner has no such
 * switch. A killed real stage process is {@link KilledStageResumesTest}.
 */
class FailedStageRetryTest {
  @TempDir static Path tmp;
  static OperatorHarness cluster;

  @BeforeAll
  static void start() throws Exception {
    cluster =
        new OperatorHarness(
            tmp, Map.of("FAKE_STEP_MILLIS", "15", "FAKE_EXIT", "bad-spec:2:2,flaky:1:5"));
  }

  @AfterAll
  static void stop() throws Exception {
    cluster.close();
  }

  @Test
  void badSpecExitIsNeverRetried() {
    cluster.create(
        OperatorHarness.experiment("/experiments/three-stage.yaml", "badspec", "bad-spec"));

    StackingExperiment failed =
        cluster.awaitPhase("badspec", "bad-spec", "Failed", Duration.ofSeconds(60));

    StageStatus stage2 = failed.getStatus().stages.get(1);
    assertThat(stage2.phase).isEqualTo("Failed");
    assertThat(stage2.attempts).isEqualTo(1);
    assertThat(stage2.lastExitCode).isEqualTo(2);
    assertThat(failed.getStatus().conditions)
        .anySatisfy(
            c -> {
              assertThat(c.getType()).isEqualTo("Failed");
              assertThat(c.getReason()).isEqualTo("BadSpec");
            });
    assertThat(cluster.jobs("badspec")).hasSize(2);
  }

  @Test
  void stageThatKeepsFailingStopsAtTheRetryLimit() {
    StackingExperiment flaky =
        OperatorHarness.experiment("/experiments/three-stage.yaml", "flaky", "flaky");
    flaky.getSpec().retry.limit = 1;
    cluster.create(flaky);

    StackingExperiment failed =
        cluster.awaitPhase("flaky", "flaky", "Failed", Duration.ofSeconds(60));

    StageStatus stage1 = failed.getStatus().stages.get(0);
    assertThat(stage1.attempts).isEqualTo(2);
    assertThat(stage1.failures).isEqualTo(2);
    assertThat(stage1.lastExitCode).isEqualTo(5);
    assertThat(failed.getStatus().conditions)
        .anySatisfy(c -> assertThat(c.getReason()).isEqualTo("RetryLimitReached"));
    Await.until(
        Duration.ofSeconds(2),
        () -> cluster.jobs("flaky").size() == 2,
        () -> cluster.jobs("flaky").toString());
  }
}
