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
 * on the operator's machine, is refused. Where RBAC forbids the operator the experiment's Secret
 * (no RoleBinding in its namespace), the experiment says which one to create, once, launches
 * nothing, asks for the Secret no more often than its credentials TTL, and runs once it may.
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
  void secretTheOperatorMayNotReadStopsTheExperimentSayingWhichRoleBindingToCreate()
      throws Exception {
    OperatorHarness cluster = CLUSTER.get();
    String ns = "locked";
    String secrets = "/api/v1/namespaces/" + ns + "/secrets/";
    cluster.namespace(ns);
    cluster.api().forbid(secrets);
    StackingExperiment exp = own("locked", OperatorHarness.STORE_SECRET);
    exp.getMetadata().setNamespace(ns);
    cluster.create(exp);

    StackingExperiment stopped =
        cluster.awaitExperiment(
            ns,
            "locked",
            Duration.ofSeconds(60),
            e -> Conditions.isTrue(e.getStatus().conditions, Conditions.STORAGE_UNAVAILABLE));
    Condition c = condition(stopped, Conditions.STORAGE_UNAVAILABLE);
    assertThat(c.getReason()).isEqualTo("StoreCredentialsForbidden");
    String command =
        "kubectl create rolebinding midas-operator-secrets --clusterrole=midas-operator-secrets"
            + " --serviceaccount=midas-system:midas-operator -n locked";
    assertThat(c.getMessage())
        .contains("may not read Secret locked/" + OperatorHarness.STORE_SECRET)
        .contains(command);
    assertThat(stopped.getStatus().reason).isEqualTo("StoreCredentialsForbidden");
    // The harness's credentials TTL is 2 s and its retries start at 200 ms, doubling: in 3 s a
    // retried reconcile would open the store four times or more, a rescheduled one once or twice.
    int opensBefore = cluster.stores().opens(ns);
    Thread.sleep(3_000);
    assertThat(cluster.stores().opens(ns) - opensBefore)
        .as("no retries: the store is tried again after the credentials TTL")
        .isLessThanOrEqualTo(2);
    assertThat(
            cluster.api().operatorRequests().stream()
                .filter(r -> r.startsWith("GET " + secrets))
                .count())
        .as("the refused Secret is asked for at most once per credentials TTL")
        .isBetween(1L, 3L);
    assertThat(cluster.jobs(ns)).as("no stage launched with other credentials").isEmpty();
    assertThat(CLUSTER.s3().open("own-locked").list(""))
        .as("the store was never opened with the operator's own credentials")
        .isEmpty();
    assertThat(cluster.client().v1().events().inNamespace(ns).list().getItems())
        .filteredOn(e -> "StoreCredentialsForbidden".equals(e.getReason()))
        .singleElement()
        .satisfies(e -> assertThat(e.getMessage()).contains(command));

    cluster.api().allow(secrets);
    cluster.awaitExperiment(
        ns,
        "locked",
        Duration.ofSeconds(60),
        e ->
            !e.getStatus().stages.isEmpty() && "Running".equals(e.getStatus().stages.get(0).phase));
    assertThat(condition(cluster.get(ns, "locked"), Conditions.STORAGE_UNAVAILABLE).getStatus())
        .isEqualTo("False");
    cluster
        .client()
        .resources(StackingExperiment.class)
        .inNamespace(ns)
        .withName("locked")
        .delete();
    cluster.client().batch().v1().jobs().inNamespace(ns).withName("locked-s01-a1").delete();
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
