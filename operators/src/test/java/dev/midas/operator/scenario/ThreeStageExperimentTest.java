package dev.midas.operator.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midas.operator.api.StackingExperiment;
import dev.midas.operator.api.status.StageStatus;
import dev.midas.operator.testing.Await;
import dev.midas.operator.testing.OperatorHarness;
import dev.midas.operator.testing.RealRunnerCluster;
import dev.midas.proto.CheckpointKind;
import dev.midas.proto.CheckpointManifest;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A 3-stage MIDAS experiment goes from apply to Succeeded, each stage's Job running the real stage
 * runner against S3Proxy and starting from the last one's grown checkpoint, as the committed
 * manifests show.
 */
class ThreeStageExperimentTest {
  @RegisterExtension static final RealRunnerCluster CLUSTER = new RealRunnerCluster();

  @Test
  void runsEveryStageInOrderWithCheckpointsChained() throws Exception {
    OperatorHarness cluster = CLUSTER.get();
    cluster.create(
        OperatorHarness.experiment("/experiments/tiny-three-stage.yaml", "chain", "three-stage"));

    StackingExperiment done =
        cluster.awaitPhase("chain", "three-stage", "Succeeded", Duration.ofSeconds(180));

    List<StageStatus> stages = done.getStatus().stages;
    assertThat(stages)
        .extracting(s -> s.phase)
        .containsExactly("Succeeded", "Succeeded", "Succeeded");
    assertThat(stages).extracting(s -> s.layers).containsExactly(2, 4, 6);
    assertThat(stages.get(0).initManifest).isNull();
    assertThat(stages.get(1).initManifest)
        .isEqualTo(stages.get(0).grownManifest)
        .endsWith("stage-01/grown/MANIFEST");
    assertThat(stages.get(2).initManifest)
        .isEqualTo(stages.get(1).grownManifest)
        .endsWith("stage-02/grown/MANIFEST");
    assertThat(stages.get(2).grownManifest).isNull();
    assertThat(stages.get(2).finalManifest).endsWith("stage-03/ckpt/step-000000060/MANIFEST");
    assertThat(done.getStatus().stage).isEqualTo("3/3");
    assertThat(done.getStatus().step).isEqualTo(60L);
    assertThat(done.getStatus().result.valLoss).isPositive();

    for (int i = 0; i < 3; i++) {
      CheckpointManifest fin = cluster.manifest(stages.get(i).finalManifest);
      assertThat(fin.getKind()).isEqualTo(CheckpointKind.CHECKPOINT_KIND_STAGE_FINAL);
      assertThat(fin.getModel().getNLayers()).isEqualTo(2 * (i + 1));
      assertThat(fin.getParentManifest())
          .as("stage %d trained from the previous stage's grown checkpoint", i + 1)
          .isEqualTo(i == 0 ? "" : stages.get(i - 1).grownManifest);
      assertThat(fin.getValLoss()).isEqualTo(stages.get(i).valLoss);
    }
    for (int i = 0; i < 2; i++) {
      CheckpointManifest grown = cluster.manifest(stages.get(i).grownManifest);
      assertThat(grown.getKind()).isEqualTo(CheckpointKind.CHECKPOINT_KIND_GROWN);
      assertThat(grown.getModel().getNLayers()).isEqualTo(2 * (i + 2));
      assertThat(grown.getGrowth().getOperator()).isEqualTo("midas");
      assertThat(grown.getParentManifest()).isEqualTo(stages.get(i).finalManifest);
    }

    List<Job> jobs =
        cluster.jobs("chain").stream()
            .sorted(Comparator.comparing(j -> j.getMetadata().getName()))
            .toList();
    assertThat(jobs)
        .extracting(j -> j.getMetadata().getName())
        .containsExactly("three-stage-s01-a1", "three-stage-s02-a1", "three-stage-s03-a1");
    assertThat(jobs.get(1).getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
        .containsSubsequence("--stage", "2", "--init", stages.get(0).grownManifest);
    assertThat(jobs)
        .allSatisfy(
            j ->
                assertThat(j.getMetadata().getOwnerReferences())
                    .singleElement()
                    .satisfies(
                        o -> {
                          assertThat(o.getUid()).isEqualTo(done.getMetadata().getUid());
                          assertThat(o.getController()).isTrue();
                        }));

    String metrics = cluster.registry().scrape();
    assertThat(metrics)
        .contains("midas_stage_duration_seconds_count{stage=\"3\"} 1")
        .contains("midas_transitions_total{from=\"Running\",kind=\"stage\",to=\"Succeeded\"}")
        .contains("midas_transitions_total{from=\"Running\",kind=\"experiment\",to=\"Succeeded\"}")
        .contains("midas_reconcile_seconds_count{controller=\"stackingexperiment\"}");

    cluster
        .client()
        .resources(StackingExperiment.class)
        .inNamespace("chain")
        .withName("three-stage")
        .delete();
    Await.until(
        Duration.ofSeconds(10),
        () -> cluster.get("chain", "three-stage") == null,
        () -> "not deleted");
    assertThat(
            cluster
                .store()
                .exists(
                    "runs/three-stage/"
                        + done.getMetadata().getUid()
                        + "/stages/stage-03/ckpt/step-000000060/MANIFEST"))
        .as("artifacts outlive the experiment")
        .isTrue();
  }
}
