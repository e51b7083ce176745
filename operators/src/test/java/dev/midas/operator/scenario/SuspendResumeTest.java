package dev.midas.operator.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midas.operator.api.StackingExperiment;
import dev.midas.operator.api.status.StageStatus;
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
 * spec.suspend stops the running stage after a checkpoint; clearing it resumes from that
 * checkpoint.
 */
class SuspendResumeTest {
  @TempDir static Path tmp;
  static OperatorHarness cluster;

  @BeforeAll
  static void start() throws Exception {
    cluster = new OperatorHarness(tmp, Map.of("FAKE_STEP_MILLIS", "15"));
  }

  @AfterAll
  static void stop() throws Exception {
    cluster.close();
  }

  @Test
  void suspendCheckpointsAndResumeContinuesFromThere() throws Exception {
    cluster.create(OperatorHarness.experiment("/experiments/three-stage.yaml", "pause", "paused"));
    cluster.awaitExperiment(
        "pause",
        "paused",
        Duration.ofSeconds(60),
        e ->
            e.getStatus().heartbeat != null
                && e.getStatus().heartbeat.stage == 2
                && e.getStatus().heartbeat.globalStep >= 30);

    setSuspend(true);
    StackingExperiment suspended =
        cluster.awaitPhase("pause", "paused", "Suspended", Duration.ofSeconds(30));
    assertThat(cluster.kubelet().isRunning("paused-s02-a1")).isFalse();
    String trace = Files.readString(cluster.trace());
    assertThat(trace).contains("stage=2 run=" + suspended.getMetadata().getUid() + " preempted=");
    long preemptedAt =
        Long.parseLong(trace.replaceAll("(?s).*stage=2 run=\\S+ preempted=(\\d+).*", "$1"));

    setSuspend(false);
    StackingExperiment done =
        cluster.awaitPhase("pause", "paused", "Succeeded", Duration.ofSeconds(60));

    StageStatus stage2 = done.getStatus().stages.get(1);
    assertThat(stage2.attempts).isEqualTo(2);
    assertThat(stage2.failures).isZero();
    assertThat(stage2.resumeManifest)
        .endsWith(String.format("/stages/stage-02/ckpt/step-%09d/MANIFEST", preemptedAt));
    assertThat(done.getStatus().conditions)
        .noneMatch(c -> "Failed".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static void setSuspend(boolean suspend) {
    cluster
        .client()
        .resources(StackingExperiment.class)
        .inNamespace("pause")
        .withName("paused")
        .edit(
            e -> {
              e.getSpec().suspend = suspend;
              return e;
            });
  }
}
