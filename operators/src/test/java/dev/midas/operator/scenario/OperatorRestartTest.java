package dev.midas.operator.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midas.operator.api.StackingExperiment;
import dev.midas.operator.testing.Await;
import dev.midas.operator.testing.OperatorHarness;
import dev.midas.operator.testing.RealRunnerCluster;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An operator that dies while a stage trains (the real stage runner against S3Proxy) and comes back
 * after that stage has finished picks the experiment up from the committed manifests and finishes
 * it without duplicate Jobs.
 */
class OperatorRestartTest {
  @RegisterExtension static final RealRunnerCluster CLUSTER = new RealRunnerCluster();

  @Test
  void restartedOperatorFinishesWithoutDuplicates() throws Exception {
    OperatorHarness cluster = CLUSTER.get();
    cluster.create(
        OperatorHarness.experiment("/experiments/tiny-three-stage.yaml", "restart", "restarted"));
    cluster.awaitExperiment(
        "restart",
        "restarted",
        Duration.ofSeconds(120),
        e ->
            "2/3".equals(e.getStatus().stage)
                && "Running".equals(e.getStatus().stages.get(1).phase));

    cluster.stopOperator();
    Await.until(
        Duration.ofSeconds(120),
        () -> {
          Job j =
              cluster
                  .client()
                  .batch()
                  .v1()
                  .jobs()
                  .inNamespace("restart")
                  .withName("restarted-s02-a1")
                  .get();
          return j.getStatus() != null && Integer.valueOf(1).equals(j.getStatus().getSucceeded());
        },
        () -> "stage 2 Job not finished");
    cluster.startOperator();

    StackingExperiment done =
        cluster.awaitPhase("restart", "restarted", "Succeeded", Duration.ofSeconds(120));
    assertThat(done.getStatus().stages).extracting(s -> s.attempts).containsExactly(1, 1, 1);
    assertThat(done.getStatus().stages.get(2).initManifest)
        .as("stage 3 starts from the grown checkpoint stage 2 committed while no operator ran")
        .isEqualTo(done.getStatus().stages.get(1).grownManifest);
    assertThat(cluster.manifest(done.getStatus().stages.get(1).grownManifest).getParentManifest())
        .isEqualTo(done.getStatus().stages.get(1).finalManifest);
    assertThat(cluster.jobs("restart"))
        .extracting(j -> j.getMetadata().getName())
        .containsExactlyInAnyOrder("restarted-s01-a1", "restarted-s02-a1", "restarted-s03-a1");
    assertThat(cluster.kubelet().launched())
        .filteredOn(n -> n.startsWith("restarted-"))
        .doesNotHaveDuplicates()
        .hasSize(3);
  }
}
