package dev.midas.operator.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midas.operator.api.StackingExperiment;
import dev.midas.operator.testing.Await;
import dev.midas.operator.testing.OperatorHarness;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An operator that dies mid-experiment and comes back finishes it without duplicate Jobs. */
class OperatorRestartTest {
  @TempDir static Path tmp;
  static OperatorHarness cluster;

  @BeforeAll
  static void start() throws Exception {
    cluster = new OperatorHarness(tmp, Map.of("FAKE_STEP_MILLIS", "10"));
  }

  @AfterAll
  static void stop() throws Exception {
    cluster.close();
  }

  @Test
  void restartedOperatorFinishesWithoutDuplicates() throws Exception {
    cluster.create(
        OperatorHarness.experiment("/experiments/three-stage.yaml", "restart", "restarted"));
    cluster.awaitExperiment(
        "restart",
        "restarted",
        Duration.ofSeconds(60),
        e ->
            "2/3".equals(e.getStatus().stage)
                && "Running".equals(e.getStatus().stages.get(1).phase));

    cluster.stopOperator();
    Await.until(
        Duration.ofSeconds(60),
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
        cluster.awaitPhase("restart", "restarted", "Succeeded", Duration.ofSeconds(60));
    assertThat(done.getStatus().stages).extracting(s -> s.attempts).containsExactly(1, 1, 1);
    assertThat(cluster.jobs("restart"))
        .extracting(j -> j.getMetadata().getName())
        .containsExactlyInAnyOrder("restarted-s01-a1", "restarted-s02-a1", "restarted-s03-a1");
    assertThat(cluster.kubelet().launched())
        .filteredOn(n -> n.startsWith("restarted-"))
        .doesNotHaveDuplicates()
        .hasSize(3);
  }
}
