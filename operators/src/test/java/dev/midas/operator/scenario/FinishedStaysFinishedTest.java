package dev.midas.operator.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midas.operator.api.StackingExperiment;
import dev.midas.operator.testing.FakeRunnerCluster;
import dev.midas.operator.testing.OperatorHarness;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A Succeeded experiment stays Succeeded: deleting its storage Secret, deleting its Jobs and
 * restarting the operator without a default storage root all make it reconcile again, and none
 * turns it into Failed, because terminal experiments are never revalidated.
 */
class FinishedStaysFinishedTest {
  private static final String NS = "finished";

  @RegisterExtension
  static final FakeRunnerCluster CLUSTER = new FakeRunnerCluster(Map.of("FAKE_STEP_MILLIS", "2"));

  static OperatorHarness cluster;

  @BeforeAll
  static void start() {
    cluster = CLUSTER.get();
  }

  @Test
  void succeededExperimentStaysSucceededWhenItsSecretAndDefaultRootGo() throws Exception {
    cluster.namespace(NS);
    cluster
        .client()
        .secrets()
        .inNamespace(NS)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("creds")
                .endMetadata()
                .withStringData(Map.of("AWS_ACCESS_KEY_ID", "a", "AWS_SECRET_ACCESS_KEY", "b"))
                .build())
        .create();
    StackingExperiment exp =
        OperatorHarness.experiment("/experiments/three-stage.yaml", NS, "done");
    exp.getSpec().storage = new dev.midas.plan.spec.StorageSpec();
    exp.getSpec().storage.secretRef = "creds";
    cluster.create(exp);
    StackingExperiment done = cluster.awaitPhase(NS, "done", "Succeeded", Duration.ofSeconds(60));

    cluster.client().secrets().inNamespace(NS).withName("creds").delete();
    cluster.client().batch().v1().jobs().inNamespace(NS).delete();
    cluster.stopOperator();
    cluster.startOperator(b -> b.defaultStorageRoot(Optional.empty()));
    Thread.sleep(2000);

    StackingExperiment after = cluster.get(NS, "done");
    assertThat(after.getStatus().phase).isEqualTo("Succeeded");
    assertThat(after.getStatus().conditions)
        .filteredOn(c -> "True".equals(c.getStatus()))
        .extracting(c -> c.getType())
        .containsExactlyInAnyOrder("Succeeded", "Ready");
    assertThat(after.getStatus().stages)
        .usingRecursiveFieldByFieldElementComparator()
        .isEqualTo(done.getStatus().stages);
  }
}
