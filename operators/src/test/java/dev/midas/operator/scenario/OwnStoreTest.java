package dev.midas.operator.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midas.operator.api.StackingExperiment;
import dev.midas.operator.lifecycle.Conditions;
import dev.midas.operator.testing.OperatorHarness;
import dev.midas.operator.testing.RealRunnerCluster;
import dev.midas.plan.spec.StorageSpec;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An experiment that names its own store (S3Proxy here, which checks every request's signature) is
 * read by the operator only with the credentials of the experiment's Secret, never with the
 * operator's own: wrong credentials in the Secret leave the experiment StorageUnavailable although
 * the operator's own would work; right ones let it run. A store named without a Secret, or a folder
 * on the operator's machine, is refused.
 */
class OwnStoreTest {
  private static final String NS = "own";

  @RegisterExtension static final RealRunnerCluster CLUSTER = new RealRunnerCluster();

  @Test
  void storeTheExperimentNamesIsReadWithItsSecretNeverTheOperatorsCredentials() {
    OperatorHarness cluster = CLUSTER.get();
    cluster.namespace(NS);
    secret("wrong-keys", "AKIAWRONG", "not-the-secret");

    cluster.create(own("wrong", "wrong-keys"));
    StackingExperiment refused =
        cluster.awaitExperiment(
            NS,
            "wrong",
            Duration.ofSeconds(60),
            e -> Conditions.isTrue(e.getStatus().conditions, Conditions.STORAGE_UNAVAILABLE));
    assertThat(condition(refused, Conditions.STORAGE_UNAVAILABLE).getMessage())
        .contains(CLUSTER.s3().root("own-wrong").toString());
    assertThat(cluster.jobs(NS)).noneMatch(j -> j.getMetadata().getName().startsWith("wrong-"));

    cluster.create(own("missing", "no-such-secret"));
    StackingExperiment missing =
        cluster.awaitExperiment(
            NS,
            "missing",
            Duration.ofSeconds(60),
            e -> Conditions.isTrue(e.getStatus().conditions, Conditions.STORAGE_UNAVAILABLE));
    assertThat(condition(missing, Conditions.STORAGE_UNAVAILABLE).getMessage())
        .contains("Secret own/no-such-secret (storage.secretRef) does not exist");

    cluster.create(own("right", OperatorHarness.STORE_SECRET));
    cluster.awaitExperiment(
        NS,
        "right",
        Duration.ofSeconds(60),
        e ->
            !e.getStatus().stages.isEmpty() && "Running".equals(e.getStatus().stages.get(0).phase));
    assertThat(cluster.get(NS, "right").getStatus().conditions)
        .noneMatch(c -> Conditions.STORAGE_UNAVAILABLE.equals(c.getType()));
    cluster.client().resources(StackingExperiment.class).inNamespace(NS).withName("right").delete();
    cluster.client().batch().v1().jobs().inNamespace(NS).withName("right-s01-a1").delete();
  }

  @Test
  void ownStoreWithoutASecretOrAFolderOfTheOperatorsIsRefused() {
    OperatorHarness cluster = CLUSTER.get();
    StackingExperiment noSecret = own("no-secret", null);
    StackingExperiment folder =
        OperatorHarness.experiment("/experiments/tiny-long.yaml", NS, "folder");
    folder.getSpec().storage.root = "file:///etc/";
    cluster.create(noSecret);
    cluster.create(folder);

    assertThat(invalid(cluster, "no-secret")).contains("storage.secretRef is required");
    assertThat(invalid(cluster, "folder")).contains("is a folder on the operator's machine");
  }

  private static StackingExperiment own(String name, String secret) {
    StackingExperiment e = OperatorHarness.experiment("/experiments/tiny-long.yaml", NS, name);
    e.getSpec().storage = new StorageSpec();
    e.getSpec().storage.root = CLUSTER.s3().root("own-" + name).toString();
    e.getSpec().storage.endpoint = CLUSTER.s3().endpoint().toString();
    e.getSpec().storage.secretRef = secret;
    return e;
  }

  private static void secret(String name, String key, String secret) {
    CLUSTER
        .get()
        .client()
        .secrets()
        .inNamespace(NS)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withStringData(Map.of("AWS_ACCESS_KEY_ID", key, "AWS_SECRET_ACCESS_KEY", secret))
                .build())
        .create();
  }

  private static String invalid(OperatorHarness cluster, String name) {
    StackingExperiment e =
        cluster.awaitExperiment(
            NS,
            name,
            Duration.ofSeconds(60),
            x -> Conditions.isTrue(x.getStatus().conditions, Conditions.INVALID_SPEC));
    return condition(e, Conditions.INVALID_SPEC).getMessage();
  }

  private static Condition condition(StackingExperiment e, String type) {
    return Conditions.get(e.getStatus().conditions, type).orElseThrow();
  }
}
