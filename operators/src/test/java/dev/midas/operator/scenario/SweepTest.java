package dev.midas.operator.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midas.operator.api.StackingExperiment;
import dev.midas.operator.api.StackingSweep;
import dev.midas.operator.api.SweepAxes;
import dev.midas.operator.api.SweepSpec;
import dev.midas.operator.sweep.SweepPlanner;
import dev.midas.operator.testing.Await;
import dev.midas.operator.testing.OperatorHarness;
import dev.midas.operator.testing.RealRunnerCluster;
import dev.midas.proto.CheckpointManifest;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A 2x2 sweep (operator x seed) of 2-stage experiments with maxParallel 2 runs its four children at
 * most two at a time, trains each seed's shared first stage once (the real stage runner against
 * S3Proxy), and ends with a table of every child's losses.
 */
class SweepTest {
  private static final String NS = "sweep";
  @RegisterExtension static final RealRunnerCluster CLUSTER = new RealRunnerCluster();

  @Test
  void twoByTwoSweepSharesFirstStagesAndRespectsMaxParallel() throws Exception {
    OperatorHarness cluster = CLUSTER.get();
    StackingSweep sweep = new StackingSweep();
    sweep.getMetadata().setName("grid");
    sweep.getMetadata().setNamespace(NS);
    sweep.setSpec(new SweepSpec());
    sweep.getSpec().template =
        OperatorHarness.experiment("/experiments/tiny-real.yaml", NS, "t").getSpec();
    sweep.getSpec().axes = new SweepAxes();
    // With one block, gradstack would grow the same model as midas; zero differs.
    sweep.getSpec().axes.operator = List.of("midas", "zero");
    sweep.getSpec().axes.seed = List.of(1L, 2L);
    sweep.getSpec().maxParallel = 2;
    cluster.create(sweep);

    AtomicInteger mostUnfinished = new AtomicInteger();
    Await.until(
        Duration.ofSeconds(300),
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
    // Children are named by a hash of their axis values, so editing the axes keeps the names.
    List<String> names = done.getStatus().table.stream().map(r -> r.experiment).toList();
    assertThat(names)
        .isEqualTo(SweepPlanner.plan("grid", done.getSpec()).stream().map(c -> c.name()).toList())
        .allMatch(n -> n.matches("grid-[0-9a-f]{10}"));
    String seed1 = names.get(0);
    String seed1Zero = names.get(1);
    String seed2 = names.get(2);
    assertThat(done.getStatus().table)
        .extracting(r -> r.operator + "/" + r.seed + "/" + r.sharesStagesWith)
        .containsExactly("midas/1/null", "zero/1/" + seed1, "midas/2/null", "zero/2/" + seed2);
    assertThat(done.getStatus().best)
        .as("the child with the lowest validation loss")
        .isEqualTo(
            done.getStatus().table.stream()
                .min(Comparator.comparingDouble(r -> r.valLoss))
                .orElseThrow()
                .experiment);

    StackingExperiment leader = cluster.get(NS, seed1);
    StackingExperiment follower = cluster.get(NS, seed1Zero);
    assertThat(follower.getStatus().stages.get(0).phase).isEqualTo("Shared");
    assertThat(follower.getStatus().stages.get(0).finalManifest)
        .isEqualTo(leader.getStatus().stages.get(0).finalManifest);
    assertThat(follower.getStatus().stages.get(1).initManifest)
        .isEqualTo(leader.getStatus().stages.get(0).finalManifest);
    CheckpointManifest followerFinal =
        cluster.manifest(follower.getStatus().stages.get(1).finalManifest);
    assertThat(followerFinal.getParentManifest())
        .as("the follower's stage 2 trained from the leader's stage-1 checkpoint")
        .isEqualTo(leader.getStatus().stages.get(0).finalManifest);
    assertThat(followerFinal.getUid()).isEqualTo(follower.getMetadata().getUid());
    assertThat(follower.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(o -> assertThat(o.getUid()).isEqualTo(done.getMetadata().getUid()));
    assertThat(cluster.jobs(NS))
        .filteredOn(j -> "1".equals(j.getMetadata().getLabels().get("midas.dev/stage")))
        .extracting(j -> j.getMetadata().getName())
        .containsExactlyInAnyOrder(seed1 + "-s01-a1", seed2 + "-s01-a1");
    assertThat(cluster.jobs(NS)).hasSize(2 + 4);
  }
}
