package dev.midas.operator.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midas.operator.api.StackingExperiment;
import dev.midas.operator.api.status.LagDecision;
import dev.midas.operator.testing.OperatorHarness;
import dev.midas.plan.spec.LagSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LAG: at each growth point every candidate trains for the lag in its own Job, the lowest
 * validation loss wins, and the stage continues from the winner's checkpoint.
 */
class LagSelectionTest {
  @TempDir static Path tmp;
  static OperatorHarness cluster;

  @BeforeAll
  static void start() throws Exception {
    cluster = new OperatorHarness(tmp);
  }

  @AfterAll
  static void stop() throws Exception {
    cluster.close();
  }

  @Test
  void everyCandidateIsRecordedAndTheBestContinues() {
    StackingExperiment exp =
        OperatorHarness.experiment("/experiments/three-stage.yaml", "lag", "lagged");
    exp.getSpec().growth.lag = new LagSpec();
    exp.getSpec().growth.lag.candidates = List.of("gradstack", "midas", "zero");
    exp.getSpec().growth.lag.steps = 5L;
    cluster.create(exp);

    StackingExperiment done =
        cluster.awaitPhase("lag", "lagged", "Succeeded", Duration.ofSeconds(120));

    assertThat(done.getStatus().lag).extracting(d -> d.stage).containsExactly(2, 3);
    for (LagDecision d : done.getStatus().lag) {
      assertThat(d.lagSteps).isEqualTo(5L);
      assertThat(d.candidates)
          .extracting(c -> c.operator)
          .containsExactly("gradstack", "midas", "zero");
      assertThat(d.candidates)
          .allSatisfy(
              c -> {
                assertThat(c.phase).isEqualTo("Succeeded");
                assertThat(c.valLoss).isNotNull();
              });
      assertThat(d.chosen).isEqualTo("midas");
      assertThat(d.decidedAt).isNotNull();
    }
    assertThat(done.getStatus().stages.get(1).resumeManifest)
        .contains("-lag02-midas/stages/stage-02/ckpt/step-000000025/");
    assertThat(done.getStatus().stages.get(0).growthOperator).isEqualTo("midas");
    assertThat(cluster.jobs("lag"))
        .extracting(j -> j.getMetadata().getName())
        .contains(
            "lagged-s02-lag-gradstack",
            "lagged-s02-lag-midas",
            "lagged-s02-lag-zero",
            "lagged-s03-lag-zero");
  }
}
