package dev.midas.operator.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midas.operator.api.StackingExperiment;
import dev.midas.operator.testing.MalformedExperiments;
import dev.midas.operator.testing.OperatorHarness;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every malformed experiment ends with an InvalidSpec condition naming the problem in the user's
 * terms, a Warning event with reason InvalidSpec, phase Failed, and no Job at all. This is the
 * operator's own logic (no stage ever runs), so the harness is the light one with the fake runner.
 */
class InvalidSpecTest {
  private static final String NS = "invalid";
  @TempDir static Path tmp;
  static OperatorHarness cluster;

  @BeforeAll
  static void applyAll() throws Exception {
    cluster = new OperatorHarness(tmp);
    for (MalformedExperiments.Case c : MalformedExperiments.CASES) {
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
    return MalformedExperiments.CASES.stream().map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void isRejectedWithAConditionAnEventAndNoJob(MalformedExperiments.Case c) {
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
}
