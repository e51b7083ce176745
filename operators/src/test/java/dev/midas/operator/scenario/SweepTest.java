package dev.midas.operator.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midas.operator.api.StackingExperiment;
import dev.midas.operator.api.StackingSweep;
import dev.midas.operator.api.SweepAxes;
import dev.midas.operator.api.SweepSpec;
import dev.midas.operator.testing.Await;
import dev.midas.operator.testing.OperatorHarness;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 2x2 sweep (operator x seed) with maxParallel 2 runs its four children at most two at a time,
 * trains each seed's shared first stage once, and ends with a table of every child's losses.
 */
class SweepTest {
  private static final String NS = "sweep";
  @TempDir static Path tmp;
  static OperatorHarness cluster;

  @BeforeAll
  static void start() throws Exception {
    cluster = new OperatorHarness(tmp, Map.of("FAKE_STEP_MILLIS", "2"));
  }

  @AfterAll
  static void stop() throws Exception {
    cluster.close();
  }

  @Test
  void twoByTwoSweepSharesFirstStagesAndRespectsMaxParallel() {
    StackingSweep sweep = new StackingSweep();
    sweep.getMetadata().setName("grid");
    sweep.getMetadata().setNamespace(NS);
    sweep.setSpec(new SweepSpec());
    sweep.getSpec().template =
        OperatorHarness.experiment("/experiments/three-stage.yaml", NS, "t").getSpec();
    sweep.getSpec().axes = new SweepAxes();
    sweep.getSpec().axes.operator = List.of("midas", "gradstack");
    sweep.getSpec().axes.seed = List.of(1L, 2L);
    sweep.getSpec().maxParallel = 2;
    cluster.create(sweep);

    AtomicInteger mostUnfinished = new AtomicInteger();
    Await.until(
        Duration.ofSeconds(150),
        () -> {
          List<StackingExperiment> children =
              cluster
                  .client()
                  .resources(StackingExperiment.class)
                  .inNamespace(NS)
                  .list()
                  .getItems();
          long unfinished =
              children.stream()
                  .filter(
                      c ->
                          c.getStatus() == null
                              || !List.of("Succeeded", "Failed").contains(c.getStatus().phase))
                  .count();
          mostUnfinished.accumulateAndGet((int) unfinished, Math::max);
          StackingSweep s =
              cluster
                  .client()
                  .resources(StackingSweep.class)
                  .inNamespace(NS)
                  .withName("grid")
                  .get();
          return s.getStatus() != null && "Succeeded".equals(s.getStatus().phase);
        },
        () ->
            String.valueOf(
                cluster
                    .client()
                    .resources(StackingSweep.class)
                    .inNamespace(NS)
                    .withName("grid")
                    .get()
                    .getStatus()));

    StackingSweep done =
        cluster.client().resources(StackingSweep.class).inNamespace(NS).withName("grid").get();
    assertThat(mostUnfinished.get()).isLessThanOrEqualTo(2);
    assertThat(done.getStatus().done).isEqualTo("4/4");
    assertThat(done.getStatus().table)
        .hasSize(4)
        .allSatisfy(
            r -> {
              assertThat(r.phase).isEqualTo("Succeeded");
              assertThat(r.valLoss).isNotNull();
            });
    assertThat(done.getStatus().table)
        .extracting(r -> r.operator + "/" + r.seed + "/" + r.sharesStagesWith)
        .containsExactly(
            "midas/1/null", "gradstack/1/grid-01", "midas/2/null", "gradstack/2/grid-03");
    assertThat(done.getStatus().best).isIn("grid-01", "grid-03");

    StackingExperiment leader = cluster.get(NS, "grid-01");
    StackingExperiment follower = cluster.get(NS, "grid-02");
    assertThat(follower.getStatus().stages.get(0).phase).isEqualTo("Shared");
    assertThat(follower.getStatus().stages.get(0).finalManifest)
        .isEqualTo(leader.getStatus().stages.get(0).finalManifest);
    assertThat(follower.getStatus().stages.get(1).initManifest)
        .isEqualTo(leader.getStatus().stages.get(0).finalManifest);
    assertThat(follower.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(o -> assertThat(o.getUid()).isEqualTo(done.getMetadata().getUid()));
    assertThat(cluster.jobs(NS))
        .filteredOn(j -> "1".equals(j.getMetadata().getLabels().get("midas.dev/stage")))
        .extracting(j -> j.getMetadata().getName())
        .containsExactlyInAnyOrder("grid-01-s01-a1", "grid-03-s01-a1");
    assertThat(cluster.jobs(NS)).hasSize(2 + 4 * 2);
  }
}
