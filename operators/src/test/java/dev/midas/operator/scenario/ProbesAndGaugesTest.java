package dev.midas.operator.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midas.operator.MidasOperator;
import dev.midas.operator.config.OperatorConfig;
import dev.midas.operator.testing.Await;
import dev.midas.operator.testing.FakeRunnerCluster;
import dev.midas.operator.testing.OperatorHarness;
import dev.midas.operator.testing.TestingApiServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What monitoring sees: gauges of experiments by phase, running stages and heartbeat age; and a
 * liveness probe that fails once the operator's informers have lost the API server.
 */
class ProbesAndGaugesTest {
  @RegisterExtension
  static final FakeRunnerCluster CLUSTER = new FakeRunnerCluster(Map.of("FAKE_STEP_MILLIS", "60"));

  @Test
  void gaugesCountExperimentsByPhaseAndRunningStages() {
    OperatorHarness cluster = CLUSTER.get();
    cluster.create(OperatorHarness.experiment("/experiments/three-stage.yaml", "gauges", "g"));
    cluster.awaitExperiment(
        "gauges",
        "g",
        Duration.ofSeconds(30),
        e -> e.getStatus().heartbeat != null && "Running".equals(e.getStatus().phase));
    Await.until(
        Duration.ofSeconds(10),
        () ->
            cluster.registry().scrape().contains("midas_stages_running 1.0")
                && cluster.registry().scrape().contains("midas_experiments{phase=\"Running\"} 1.0"),
        () -> cluster.registry().scrape());
    assertThat(cluster.registry().scrape()).contains("midas_heartbeat_age_seconds");

    cluster.awaitPhase("gauges", "g", "Succeeded", Duration.ofSeconds(60));
    Await.until(
        Duration.ofSeconds(10),
        () ->
            cluster.registry().scrape().contains("midas_experiments{phase=\"Succeeded\"} 1.0")
                && cluster.registry().scrape().contains("midas_stages_running 0.0"),
        () -> cluster.registry().scrape());
  }

  @Test
  void livenessFailsWhenTheInformersLoseTheApiServer() throws Exception {
    TestingApiServer api = TestingApiServer.start();
    MidasOperator operator =
        MidasOperator.start(
            api.newClient(),
            OperatorConfig.builder().defaultStorageRoot(Optional.of("file:///tmp/none")).build(),
            (root, storage, ns) -> {
              throw new java.io.IOException("no store in this test");
            },
            Clock.systemUTC(),
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    try {
      Await.until(Duration.ofSeconds(30), operator::healthy, () -> "never healthy");
      assertThat(operator.ready()).isTrue();
      api.close();
      Await.until(
          Duration.ofSeconds(60),
          () -> !operator.healthy(),
          () -> "still healthy without a server");
    } finally {
      operator.close();
    }
  }
}
