package dev.midas.operator.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midas.operator.api.StackingExperiment;
import dev.midas.operator.api.status.StageStatus;
import dev.midas.operator.testing.FakeRunnerCluster;
import dev.midas.operator.testing.OperatorHarness;
import dev.midas.operator.testing.TestingKueue;
import dev.midas.plan.layout.RunLayout;
import dev.midas.plan.spec.ResourcesSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Kueue's handshake: a stage Job with the queue label is held suspended until Kueue admits it. That
 * is a queued stage (experiment Pending), not a user's suspend: the operator neither deletes nor
 * recreates the Job. When Kueue preempts an admitted Job by suspending it, the same Job's next pod
 * resumes from the checkpoint the first one committed on SIGTERM.
 */
class KueueAdmissionTest {
  @RegisterExtension
  static final FakeRunnerCluster CLUSTER = new FakeRunnerCluster(Map.of("FAKE_STEP_MILLIS", "30"));

  static OperatorHarness cluster;
  static TestingKueue kueue;

  @BeforeAll
  static void start() {
    cluster = CLUSTER.get();
    kueue = cluster.kubelet().kueue(Duration.ofMillis(800));
  }

  @Test
  void jobHeldByKueueIsQueuedNotSuspendedAndRunsOnceAdmitted() {
    cluster.create(queued("queued", "held"));

    StackingExperiment waiting =
        cluster.awaitExperiment(
            "queued",
            "held",
            Duration.ofSeconds(30),
            e -> !e.getStatus().stages.isEmpty() && "Queued".equals(stage(e, 1).phase));
    assertThat(waiting.getStatus().phase).isEqualTo("Pending");
    assertThat(cluster.jobs("queued")).singleElement().satisfies(j -> suspended(j, true));

    StackingExperiment done =
        cluster.awaitPhase("queued", "held", "Succeeded", Duration.ofSeconds(60));
    assertThat(done.getStatus().stages).extracting(s -> s.attempts).containsExactly(1, 1, 1);
    assertThat(done.getStatus().stages).extracting(s -> s.failures).containsExactly(0, 0, 0);
    assertThat(cluster.jobs("queued"))
        .extracting(j -> j.getMetadata().getName())
        .containsExactlyInAnyOrder("held-s01-a1", "held-s02-a1", "held-s03-a1");
    assertThat(cluster.kubelet().launched())
        .filteredOn(n -> n.startsWith("held-"))
        .containsExactly("held-s01-a1", "held-s02-a1", "held-s03-a1");
    assertThat(done.getStatus().conditions)
        .noneMatch(c -> "Suspended".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  @Test
  void preemptedByKueueTheSameJobResumesFromItsCheckpoint() throws Exception {
    StackingExperiment exp = cluster.create(queued("preempt", "bumped"));
    RunLayout run = new RunLayout("bumped", exp.getMetadata().getUid());
    // Stage 3 trains global steps 60..120 and checkpoints every 10.
    cluster.awaitCheckpoint(run, 3, 70, Duration.ofSeconds(60));

    kueue.preempt("preempt", "bumped-s03-a1", Duration.ofMillis(800));
    cluster.awaitExperiment(
        "preempt",
        "bumped",
        Duration.ofSeconds(30),
        e -> "Queued".equals(stage(e, 3).phase) && "Pending".equals(e.getStatus().phase));
    StackingExperiment done =
        cluster.awaitPhase("preempt", "bumped", "Succeeded", Duration.ofSeconds(60));

    StageStatus stage3 = stage(done, 3);
    assertThat(stage3.attempts).isEqualTo(1);
    assertThat(stage3.failures).isZero();
    assertThat(cluster.kubelet().launched())
        .filteredOn("bumped-s03-a1"::equals)
        .as("Kueue admitted the same Job twice: two pods")
        .hasSize(2);
    String parent = cluster.manifest(stage3.finalManifest).getParentManifest();
    assertThat(parent)
        .as("the second pod resumed from the first pod's checkpoint, not the grown init")
        .contains("/stages/stage-03/ckpt/step-");
    assertThat(cluster.manifest(parent).getPosition().getGlobalStep()).isGreaterThanOrEqualTo(70);
  }

  private static StackingExperiment queued(String ns, String name) {
    StackingExperiment e = OperatorHarness.experiment("/experiments/three-stage.yaml", ns, name);
    e.getSpec().resources = new ResourcesSpec();
    e.getSpec().resources.queue = "gpu-queue";
    return e;
  }

  private static StageStatus stage(StackingExperiment e, int s) {
    return e.getStatus().stages.get(s - 1);
  }

  private static void suspended(Job j, boolean suspended) {
    assertThat(j.getSpec().getSuspend()).isEqualTo(suspended);
  }
}
