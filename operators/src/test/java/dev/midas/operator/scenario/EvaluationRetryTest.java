package dev.midas.operator.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midas.operator.api.StackingExperiment;
import dev.midas.operator.api.status.EvaluationStatus;
import dev.midas.operator.testing.OperatorHarness;
import dev.midas.plan.spec.EvaluationSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's side of evaluations, on {@link dev.midas.operator.testing.FakeStageRunner} (its
 * {@code evaluate} commits a report without measuring): a failed evaluation is retried as the
 * exit-class table says and never trains a stage again; one no retry can fix fails the experiment;
 * {@code evaluation.everyStage} evaluates after every stage.
 */
class EvaluationRetryTest {
  @TempDir static Path tmp;
  static OperatorHarness cluster;

  @BeforeAll
  static void start() throws Exception {
    cluster =
        new OperatorHarness(
            tmp, Map.of("FAKE_STEP_MILLIS", "5", "FAKE_EXIT", "flaky:e3:5:1,broken:e3:2"));
  }

  @AfterAll
  static void stop() throws Exception {
    cluster.close();
  }

  static StackingExperiment evaluated(String name, boolean everyStage) {
    StackingExperiment e =
        OperatorHarness.experiment("/experiments/three-stage.yaml", "evaluations", name);
    e.getSpec().evaluation = new EvaluationSpec();
    e.getSpec().evaluation.everyStage = everyStage;
    return e;
  }

  @Test
  void aFailedEvaluationIsRetriedWithoutTrainingAgain() {
    cluster.create(evaluated("flaky", false));

    StackingExperiment done =
        cluster.awaitPhase("evaluations", "flaky", "Succeeded", Duration.ofSeconds(90));

    EvaluationStatus e = done.getStatus().evaluations.get(0);
    assertThat(e.stage).isEqualTo(3);
    assertThat(e.attempts).isEqualTo(2);
    assertThat(e.failures).isEqualTo(1);
    assertThat(e.lastExitCode).isEqualTo(5);
    assertThat(done.getStatus().stages).allSatisfy(s -> assertThat(s.attempts).isEqualTo(1));
    assertThat(cluster.jobs("evaluations"))
        .extracting(j -> j.getMetadata().getName())
        .filteredOn(n -> n.startsWith("flaky-"))
        .containsExactlyInAnyOrder(
            "flaky-s01-a1", "flaky-s02-a1", "flaky-s03-a1", "flaky-e03-a1", "flaky-e03-a2");
    assertThat(done.getStatus().result.report).isEqualTo(e.report).endsWith("/report/report.md");
    assertThat(done.getStatus().result.meanAccuracy).containsEntry("5shot-loglik", 0.25);
  }

  @Test
  void anEvaluationNoRetryCanFixFailsTheExperiment() {
    cluster.create(evaluated("broken", false));

    StackingExperiment failed =
        cluster.awaitPhase("evaluations", "broken", "Failed", Duration.ofSeconds(90));

    assertThat(failed.getStatus().stages)
        .allSatisfy(s -> assertThat(s.phase).isEqualTo("Succeeded"));
    assertThat(failed.getStatus().evaluations.get(0).phase).isEqualTo("Failed");
    assertThat(failed.getStatus().evaluations.get(0).attempts).isEqualTo(1);
    assertThat(failed.getStatus().conditions)
        .anySatisfy(
            c -> {
              assertThat(c.getType()).isEqualTo("Failed");
              assertThat(c.getReason()).isEqualTo("BadSpec");
              assertThat(c.getMessage()).contains("evaluation of stages 1..3");
            });
  }

  @Test
  void everyStageIsEvaluatedWhenTheSpecAsks() {
    cluster.create(evaluated("each", true));

    StackingExperiment done =
        cluster.awaitPhase("evaluations", "each", "Succeeded", Duration.ofSeconds(90));

    assertThat(done.getStatus().evaluations)
        .extracting(e -> e.stage + " " + e.phase)
        .containsExactly("1 Succeeded", "2 Succeeded", "3 Succeeded");
    assertThat(done.getStatus().evaluations.get(0).report)
        .endsWith("/stages/stage-01/report/report.md");
  }
}
