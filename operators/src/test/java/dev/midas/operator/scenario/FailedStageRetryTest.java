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
 * Failed stages: a bad spec exit is never retried; a stage that keeps failing stops at retry.limit;
 * out of memory, preemption and exits outside the contract are retried as the plan's exit-class
 * table says (the local runner's test shows the same for {@code LocalExperimentRunner}). These run
 * {@link dev.midas.operator.testing.FakeStageRunner}, which can be told to exit with a chosen code
 * halfway through a chosen stage ({@code FAKE_EXIT}); the real runner has no such switch. A killed
 * real stage process is {@link KilledStageResumesTest}.
 */
class FailedStageRetryTest {
  @TempDir static Path tmp;
  static OperatorHarness cluster;

  @BeforeAll
  static void start() throws Exception {
    cluster =
        new OperatorHarness(
            tmp,
            Map.of(
                "FAKE_STEP_MILLIS",
                "15",
                "FAKE_EXIT",
                "bad-spec:2:2,flaky:1:5,oom:1:4:1,preempted:1:6:2,unknown:1:137"));
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

  @Test
  void attemptsAreRetriedAsThePlansExitClassTableSays() {
    StackingExperiment oom = experiment("oom", 1);
    StackingExperiment preempted = experiment("preempted", 0);
    StackingExperiment unknown = experiment("unknown", 1);
    cluster.create(oom);
    cluster.create(preempted);
    cluster.create(unknown);

    // Out of memory (4) once: retried, counted against the limit of 1.
    StageStatus oom1 =
        cluster
            .awaitPhase("classes", "oom", "Succeeded", Duration.ofSeconds(90))
            .getStatus()
            .stages
            .get(0);
    assertThat(oom1.attempts).isEqualTo(2);
    assertThat(oom1.failures).isEqualTo(1);
    assertThat(oom1.lastExitCode).isEqualTo(4);

    // Preempted (6) twice with a retry limit of 0: resumed each time, never counted.
    StageStatus preempted1 =
        cluster
            .awaitPhase("classes", "preempted", "Succeeded", Duration.ofSeconds(90))
            .getStatus()
            .stages
            .get(0);
    assertThat(preempted1.attempts).isEqualTo(3);
    assertThat(preempted1.failures).isZero();

    // 137, outside the table: UNKNOWN, retried and counted, so the second one ends the run.
    StackingExperiment failed =
        cluster.awaitPhase("classes", "unknown", "Failed", Duration.ofSeconds(90));
    StageStatus unknown1 = failed.getStatus().stages.get(0);
    assertThat(unknown1.attempts).isEqualTo(2);
    assertThat(unknown1.failures).isEqualTo(2);
    assertThat(unknown1.lastExitCode).isEqualTo(137);
    assertThat(failed.getStatus().conditions)
        .anySatisfy(c -> assertThat(c.getReason()).isEqualTo("RetryLimitReached"));
  }

  private static StackingExperiment experiment(String name, int retryLimit) {
    StackingExperiment e =
        OperatorHarness.experiment("/experiments/three-stage.yaml", "classes", name);
    e.getSpec().retry.limit = retryLimit;
    return e;
  }
}
