package dev.midas.operator.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midas.operator.api.StackingExperiment;
import dev.midas.operator.testing.OperatorHarness;
import dev.midas.plan.spec.ExperimentSpec;
import dev.midas.plan.spec.LagSpec;
import dev.midas.plan.spec.ResourcesSpec;
import dev.midas.plan.spec.RetrySpec;
import dev.midas.plan.spec.StorageSpec;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every malformed experiment ends with an InvalidSpec condition naming the problem in the user's
 * terms, a Warning event with reason InvalidSpec, phase Failed, and no Job at all.
 */
class InvalidSpecTest {
  private static final String NS = "invalid";
  @TempDir static Path tmp;
  static OperatorHarness cluster;

  record Case(String name, String problem, Consumer<ExperimentSpec> breakIt) {
    @Override
    public String toString() {
      return name;
    }
  }

  static final List<Case> CASES =
      List.of(
          new Case(
              "layers-not-multiple",
              "not a multiple of growth.blockSize",
              s -> s.model.targetLayers = 7),
          new Case("block-zero", "growth.blockSize", s -> s.growth.blockSize = 0),
          new Case("no-growth", "growth.blockSize", s -> s.growth = null),
          new Case("no-target-layers", "model.targetLayers", s -> s.model.targetLayers = null),
          new Case("zero-steps", "schedule.totalSteps", s -> s.schedule.totalSteps = 0L),
          new Case("no-total-steps", "schedule.totalSteps", s -> s.schedule.totalSteps = null),
          new Case("unknown-operator", "growth.operator", s -> s.growth.operator = "midsa"),
          new Case(
              "unknown-optimizer-state",
              "growth.optimizerState",
              s -> s.growth.optimizerState = "keep"),
          new Case("map-without-map", "growth.map", s -> s.growth.operator = "map"),
          new Case("lag-no-candidates", "growth.lag", s -> s.growth.lag = lag(List.of(), 5L)),
          new Case(
              "lag-unknown-candidate",
              "growth.lag",
              s -> s.growth.lag = lag(List.of("midas", "double"), 5L)),
          new Case(
              "lag-zero-steps",
              "growth.lag",
              s -> s.growth.lag = lag(List.of("midas", "zero"), 0L)),
          new Case("unknown-schedule", "schedule.type", s -> s.schedule.type = "cosine"),
          new Case("negative-alpha", "schedule.alpha", s -> s.schedule.alpha = -1.0),
          new Case(
              "explicit-without-steps", "schedule.stageSteps", s -> s.schedule.type = "explicit"),
          new Case(
              "explicit-wrong-count",
              "schedule.stageSteps",
              s -> {
                s.schedule.type = "explicit";
                s.schedule.stageSteps = List.of(10L, 20L);
              }),
          new Case("zero-batch", "schedule.batchSize", s -> s.schedule.batchSize = 0),
          new Case(
              "zero-checkpoint-every",
              "schedule.checkpointEvery",
              s -> s.schedule.checkpointEvery = 0L),
          new Case(
              "hdfs-root", "storage.root", s -> s.storage = storage("hdfs://namenode/runs", null)),
          new Case("heads-do-not-divide", "model.dModel", s -> s.model.dModel = 30),
          new Case("negative-retry-limit", "retry.limit", s -> s.retry = retry(-1)),
          new Case("negative-gpu", "resources.gpu", s -> s.resources = gpu(-1)),
          new Case(
              "missing-secret",
              "names no Secret",
              s -> s.storage = storage(null, "no-such-secret")),
          new Case("no-vocab", "model.vocabSize", s -> s.model.vocabSize = null),
          new Case(
              "ftp-endpoint", "storage.endpoint", s -> s.storage = endpoint("ftp://store.local")));

  @BeforeAll
  static void applyAll() throws Exception {
    cluster = new OperatorHarness(tmp);
    for (Case c : CASES) {
      StackingExperiment e =
          OperatorHarness.experiment("/experiments/three-stage.yaml", NS, c.name());
      c.breakIt().accept(e.getSpec());
      cluster.create(e);
    }
  }

  @AfterAll
  static void stop() throws Exception {
    cluster.close();
  }

  static Stream<Arguments> cases() {
    return CASES.stream().map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void isRejectedWithAConditionAnEventAndNoJob(Case c) {
    StackingExperiment e =
        cluster.awaitExperiment(
            NS,
            c.name(),
            Duration.ofSeconds(60),
            x ->
                x.getStatus().conditions.stream().anyMatch(k -> "InvalidSpec".equals(k.getType())));

    Condition invalid =
        e.getStatus().conditions.stream()
            .filter(k -> "InvalidSpec".equals(k.getType()))
            .findFirst()
            .orElseThrow();
    assertThat(invalid.getStatus()).isEqualTo("True");
    assertThat(invalid.getReason()).isEqualTo("InvalidSpec");
    assertThat(invalid.getMessage()).contains(c.problem());
    assertThat(e.getStatus().phase).isEqualTo("Failed");
    List<Event> events =
        cluster.client().v1().events().inNamespace(NS).list().getItems().stream()
            .filter(ev -> c.name().equals(ev.getInvolvedObject().getName()))
            .toList();
    assertThat(events)
        .anySatisfy(
            ev -> {
              assertThat(ev.getType()).isEqualTo("Warning");
              assertThat(ev.getReason()).isEqualTo("InvalidSpec");
              assertThat(ev.getMessage()).contains(c.problem());
            });
    assertThat(cluster.jobs(NS))
        .noneMatch(j -> j.getMetadata().getName().startsWith(c.name() + "-"));
  }

  private static LagSpec lag(List<String> candidates, Long steps) {
    LagSpec l = new LagSpec();
    l.candidates = candidates;
    l.steps = steps;
    return l;
  }

  private static StorageSpec storage(String root, String secret) {
    StorageSpec s = new StorageSpec();
    s.root = root;
    s.secretRef = secret;
    return s;
  }

  private static StorageSpec endpoint(String endpoint) {
    StorageSpec s = new StorageSpec();
    s.endpoint = endpoint;
    return s;
  }

  private static RetrySpec retry(int limit) {
    RetrySpec r = new RetrySpec();
    r.limit = limit;
    return r;
  }

  private static ResourcesSpec gpu(int gpu) {
    ResourcesSpec r = new ResourcesSpec();
    r.gpu = gpu;
    return r;
  }
}
