package dev.midas.operator.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midas.operator.api.StackingExperiment;
import dev.midas.operator.api.StackingSweep;
import dev.midas.operator.api.SweepAxes;
import dev.midas.operator.api.SweepSpec;
import dev.midas.operator.testing.Await;
import dev.midas.operator.testing.FakeRunnerCluster;
import dev.midas.operator.testing.OperatorHarness;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A StackingExperiment deleted and created again under the same name never adopts its predecessor's
 * Jobs or spec ConfigMap, which the garbage collector has not deleted yet (the mock API server has
 * none, so the test plays it): the new one waits, saying why, and runs its own Jobs, in its own run
 * folder, once the names are free. A re-created StackingSweep likewise never adopts its
 * predecessor's child experiments. The reconcile fails the same way on every retry meanwhile, and
 * says so in one ReconcileFailed event, not one per retry.
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
    // Retried with backoff meanwhile (200 ms doubling): the same failure is one event, not one a
    // retry.
    sleep(1_500);
    assertThat(eventsOf(cluster, second).lines().filter(l -> l.startsWith("ReconcileFailed")))
        .singleElement()
        .satisfies(l -> assertThat(l).contains("it is not adopted"));

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

  @Test
  void recreatedSweepNeverAdoptsItsPredecessorsChildren() {
    OperatorHarness cluster = CLUSTER.get();
    String ns = "adopt-sweep";
    StackingSweep first = cluster.client().resource(sweep(ns)).create();
    Await.until(
        Duration.ofSeconds(30), () -> !children(cluster, ns).isEmpty(), () -> "no child yet");
    cluster.client().resources(StackingSweep.class).inNamespace(ns).withName(NAME).delete();
    Await.until(
        Duration.ofSeconds(10),
        () ->
            cluster.client().resources(StackingSweep.class).inNamespace(ns).withName(NAME).get()
                == null,
        () -> "sweep not deleted");

    StackingSweep second = cluster.client().resource(sweep(ns)).create();
    Await.until(
        Duration.ofSeconds(30),
        () -> eventsOf(cluster, ns, second).contains("it is not adopted"),
        () -> eventsOf(cluster, ns, second));
    assertThat(children(cluster, ns))
        .singleElement()
        .satisfies(c -> assertThat(ownerUid(c)).isEqualTo(first.getMetadata().getUid()));

    // The garbage collector catches up with the first sweep's child and what that child made.
    cluster.client().resources(StackingExperiment.class).inNamespace(ns).delete();
    cluster.client().batch().v1().jobs().inNamespace(ns).delete();
    cluster.client().configMaps().inNamespace(ns).delete();
    Await.until(
        Duration.ofSeconds(60),
        () -> {
          StackingSweep s =
              cluster.client().resources(StackingSweep.class).inNamespace(ns).withName(NAME).get();
          return s.getStatus() != null && "Succeeded".equals(s.getStatus().phase);
        },
        () -> String.valueOf(children(cluster, ns)));
    assertThat(children(cluster, ns))
        .singleElement()
        .satisfies(c -> assertThat(ownerUid(c)).isEqualTo(second.getMetadata().getUid()));
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static StackingSweep sweep(String ns) {
    StackingSweep s = new StackingSweep();
    s.getMetadata().setName(NAME);
    s.getMetadata().setNamespace(ns);
    SweepSpec spec = new SweepSpec();
    spec.template = OperatorHarness.experiment("/experiments/three-stage.yaml", ns, "t").getSpec();
    spec.axes = new SweepAxes();
    spec.axes.seed = List.of(1L);
    s.setSpec(spec);
    return s;
  }

  private static List<StackingExperiment> children(OperatorHarness cluster, String ns) {
    return cluster.client().resources(StackingExperiment.class).inNamespace(ns).list().getItems();
  }

  private static String ownerUid(HasMetadata o) {
    return o.getMetadata().getOwnerReferences().get(0).getUid();
  }

  private static String eventsOf(OperatorHarness cluster, StackingExperiment e) {
    return eventsOf(cluster, NS, e);
  }

  private static String eventsOf(OperatorHarness cluster, String ns, HasMetadata e) {
    StringBuilder sb = new StringBuilder();
    cluster.client().v1().events().inNamespace(ns).list().getItems().stream()
        .filter(ev -> e.getMetadata().getUid().equals(ev.getInvolvedObject().getUid()))
        .forEach(ev -> sb.append(ev.getReason()).append(": ").append(ev.getMessage()).append('\n'));
    return sb.toString();
  }
}
