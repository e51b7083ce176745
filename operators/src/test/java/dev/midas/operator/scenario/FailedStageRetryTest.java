package dev.midas.operator.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midas.operator.api.StackingExperiment;
import dev.midas.operator.api.status.StageStatus;
import dev.midas.operator.testing.Await;
import dev.midas.operator.testing.OperatorHarness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failed stages: a killed stage process is retried and resumes from its latest checkpoint; a bad
 * spec exit is never retried; a stage that keeps failing stops at retry.limit.
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
  void killedStageResumesFromItsLatestCheckpointWithoutLosingMoreThanTheInterval()
      throws Exception {
    cluster.create(OperatorHarness.experiment("/experiments/three-stage.yaml", "kill", "killed"));
    StackingExperiment running =
        cluster.awaitExperiment(
            "kill",
            "killed",
            Duration.ofSeconds(60),
            e ->
                e.getStatus().heartbeat != null
                    && e.getStatus().heartbeat.stage == 2
                    && e.getStatus().heartbeat.globalStep >= 40);
    long seenBeforeKill = running.getStatus().heartbeat.globalStep;
    cluster.kubelet().kill("killed-s02-a1");
    Await.until(
        Duration.ofSeconds(10),
        () -> !cluster.kubelet().isRunning("killed-s02-a1"),
        () -> "still running");
    long latestAtKill =
        latestCheckpoint(
            cluster
                .storeDir()
                .resolve(
                    "runs/killed/" + running.getMetadata().getUid() + "/stages/stage-02/ckpt"));

    StackingExperiment done =
        cluster.awaitPhase("kill", "killed", "Succeeded", Duration.ofSeconds(60));

    StageStatus stage2 = done.getStatus().stages.get(1);
    assertThat(stage2.attempts).isEqualTo(2);
    assertThat(stage2.failures).isEqualTo(1);
    assertThat(cluster.registry().scrape())
        .contains("midas_stage_retries_total{exit_class=\"UNKNOWN\"}");
    assertThat(stage2.lastExitCode).isEqualTo(137);
    assertThat(stage2.resumeManifest).contains("/stages/stage-02/ckpt/step-");
    long resumedAt =
        Long.parseLong(stage2.resumeManifest.replaceAll(".*step-(\\d+)/MANIFEST", "$1"));
    assertThat(resumedAt).isEqualTo(latestAtKill).isGreaterThanOrEqualTo(seenBeforeKill);
    assertThat(Files.readString(cluster.trace()))
        .contains(
            "stage=2 run="
                + done.getMetadata().getUid()
                + " start="
                + resumedAt
                + " from=resume:"
                + resumedAt);
    assertThat(cluster.jobs("kill"))
        .extracting(j -> j.getMetadata().getName())
        .containsExactlyInAnyOrder(
            "killed-s01-a1", "killed-s02-a1", "killed-s02-a2", "killed-s03-a1");
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

  /** The highest step with a committed MANIFEST in a stage's checkpoint folder. */
  private static long latestCheckpoint(Path ckpt) throws java.io.IOException {
    try (var dirs = Files.list(ckpt)) {
      return dirs.filter(d -> Files.exists(d.resolve("MANIFEST")))
          .mapToLong(d -> Long.parseLong(d.getFileName().toString().substring("step-".length())))
          .max()
          .orElseThrow();
    }
  }
}
