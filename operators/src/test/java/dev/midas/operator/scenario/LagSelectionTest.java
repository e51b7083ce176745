package dev.midas.operator.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midas.operator.api.StackingExperiment;
import dev.midas.operator.api.status.LagCandidate;
import dev.midas.operator.api.status.LagDecision;
import dev.midas.operator.testing.OperatorHarness;
import dev.midas.operator.testing.RealRunnerCluster;
import dev.midas.plan.spec.LagSpec;
import dev.midas.proto.CheckpointManifest;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * LAG: at the growth point every candidate grows the stage-1 checkpoint and trains for the lag in
 * its own Job (the real stage runner against S3Proxy), the lowest loss on the held-out selection
 * windows wins, and the stage continues from the winner's checkpoint.
 */
class LagSelectionTest {
  @RegisterExtension static final RealRunnerCluster CLUSTER = new RealRunnerCluster();

  @Test
  void everyCandidateIsRecordedAndTheBestContinues() throws Exception {
    OperatorHarness cluster = CLUSTER.get();
    StackingExperiment exp =
        OperatorHarness.experiment("/experiments/tiny-real.yaml", "lag", "lagged");
    exp.getSpec().growth.lag = new LagSpec();
    // With one block, midas, gradstack and double grow the same model; zero differs.
    exp.getSpec().growth.lag.candidates = List.of("zero", "midas");
    exp.getSpec().growth.lag.steps = 5L;
    cluster.create(exp);

    StackingExperiment done =
        cluster.awaitPhase("lag", "lagged", "Succeeded", Duration.ofSeconds(180));

    assertThat(done.getStatus().lag).extracting(d -> d.stage).containsExactly(2);
    LagDecision d = done.getStatus().lag.get(0);
    assertThat(d.lagSteps).isEqualTo(5L);
    assertThat(d.candidates).extracting(c -> c.operator).containsExactly("zero", "midas");
    long stage2Start = done.getStatus().stages.get(0).steps;
    for (LagCandidate c : d.candidates) {
      assertThat(c.phase).isEqualTo("Succeeded");
      CheckpointManifest probe = cluster.manifest(c.manifest);
      assertThat(probe.getPosition().getGlobalStep()).isEqualTo(stage2Start + 5);
      assertThat(probe.getModel().getNLayers()).isEqualTo(4);
      assertThat(c.valLoss)
          .as("%s's loss is its committed one", c.operator)
          .isEqualTo(probe.getValLoss());
      assertThat(c.selectionLoss)
          .as("%s is chosen on windows other than the reported ones", c.operator)
          .isNotNull()
          .isNotEqualTo(c.valLoss);
    }
    LagCandidate best =
        d.candidates.stream().min(Comparator.comparingDouble(c -> c.selectionLoss)).orElseThrow();
    assertThat(d.chosen).isEqualTo(best.operator);
    assertThat(d.decidedAt).isNotNull();
    assertThat(done.getStatus().stages.get(0).growthOperator).isEqualTo(best.operator);
    assertThat(done.getStatus().stages.get(1).resumeManifest)
        .isEqualTo(best.manifest)
        .contains("-lag02-" + best.operator + "/stages/stage-02/ckpt/");
    assertThat(cluster.manifest(done.getStatus().stages.get(1).finalManifest).getParentManifest())
        .as("stage 2 trained on from the winner's checkpoint")
        .isEqualTo(best.manifest);
    assertThat(cluster.jobs("lag"))
        .extracting(j -> j.getMetadata().getName())
        .contains("lagged-s02-lag-zero-a1", "lagged-s02-lag-midas-a1");
  }
}
