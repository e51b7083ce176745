package dev.midas.operator.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midas.operator.api.StackingExperiment;
import dev.midas.operator.api.StackingSweep;
import dev.midas.operator.api.SweepAxes;
import dev.midas.operator.api.SweepSpec;
import dev.midas.operator.lifecycle.Conditions;
import dev.midas.operator.sweep.SweepChild;
import dev.midas.operator.sweep.SweepPlanner;
import dev.midas.operator.sweep.SweepReconciler;
import dev.midas.operator.testing.Await;
import dev.midas.operator.testing.FakeRunnerCluster;
import dev.midas.operator.testing.OperatorHarness;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A sweep's limits: it stops creating children once more than {@code maxFailed} have failed; a grid
 * too big for its status, a name that cannot label its children, or a template any child would find
 * invalid is refused with a condition saying what to change, and no child is created.
 */
class SweepLimitsTest {
  private static final String NS = "sweeps";

  /** The first two points of the "flaky" sweep fail at once with a bad-spec exit. */
  private static final List<SweepChild> FLAKY = SweepPlanner.plan("flaky", flakySpec());

  @RegisterExtension
  static final FakeRunnerCluster CLUSTER =
      new FakeRunnerCluster(
          Map.of(
              "FAKE_STEP_MILLIS",
              "2",
              "FAKE_EXIT",
              FLAKY.get(0).name() + ":1:2," + FLAKY.get(1).name() + ":1:2"));

  @Test
  void sweepStopsCreatingChildrenOnceMoreThanMaxFailedHaveFailed() {
    OperatorHarness cluster = CLUSTER.get();
    cluster.create(sweep("flaky", flakySpec()));

    StackingSweep done = awaitSweep("flaky", s -> "Failed".equals(s.getStatus().phase));

    assertThat(done.getStatus().table)
        .extracting(r -> r.phase)
        .containsExactly("Failed", "Failed", "NotCreated", "NotCreated");
    assertThat(condition(done, Conditions.FAILED).getReason()).isEqualTo("TooManyFailures");
    assertThat(condition(done, Conditions.FAILED).getMessage())
        .startsWith("2 children failed, more than spec.maxFailed 1");
    assertThat(
            cluster.client().resources(StackingExperiment.class).inNamespace(NS).list().getItems())
        .extracting(e -> e.getMetadata().getName())
        .containsExactlyInAnyOrder(FLAKY.get(0).name(), FLAKY.get(1).name());
  }

  @Test
  void oversizedGridIsRefusedSayingHowToSplitIt() {
    SweepSpec spec = flakySpec();
    spec.axes.seed = LongStream.range(0, 300).boxed().toList();
    String message = refused("huge", spec);
    assertThat(message)
        .contains("spec.axes make 300 children (operator 1 x blockSize 1 x alpha 1 x seed 300)")
        .contains("at most 256: split it into several sweeps");
  }

  @Test
  void sweepWithAnInvalidTemplateOrNameCreatesNoChild() {
    SweepSpec spec = flakySpec();
    spec.template.model.seqLen = 2_000_000_000;
    assertThat(refused("badtemplate", spec)).contains("model.seqLen 2000000000 must be at most");

    String longName = "x".repeat(64);
    assertThat(refused(longName, flakySpec()))
        .contains("metadata.name")
        .contains("at most 63")
        .contains("rename the sweep");
  }

  private static String refused(String name, SweepSpec spec) {
    CLUSTER.get().create(sweep(name, spec));
    StackingSweep s =
        awaitSweep(name, x -> Conditions.isTrue(x.getStatus().conditions, Conditions.INVALID_SPEC));
    assertThat(s.getStatus().phase).isEqualTo("Failed");
    assertThat(
            CLUSTER
                .get()
                .client()
                .resources(StackingExperiment.class)
                .inNamespace(NS)
                .list()
                .getItems())
        .noneMatch(
            e ->
                e.getMetadata().getLabels() != null
                    && name.equals(e.getMetadata().getLabels().get(SweepReconciler.LABEL_SWEEP)));
    return condition(s, Conditions.INVALID_SPEC).getMessage();
  }

  private static SweepSpec flakySpec() {
    SweepSpec s = new SweepSpec();
    s.template = OperatorHarness.experiment("/experiments/three-stage.yaml", NS, "t").getSpec();
    s.template.retry.limit = 0;
    s.axes = new SweepAxes();
    s.axes.seed = List.of(1L, 2L, 3L, 4L);
    s.maxParallel = 1;
    s.maxFailed = 1;
    return s;
  }

  private static StackingSweep sweep(String name, SweepSpec spec) {
    StackingSweep s = new StackingSweep();
    s.getMetadata().setName(name);
    s.getMetadata().setNamespace(NS);
    s.setSpec(spec);
    return s;
  }

  private static StackingSweep awaitSweep(
      String name, java.util.function.Predicate<StackingSweep> p) {
    OperatorHarness cluster = CLUSTER.get();
    Await.until(
        Duration.ofSeconds(60),
        () -> {
          StackingSweep s = get(name);
          return s != null && s.getStatus() != null && p.test(s);
        },
        () -> String.valueOf(get(name) == null ? null : get(name).getStatus()));
    return get(name);
  }

  private static StackingSweep get(String name) {
    return CLUSTER
        .get()
        .client()
        .resources(StackingSweep.class)
        .inNamespace(NS)
        .withName(name)
        .get();
  }

  private static Condition condition(StackingSweep s, String type) {
    return Conditions.get(s.getStatus().conditions, type).orElseThrow();
  }
}
