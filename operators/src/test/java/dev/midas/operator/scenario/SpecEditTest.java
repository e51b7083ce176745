package dev.midas.operator.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midas.operator.api.StackingExperiment;
import dev.midas.operator.lifecycle.Conditions;
import dev.midas.operator.testing.FakeRunnerCluster;
import dev.midas.operator.testing.OperatorHarness;
import dev.midas.plan.layout.RunLayout;
import dev.midas.plan.spec.SpecLoader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The spec is frozen at the first reconcile into {@code runs/<experiment>/<uid>/spec}, as the local
 * runner freezes it. The mock API server runs no CEL, so it lets an edit through that the CRD's
 * transition rule refuses on a real one ({@code CelRulesTest}): the operator then runs the frozen
 * spec to the end (no stage count change, no reset status, no restarted attempt) and says which
 * fields it ignores.
 */
class SpecEditTest {
  private static final String NS = "edits";
  private static final String NAME = "edited";

  @RegisterExtension
  static final FakeRunnerCluster CLUSTER = new FakeRunnerCluster(Map.of("FAKE_STEP_MILLIS", "40"));

  @Test
  void specEditedMidRunIsRejectedAndTheRunGoesOnWithTheFrozenSpec() throws Exception {
    OperatorHarness cluster = CLUSTER.get();
    StackingExperiment exp =
        cluster.create(OperatorHarness.experiment("/experiments/three-stage.yaml", NS, NAME));
    cluster.awaitExperiment(
        NS,
        NAME,
        Duration.ofSeconds(30),
        e ->
            !e.getStatus().stages.isEmpty() && "Running".equals(e.getStatus().stages.get(1).phase));

    cluster
        .client()
        .resources(StackingExperiment.class)
        .inNamespace(NS)
        .withName(NAME)
        .edit(
            e -> {
              e.getSpec().model.targetLayers = 8;
              e.getSpec().schedule.totalSteps = 400L;
              return e;
            });
    StackingExperiment rejected =
        cluster.awaitExperiment(
            NS,
            NAME,
            Duration.ofSeconds(30),
            e -> Conditions.isTrue(e.getStatus().conditions, Conditions.SPEC_EDIT_REJECTED));
    String message =
        Conditions.get(rejected.getStatus().conditions, Conditions.SPEC_EDIT_REJECTED)
            .orElseThrow()
            .getMessage();
    assertThat(message).startsWith("spec.model, spec.schedule changed after the run started");
    assertThat(rejected.getStatus().reason).isEqualTo("SpecEditRejected");

    StackingExperiment done = cluster.awaitPhase(NS, NAME, "Succeeded", Duration.ofSeconds(60));
    assertThat(done.getStatus().numStages).isEqualTo(3);
    assertThat(done.getStatus().stages).extracting(s -> s.steps).containsExactly(20L, 40L, 60L);
    assertThat(done.getStatus().stages).extracting(s -> s.attempts).containsExactly(1, 1, 1);
    RunLayout run = new RunLayout(NAME, exp.getMetadata().getUid());
    var frozen =
        SpecLoader.parse(
                new String(cluster.store().get(run.specKey()), StandardCharsets.UTF_8), "frozen")
            .spec();
    assertThat(frozen.schedule.totalSteps).isEqualTo(120L);
    assertThat(frozen.model.targetLayers).isEqualTo(6);
    assertThat(frozen.storage.root).as("the operator's default root is part of it").isNotNull();
  }
}
