package dev.midas.operator.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midas.operator.api.StackingExperiment;
import dev.midas.operator.testing.Await;
import dev.midas.operator.testing.FakeRunnerCluster;
import dev.midas.operator.testing.OperatorHarness;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A StackingExperiment deleted and created again under the same name never adopts its predecessor's
 * Jobs or spec ConfigMap, which the garbage collector has not deleted yet (the mock API server has
 * none, so the test plays it): the new one waits, saying why, and runs its own Jobs, in its own run
 * folder, once the names are free.
 */
class AdoptionTest {
  private static final String NS = "adopt";
  private static final String NAME = "again";

  @RegisterExtension
  static final FakeRunnerCluster CLUSTER = new FakeRunnerCluster(Map.of("FAKE_STEP_MILLIS", "40"));

  @Test
  void recreatedExperimentNeverAdoptsItsPredecessorsJobs() {
    OperatorHarness cluster = CLUSTER.get();
    StackingExperiment first =
        cluster.create(OperatorHarness.experiment("/experiments/three-stage.yaml", NS, NAME));
    cluster.awaitExperiment(
        NS, NAME, Duration.ofSeconds(30), e -> "Running".equals(e.getStatus().phase));
    cluster.client().resources(StackingExperiment.class).inNamespace(NS).withName(NAME).delete();
    Await.until(Duration.ofSeconds(10), () -> cluster.get(NS, NAME) == null, () -> "not deleted");

    StackingExperiment second =
        cluster.create(OperatorHarness.experiment("/experiments/three-stage.yaml", NS, NAME));
    Await.until(
        Duration.ofSeconds(30),
        () -> eventsOf(cluster, second).contains("it is not adopted"),
        () -> eventsOf(cluster, second));
    assertThat(
            ownerUid(cluster.client().configMaps().inNamespace(NS).withName(NAME + "-spec").get()))
        .isEqualTo(first.getMetadata().getUid());

    // The garbage collector catches up with the first experiment's objects.
    cluster.client().batch().v1().jobs().inNamespace(NS).delete();
    cluster.client().configMaps().inNamespace(NS).withName(NAME + "-spec").delete();
    StackingExperiment done = cluster.awaitPhase(NS, NAME, "Succeeded", Duration.ofSeconds(60));

    assertThat(cluster.jobs(NS))
        .isNotEmpty()
        .allSatisfy(j -> assertThat(ownerUid(j)).isEqualTo(second.getMetadata().getUid()));
    assertThat(done.getStatus().stages.get(2).finalManifest)
        .contains("/runs/" + NAME + "/" + second.getMetadata().getUid() + "/");
    assertThat(done.getStatus().stages).extracting(s -> s.attempts).containsExactly(1, 1, 1);
  }

  private static String ownerUid(HasMetadata o) {
    return o.getMetadata().getOwnerReferences().get(0).getUid();
  }

  private static String eventsOf(OperatorHarness cluster, StackingExperiment e) {
    StringBuilder sb = new StringBuilder();
    cluster.client().v1().events().inNamespace(NS).list().getItems().stream()
        .filter(ev -> e.getMetadata().getUid().equals(ev.getInvolvedObject().getUid()))
        .forEach(ev -> sb.append(ev.getReason()).append(": ").append(ev.getMessage()).append('\n'));
    return sb.toString();
  }
}
