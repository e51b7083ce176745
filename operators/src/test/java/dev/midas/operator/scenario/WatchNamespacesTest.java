package dev.midas.operator.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midas.operator.api.StackingExperiment;
import dev.midas.operator.testing.FakeRunnerCluster;
import dev.midas.operator.testing.OperatorHarness;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * With {@code MIDAS_WATCH_NAMESPACES} set, the operator runs experiments in those namespaces only
 * (as k8s/namespaced installs it, with its role bound there alone): one elsewhere is not touched.
 */
class WatchNamespacesTest {
  @RegisterExtension
  static final FakeRunnerCluster CLUSTER =
      new FakeRunnerCluster(
          Map.of("FAKE_STEP_MILLIS", "2"), b -> b.watchNamespaces(Set.of("watched")));

  @Test
  void experimentsOutsideTheWatchedNamespacesAreLeftAlone() throws Exception {
    OperatorHarness cluster = CLUSTER.get();
    cluster.create(OperatorHarness.experiment("/experiments/three-stage.yaml", "elsewhere", "x"));
    cluster.create(OperatorHarness.experiment("/experiments/three-stage.yaml", "watched", "x"));

    cluster.awaitPhase("watched", "x", "Succeeded", Duration.ofSeconds(60));
    StackingExperiment ignored = cluster.get("elsewhere", "x");
    assertThat(ignored.getStatus()).isNull();
    assertThat(cluster.jobs("elsewhere")).isEmpty();
    assertThat(cluster.api().operatorRequests())
        .noneMatch(r -> r.contains("/namespaces/elsewhere/"));
  }
}
