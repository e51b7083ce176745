package dev.midas.operator.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midas.operator.api.StackingExperiment;
import dev.midas.operator.api.status.StageStatus;
import dev.midas.operator.testing.Await;
import dev.midas.operator.testing.FakeRunnerCluster;
import dev.midas.operator.testing.OperatorHarness;
import dev.midas.plan.layout.RunLayout;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A stage Job that disappears (deleted by hand, or by its TTL) is never recreated with its first
 * attempt's arguments: once its pod is gone, what the store holds decides. A running stage goes on
 * as a new attempt (not counted as a failure) from its latest checkpoint; a stage that already
 * committed is Succeeded and runs no more.
 */
class JobDeletedTest {
  @RegisterExtension
  static final FakeRunnerCluster CLUSTER =
      new FakeRunnerCluster(Map.of("FAKE_STEP_MILLIS", "40"), b -> b.jobTtl(Duration.ofSeconds(1)));

  static OperatorHarness cluster;

  @BeforeAll
  static void start() {
    cluster = CLUSTER.get();
  }

  @Test
  void jobDeletedByHandGoesOnFromTheLatestCheckpointAsANewAttempt() throws Exception {
    StackingExperiment exp =
        cluster.create(
            OperatorHarness.experiment("/experiments/three-stage.yaml", "byhand", "gone"));
    RunLayout run = new RunLayout("gone", exp.getMetadata().getUid());
    cluster.awaitCheckpoint(run, 3, 80, Duration.ofSeconds(60));

    cluster.client().batch().v1().jobs().inNamespace("byhand").withName("gone-s03-a1").delete();
    StackingExperiment done =
        cluster.awaitPhase("byhand", "gone", "Succeeded", Duration.ofSeconds(60));

    StageStatus stage3 = done.getStatus().stages.get(2);
    assertThat(stage3.attempts).isEqualTo(2);
    assertThat(stage3.failures).isZero();
    assertThat(stage3.resumeManifest)
        .as("attempt 2 resumed from the store's latest checkpoint, not stage 3's grown init")
        .contains("/stages/stage-03/ckpt/step-");
    assertThat(cluster.manifest(stage3.resumeManifest).getPosition().getGlobalStep())
        .isGreaterThanOrEqualTo(80);
    assertThat(
            cluster.client().v1().events().inNamespace("byhand").list().getItems().stream()
                .map(e -> e.getReason()))
        .contains("JobDeleted");
  }

  @Test
  void stageWhoseJobItsTtlDeletedAfterItCommittedIsNotRunAgain() throws Exception {
    StackingExperiment exp =
        cluster.create(OperatorHarness.experiment("/experiments/three-stage.yaml", "ttl", "aged"));
    cluster.awaitExperiment(
        "ttl",
        "aged",
        Duration.ofSeconds(60),
        e ->
            e.getStatus().stages.size() == 3
                && "Running".equals(e.getStatus().stages.get(1).phase));
    cluster.stopOperator();
    // Stage 2 ends while no operator runs, and the TTL controller deletes its Job.
    Await.until(
        Duration.ofSeconds(60),
        () ->
            cluster.kubelet().finishedAt().containsKey("aged-s02-a1")
                && cluster
                        .client()
                        .batch()
                        .v1()
                        .jobs()
                        .inNamespace("ttl")
                        .withName("aged-s02-a1")
                        .get()
                    == null,
        () -> "stage 2's Job still there");
    cluster.startOperator();

    StackingExperiment done =
        cluster.awaitPhase("ttl", "aged", "Succeeded", Duration.ofSeconds(60));
    assertThat(done.getStatus().stages).extracting(s -> s.attempts).containsExactly(1, 1, 1);
    assertThat(cluster.kubelet().launched()).filteredOn("aged-s02-a1"::equals).hasSize(1);
    assertThat(exp.getMetadata().getUid()).isNotEmpty();
  }
}
