package dev.midas.operator.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midas.operator.api.StackingExperiment;
import dev.midas.operator.api.status.StageStatus;
import dev.midas.operator.testing.Await;
import dev.midas.operator.testing.OperatorHarness;
import dev.midas.operator.testing.RealRunnerCluster;
import dev.midas.plan.layout.RunLayout;
import dev.midas.proto.CheckpointKind;
import dev.midas.proto.CheckpointManifest;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A real stage process SIGKILLed mid-stage (an OOM kill or a lost node: no chance to checkpoint) is
 * retried, and the retry resumes from the latest checkpoint committed before the kill, so at most
 * one checkpoint interval of training is lost. Everything is read from the manifests in S3Proxy.
 */
class KilledStageResumesTest {
  private static final String NS = "kill";
  private static final String NAME = "killed";
  @RegisterExtension static final RealRunnerCluster CLUSTER = new RealRunnerCluster();

  @Test
  void killedStageResumesFromItsLatestCheckpointWithoutLosingMoreThanTheInterval()
      throws Exception {
    OperatorHarness cluster = CLUSTER.get();
    StackingExperiment exp =
        cluster.create(OperatorHarness.experiment("/experiments/tiny-long.yaml", NS, NAME));
    RunLayout run = new RunLayout(NAME, exp.getMetadata().getUid());
    long every = exp.getSpec().schedule.checkpointEvery;
    // Stage 2 trains global steps 10..210; kill it two checkpoints in.
    long seenBeforeKill = cluster.awaitCheckpoint(run, 2, 2 * every, Duration.ofSeconds(120));
    cluster.kubelet().kill(NAME + "-s02-a1");
    Await.until(
        Duration.ofSeconds(10),
        () -> !cluster.kubelet().isRunning(NAME + "-s02-a1"),
        () -> "still running");
    URI latestAtKill = cluster.runs().latest(run, 2).orElseThrow();

    StackingExperiment done = cluster.awaitPhase(NS, NAME, "Succeeded", Duration.ofSeconds(180));

    StageStatus stage2 = done.getStatus().stages.get(1);
    assertThat(stage2.attempts).isEqualTo(2);
    assertThat(stage2.failures).isEqualTo(1);
    assertThat(stage2.lastExitCode).isEqualTo(137);
    assertThat(cluster.registry().scrape())
        .contains("midas_stage_retries_total{exit_class=\"UNKNOWN\"}");
    assertThat(stage2.resumeManifest).isEqualTo(latestAtKill.toString());
    CheckpointManifest resumed = cluster.manifest(stage2.resumeManifest);
    assertThat(resumed.getKind()).isEqualTo(CheckpointKind.CHECKPOINT_KIND_PERIODIC);
    assertThat(resumed.getPosition().getGlobalStep())
        .as("the retry resumes from the last checkpoint the killed process committed")
        .isGreaterThanOrEqualTo(seenBeforeKill)
        .isLessThan(210);
    assertThat(resumed.getPosition().getGlobalStep() % every).isZero();
    CheckpointManifest fin = cluster.manifest(stage2.finalManifest);
    assertThat(fin.getKind()).isEqualTo(CheckpointKind.CHECKPOINT_KIND_STAGE_FINAL);
    assertThat(fin.getPosition().getGlobalStep()).isEqualTo(210);
    assertThat(fin.getParentManifest())
        .as("the retry trained on from the resumed checkpoint")
        .isEqualTo(stage2.resumeManifest);
    assertThat(cluster.jobs(NS))
        .extracting(j -> j.getMetadata().getName())
        .containsExactlyInAnyOrder(NAME + "-s01-a1", NAME + "-s02-a1", NAME + "-s02-a2");
  }
}
