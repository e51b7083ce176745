package dev.midas.operator.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midas.operator.api.StackingExperiment;
import dev.midas.operator.lifecycle.Conditions;
import dev.midas.operator.testing.FakeRunnerCluster;
import dev.midas.operator.testing.OperatorHarness;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The operator loses its way to the object store: the experiment gets a StorageUnavailable
 * condition naming the store and a Warning event, reconciles are retried with backoff for as long
 * as the outage lasts (longer than JOSDK's default five attempts), and the run goes on once the
 * store is back; a stage that was backing off is not left waiting for a resync. The fake runner
 * keeps writing to the store: only the operator's view fails.
 */
class StoreOutageTest {
  @RegisterExtension
  static final FakeRunnerCluster CLUSTER =
      new FakeRunnerCluster(
          Map.of("FAKE_STEP_MILLIS", "10", "FAKE_EXIT", "backing-off:1:5:1"),
          // Retries at most 300 ms apart: JOSDK's default five would be spent in 1.4 s.
          b -> b.retryMaxInterval(Duration.ofMillis(300)));

  static OperatorHarness cluster;

  @BeforeAll
  static void start() {
    cluster = CLUSTER.get();
  }

  @Test
  void unreachableStoreIsAConditionAndAnEventAndTheRunGoesOnWhenItIsBack() throws Exception {
    cluster.stores().startOutage("connection refused (store down)");
    cluster.create(OperatorHarness.experiment("/experiments/three-stage.yaml", "outage", "down"));

    StackingExperiment blocked =
        cluster.awaitExperiment(
            "outage",
            "down",
            Duration.ofSeconds(30),
            e -> Conditions.isTrue(e.getStatus().conditions, Conditions.STORAGE_UNAVAILABLE));
    Condition c = condition(blocked, Conditions.STORAGE_UNAVAILABLE);
    assertThat(c.getReason()).isEqualTo("StoreUnreachable");
    assertThat(c.getMessage())
        .contains(cluster.rootUri())
        .contains("cannot be read")
        .contains("connection refused (store down)");
    assertThat(cluster.jobs("outage")).as("nothing is launched blind").isEmpty();
    assertThat(events("outage", "down")).contains("StorageUnavailable");
    Thread.sleep(1500);
    assertThat(events("outage", "down"))
        .as("one event for the outage, not one per retry")
        .containsOnlyOnce("StorageUnavailable");

    cluster.stores().endOutage();
    StackingExperiment done =
        cluster.awaitPhase("outage", "down", "Succeeded", Duration.ofSeconds(60));

    Condition after = condition(done, Conditions.STORAGE_UNAVAILABLE);
    assertThat(after.getStatus()).isEqualTo("False");
    assertThat(after.getReason()).isEqualTo("StorageAvailable");
    assertThat(events("outage", "down")).contains("StorageAvailable");
    assertThat(cluster.registry().scrape()).containsPattern("midas_store_errors_total [1-9]");
  }

  @Test
  void stageBackingOffDuringAnOutageIsRetriedOnceTheStoreIsBack() throws Exception {
    StackingExperiment exp =
        OperatorHarness.experiment("/experiments/three-stage.yaml", "backoff", "backing-off");
    exp.getSpec().retry.backoffSeconds = 1L;
    cluster.create(exp);
    cluster.awaitExperiment(
        "backoff",
        "backing-off",
        Duration.ofSeconds(30),
        e -> "BackingOff".equals(e.getStatus().stages.get(0).phase));

    cluster.stores().startOutage("store unreachable");
    cluster.awaitExperiment(
        "backoff",
        "backing-off",
        Duration.ofSeconds(30),
        e -> Conditions.isTrue(e.getStatus().conditions, Conditions.STORAGE_UNAVAILABLE));
    // Longer than the backoff, and than JOSDK's default five retries would last at this rate.
    Thread.sleep(2500);
    assertThat(cluster.jobs("backoff")).hasSize(1);
    cluster.stores().endOutage();

    StackingExperiment done =
        cluster.awaitPhase("backoff", "backing-off", "Succeeded", Duration.ofSeconds(60));
    assertThat(done.getStatus().stages.get(0).attempts).isEqualTo(2);
    assertThat(done.getStatus().stages.get(0).failures).isEqualTo(1);
  }

  private static Condition condition(StackingExperiment e, String type) {
    return e.getStatus().conditions.stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElseThrow();
  }

  private static String events(String ns, String name) {
    StringBuilder sb = new StringBuilder();
    cluster.client().v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName()))
        .forEach(e -> sb.append(e.getReason()).append('\n'));
    return sb.toString();
  }
}
