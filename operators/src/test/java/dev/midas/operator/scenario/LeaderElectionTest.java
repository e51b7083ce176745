package dev.midas.operator.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midas.operator.MidasOperator;
import dev.midas.operator.testing.Await;
import dev.midas.operator.testing.FakeRunnerCluster;
import dev.midas.operator.testing.OperatorHarness;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two replicas of the operator on one API server, as a Deployment with {@code replicas: 2} runs
 * them: they elect a leader through a Lease, only the leader reconciles, and when it stops the
 * other takes the Lease over and carries on.
 */
class LeaderElectionTest {
  private static final String LEASE_NS = "midas-system";

  @RegisterExtension
  static final FakeRunnerCluster CLUSTER =
      new FakeRunnerCluster(
          Map.of("FAKE_STEP_MILLIS", "10"),
          b ->
              b.leaseNamespace(Optional.of(LEASE_NS))
                  .identity("replica-a")
                  .leaseDuration(Duration.ofSeconds(3))
                  .exitOnLostLease(false));

  @Test
  void onlyTheLeaderReconcilesAndTheOtherTakesOverWhenItStops() throws Exception {
    OperatorHarness cluster = CLUSTER.get();
    try (OperatorHarness.Replica b = cluster.startReplica(x -> x.identity("replica-b"))) {
      Await.until(Duration.ofSeconds(30), () -> holder(cluster) != null, () -> "no leader");
      String leader = holder(cluster);
      cluster.create(OperatorHarness.experiment("/experiments/three-stage.yaml", "ha", "first"));
      cluster.awaitPhase("ha", "first", "Succeeded", Duration.ofSeconds(60));

      PrometheusMeterRegistry leaderMetrics =
          leader.equals("replica-a") ? cluster.registry() : b.registry();
      PrometheusMeterRegistry followerMetrics =
          leader.equals("replica-a") ? b.registry() : cluster.registry();
      assertThat(reconciles(leaderMetrics)).isPositive();
      assertThat(reconciles(followerMetrics)).as("the follower reconciled nothing").isZero();
      assertThat(holder(cluster)).isEqualTo(leader);
      MidasOperator following = leader.equals("replica-a") ? b.operator() : cluster.operator();
      assertThat(following.leading()).isFalse();
      assertThat(following.ready()).as("a follower is ready").isTrue();
      assertThat(following.healthy()).as("and alive").isTrue();

      if (leader.equals("replica-a")) {
        cluster.stopOperator();
      } else {
        b.close();
      }
      String follower = leader.equals("replica-a") ? "replica-b" : "replica-a";
      Await.until(
          Duration.ofSeconds(30), () -> follower.equals(holder(cluster)), () -> holder(cluster));
      cluster.create(OperatorHarness.experiment("/experiments/three-stage.yaml", "ha", "second"));
      cluster.awaitPhase("ha", "second", "Succeeded", Duration.ofSeconds(60));
      assertThat(reconciles(followerMetrics)).as("the new leader reconciles").isPositive();
      if (leader.equals("replica-b")) {
        cluster.stopOperator();
        cluster.startOperator();
      }
    }
  }

  private static String holder(OperatorHarness cluster) {
    Lease l =
        cluster.client().leases().inNamespace(LEASE_NS).withName(MidasOperator.LEASE_NAME).get();
    return l == null || l.getSpec() == null ? null : l.getSpec().getHolderIdentity();
  }

  private static double reconciles(PrometheusMeterRegistry r) {
    var timer = r.find("midas.reconcile").tag("controller", "stackingexperiment").timer();
    return timer == null ? 0 : timer.count();
  }
}
