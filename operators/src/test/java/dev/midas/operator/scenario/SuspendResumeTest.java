package dev.midas.operator.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midas.operator.api.StackingExperiment;
import dev.midas.operator.api.status.StageStatus;
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
 * spec.suspend stops the running stage (the real stage runner, SIGTERM) after it commits a
 * preempted checkpoint to S3Proxy; clearing it resumes the stage from that checkpoint.
 */
class SuspendResumeTest {
  private static final String NS = "pause";
  private static final String NAME = "paused";
  @RegisterExtension static final RealRunnerCluster CLUSTER = new RealRunnerCluster();

  @Test
  void suspendCheckpointsAndResumeContinuesFromThere() throws Exception {
    OperatorHarness cluster = CLUSTER.get();
    StackingExperiment exp =
        cluster.create(OperatorHarness.experiment("/experiments/tiny-long.yaml", NS, NAME));
    RunLayout run = new RunLayout(NAME, exp.getMetadata().getUid());
    // Stage 2 trains global steps 10..210; suspend it once it has a checkpoint.
    long seenBeforeSuspend = cluster.awaitCheckpoint(run, 2, 11, Duration.ofSeconds(120));

    setSuspend(true);
    cluster.awaitPhase(NS, NAME, "Suspended", Duration.ofSeconds(60));
    assertThat(cluster.kubelet().isRunning(NAME + "-s02-a1")).isFalse();
    URI preempted = cluster.runs().latest(run, 2).orElseThrow();
    CheckpointManifest atSuspend = cluster.checkpoints().manifest(preempted);
    assertThat(atSuspend.getKind())
        .as("preempted, or the periodic checkpoint the stop came right after")
        .isIn(CheckpointKind.CHECKPOINT_KIND_PREEMPTED, CheckpointKind.CHECKPOINT_KIND_PERIODIC);
    assertThat(atSuspend.getPosition().getGlobalStep())
        .isGreaterThanOrEqualTo(seenBeforeSuspend)
        .isLessThan(210);

    setSuspend(false);
    StackingExperiment done = cluster.awaitPhase(NS, NAME, "Succeeded", Duration.ofSeconds(180));

    StageStatus stage2 = done.getStatus().stages.get(1);
    assertThat(stage2.attempts).isEqualTo(2);
    assertThat(stage2.failures).isZero();
    assertThat(stage2.resumeManifest).isEqualTo(preempted.toString());
    CheckpointManifest fin = cluster.manifest(stage2.finalManifest);
    assertThat(fin.getPosition().getGlobalStep()).isEqualTo(210);
    assertThat(fin.getParentManifest())
        .as("the resumed attempt trained on from the preempted checkpoint")
        .isEqualTo(preempted.toString());
    assertThat(done.getStatus().conditions)
        .noneMatch(c -> "Failed".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static void setSuspend(boolean suspend) {
    CLUSTER
        .get()
        .client()
        .resources(StackingExperiment.class)
        .inNamespace(NS)
        .withName(NAME)
        .edit(
            e -> {
              e.getSpec().suspend = suspend;
              return e;
            });
  }
}
