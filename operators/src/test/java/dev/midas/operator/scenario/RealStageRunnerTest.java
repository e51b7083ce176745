package dev.midas.operator.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midas.operator.api.StackingExperiment;
import dev.midas.operator.api.status.StageStatus;
import dev.midas.operator.testing.OperatorHarness;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real stage runner ({@code dev.midas.stacking.runner.StageRunner}, DJL on the CPU) behind the
 * same operator and kubelet: a tiny 2-stage MIDAS run trains, grows and chains its checkpoints
 * through the object store, and the operator reads them back from the committed manifests.
 */
class RealStageRunnerTest {
  @TempDir static Path tmp;
  static OperatorHarness cluster;

  @BeforeAll
  static void start() throws Exception {
    cluster = new OperatorHarness(tmp, Map.of(), OperatorHarness.REAL_RUNNER);
  }

  @AfterAll
  static void stop() throws Exception {
    cluster.close();
  }

  @Test
  void trainsAndGrowsATinyModelThroughTheOperator() {
    cluster.create(OperatorHarness.experiment("/experiments/tiny-real.yaml", "real", "tiny-real"));

    StackingExperiment done =
        cluster.awaitPhase("real", "tiny-real", "Succeeded", Duration.ofSeconds(180));

    List<StageStatus> stages = done.getStatus().stages;
    assertThat(stages).extracting(s -> s.layers).containsExactly(2, 4);
    assertThat(stages.get(1).initManifest)
        .isEqualTo(stages.get(0).grownManifest)
        .endsWith("stage-01/grown/MANIFEST");
    assertThat(stages.get(1).finalManifest).endsWith("stage-02/ckpt/step-000000030/MANIFEST");
    assertThat(stages)
        .allSatisfy(
            s -> {
              assertThat(s.attempts).isEqualTo(1);
              assertThat(s.valLoss).isPositive();
            });
    assertThat(done.getStatus().result.valLoss).isPositive().isLessThan(20.0);
  }
}
