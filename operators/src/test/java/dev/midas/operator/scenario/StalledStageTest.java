package dev.midas.operator.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midas.operator.api.StackingExperiment;
import dev.midas.operator.lifecycle.Conditions;
import dev.midas.operator.testing.FakeRunnerCluster;
import dev.midas.operator.testing.OperatorHarness;
import dev.midas.plan.spec.ResourcesSpec;
import dev.midas.plan.spec.StorageSpec;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A stage whose pod never starts does not sit Running forever in silence: after the pending timeout
 * the experiment gets a Stalled condition with Kubernetes' reason and message, and a Warning event;
 * a pod that runs but stops reporting (a stale heartbeat) is reported the same way, and the
 * condition clears once it reports again.
 */
class StalledStageTest {
  @RegisterExtension
  static final FakeRunnerCluster CLUSTER =
      new FakeRunnerCluster(
          Map.of("FAKE_STEP_MILLIS", "20", "FAKE_STALL", "hung:2:12000"),
          b -> b.pendingTimeout(Duration.ofSeconds(1)).heartbeatTimeout(Duration.ofSeconds(6)));

  @Test
  void podThatCannotPullItsImageIsStalledWithTheReason() {
    Condition c =
        stalled(
            "no-image",
            s -> {
              s.getSpec().resources = new ResourcesSpec();
              s.getSpec().resources.image = "registry.local/nowhere:1";
            });
    assertThat(c.getReason()).isEqualTo("ImagePullBackOff");
    assertThat(c.getMessage())
        .contains("stage 1 pod of Job no-image-s01-a1 has not started")
        .contains("Back-off pulling image \"registry.local/nowhere:1\"");
  }

  @Test
  void podWhoseSecretIsMissingIsStalledWithTheReason() {
    Condition c =
        stalled(
            "no-secret",
            s -> {
              s.getSpec().storage = new StorageSpec();
              s.getSpec().storage.secretRef = "absent";
            });
    assertThat(c.getReason()).isEqualTo("CreateContainerConfigError");
    assertThat(c.getMessage()).contains("secret \"absent\" not found");
  }

  @Test
  void podNoNodeCanTakeIsUnschedulable() {
    Condition c =
        stalled(
            "no-node",
            s -> {
              s.getSpec().resources = new ResourcesSpec();
              s.getSpec().resources.nodeSelector = Map.of("gpu-type", "h100");
            });
    assertThat(c.getReason()).isEqualTo("Unschedulable");
    assertThat(c.getMessage()).contains("didn't match Pod's node affinity/selector");
  }

  @Test
  void staleHeartbeatIsStalledUntilTheStageReportsAgain() {
    OperatorHarness cluster = CLUSTER.get();
    cluster.create(OperatorHarness.experiment("/experiments/three-stage.yaml", "hung", "hung"));
    StackingExperiment s =
        cluster.awaitExperiment(
            "hung",
            "hung",
            Duration.ofSeconds(60),
            x ->
                Conditions.isTrue(x.getStatus().conditions, Conditions.STALLED)
                    && condition(x).getMessage().contains("stage 2"));
    Condition c = condition(s);
    assertThat(c.getReason()).isEqualTo("HeartbeatStale");
    assertThat(c.getMessage()).contains("last wrote its heartbeat").contains("more than 6 s");

    StackingExperiment done =
        cluster.awaitPhase("hung", "hung", "Succeeded", Duration.ofSeconds(60));
    Condition after = condition(done);
    assertThat(after.getStatus()).isEqualTo("False");
    assertThat(events("hung", "hung")).contains("StageProgressing");
  }

  /** Creates the experiment in a namespace of its name, waits for Stalled and its event. */
  private static Condition stalled(String name, Consumer<StackingExperiment> change) {
    OperatorHarness cluster = CLUSTER.get();
    StackingExperiment e = OperatorHarness.experiment("/experiments/three-stage.yaml", name, name);
    change.accept(e);
    cluster.create(e);
    StackingExperiment s =
        cluster.awaitExperiment(
            name,
            name,
            Duration.ofSeconds(30),
            x -> Conditions.isTrue(x.getStatus().conditions, Conditions.STALLED));
    assertThat(s.getStatus().phase).isNotEqualTo("Failed");
    assertThat(events(name, name)).contains("StageStalled");
    return condition(s);
  }

  private static Condition condition(StackingExperiment e) {
    return e.getStatus().conditions.stream()
        .filter(c -> Conditions.STALLED.equals(c.getType()))
        .findFirst()
        .orElseThrow();
  }

  private static String events(String ns, String name) {
    StringBuilder sb = new StringBuilder();
    CLUSTER.get().client().v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName()))
        .forEach(e -> sb.append(e.getReason()).append('\n'));
    return sb.toString();
  }
}
