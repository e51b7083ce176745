package dev.midas.operator.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midas.operator.api.StackingExperiment;
import dev.midas.operator.lifecycle.Conditions;
import dev.midas.operator.testing.FakeRunnerCluster;
import dev.midas.operator.testing.OperatorHarness;
import dev.midas.plan.spec.ResourcesSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The operator's allow-list: an experiment may ask only for the images, priority classes and node
 * selectors its administrator allows; anything else is an InvalidSpec naming the field and what is
 * allowed, and no Job is created. What is allowed passes.
 */
class AllowListTest {
  private static final String NS = "allow";

  @RegisterExtension
  static final FakeRunnerCluster CLUSTER =
      new FakeRunnerCluster(
          Map.of("FAKE_STEP_MILLIS", "2"),
          b ->
              b.allowedImages(List.of("registry.local/ours/*"))
                  .allowedPriorityClasses(List.of("batch-low"))
                  .allowedNodeSelectors(List.of("nvidia.com/gpu.present", "zone=a")));

  @Test
  void experimentAskingForWhatIsNotAllowedIsRefusedNamingEachField() {
    OperatorHarness cluster = CLUSTER.get();
    cluster.create(
        asking("greedy", "docker.io/someone/miner:1", "system-cluster-critical", "zone", "b"));

    StackingExperiment e =
        cluster.awaitExperiment(
            NS,
            "greedy",
            Duration.ofSeconds(30),
            x -> Conditions.isTrue(x.getStatus().conditions, Conditions.INVALID_SPEC));
    String message =
        Conditions.get(e.getStatus().conditions, Conditions.INVALID_SPEC)
            .orElseThrow()
            .getMessage();
    assertThat(message)
        .contains(
            "resources.image 'docker.io/someone/miner:1' is not allowed here"
                + " (MIDAS_ALLOWED_IMAGES: registry.local/ours/*)")
        .contains(
            "resources.priorityClassName 'system-cluster-critical' is not allowed here"
                + " (MIDAS_ALLOWED_PRIORITY_CLASSES: batch-low)")
        .contains("resources.nodeSelector zone=b is not allowed here");
    assertThat(cluster.jobs(NS)).noneMatch(j -> j.getMetadata().getName().startsWith("greedy-"));
  }

  @Test
  void experimentAskingForWhatIsAllowedRuns() {
    OperatorHarness cluster = CLUSTER.get();
    StackingExperiment e = asking("modest", null, "batch-low", "nvidia.com/gpu.present", "true");
    cluster.create(e);

    StackingExperiment done = cluster.awaitPhase(NS, "modest", "Succeeded", Duration.ofSeconds(60));
    assertThat(done.getStatus().conditions)
        .noneMatch(
            c -> Conditions.INVALID_SPEC.equals(c.getType()) && "True".equals(c.getStatus()));
    assertThat(
            cluster.jobs(NS).stream()
                .filter(j -> j.getMetadata().getName().startsWith("modest-"))
                .findFirst()
                .orElseThrow()
                .getSpec()
                .getTemplate()
                .getSpec()
                .getPriorityClassName())
        .isEqualTo("batch-low");
  }

  private static StackingExperiment asking(
      String name, String image, String priorityClass, String key, String value) {
    StackingExperiment e = OperatorHarness.experiment("/experiments/three-stage.yaml", NS, name);
    e.getSpec().resources = new ResourcesSpec();
    e.getSpec().resources.image = image;
    e.getSpec().resources.priorityClassName = priorityClass;
    e.getSpec().resources.nodeSelector = Map.of(key, value);
    return e;
  }
}
