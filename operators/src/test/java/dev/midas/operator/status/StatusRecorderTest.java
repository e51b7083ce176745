package dev.midas.operator.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.midas.operator.api.StackingExperiment;
import dev.midas.operator.api.status.ExperimentStatus;
import dev.midas.operator.testing.OperatorHarness;
import dev.midas.operator.testing.TestingApiServer;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

/**
 * A status write carries the resourceVersion its status was computed from: a second writer (another
 * replica) working from the same, now stale, version gets a conflict instead of overwriting; and
 * the recorder's memory is bounded.
 */
class StatusRecorderTest {
  @Test
  void statusComputedFromAStaleVersionIsRefused() throws Exception {
    try (TestingApiServer api = TestingApiServer.start()) {
      StackingExperiment created =
          api.client()
              .resources(StackingExperiment.class)
              .resource(OperatorHarness.experiment("/experiments/three-stage.yaml", "ns", "x"))
              .create();
      StatusRecorder<StackingExperiment, ExperimentStatus> a = recorder(api);
      StatusRecorder<StackingExperiment, ExperimentStatus> b = recorder(api);

      ExperimentStatus first = a.working(Serialization.clone(created));
      first.currentStage = 1;
      a.write(Serialization.clone(created), first);

      ExperimentStatus stale = b.working(Serialization.clone(created));
      stale.currentStage = 2;
      KubernetesClientException e =
          catchThrowableOfType(
              () -> b.write(Serialization.clone(created), stale), KubernetesClientException.class);
      assertThat(e).isNotNull();
      assertThat(e.getCode()).isEqualTo(409);
      assertThat(get(api).getStatus().currentStage).isEqualTo(1);

      ExperimentStatus again = a.working(Serialization.clone(created));
      assertThat(again.currentStage)
          .as("a reconcile from the stale cache starts from what this recorder wrote")
          .isEqualTo(1);
      again.currentStage = 3;
      a.write(Serialization.clone(created), again);
      assertThat(get(api).getStatus().currentStage).isEqualTo(3);
    }
  }

  @Test
  void memoryOfWrittenStatusesIsBounded() throws Exception {
    try (TestingApiServer api = TestingApiServer.start()) {
      assertThat(StatusRecorder.REMEMBERED).isLessThan(10_000);
      StatusRecorder<StackingExperiment, ExperimentStatus> r =
          new StatusRecorder<>(
              api.client(),
              StackingExperiment.class,
              ExperimentStatus.class,
              ExperimentStatus::new,
              e -> {},
              2);
      for (int i = 0; i < 3; i++) {
        StackingExperiment e =
            api.client()
                .resources(StackingExperiment.class)
                .resource(
                    OperatorHarness.experiment("/experiments/three-stage.yaml", "ns", "e" + i))
                .create();
        ExperimentStatus st = r.working(e);
        st.currentStage = 1;
        r.write(e, st);
        assertThat(r.remembered()).isEqualTo(Math.min(i + 1, 2));
      }
    }
  }

  private static StatusRecorder<StackingExperiment, ExperimentStatus> recorder(
      TestingApiServer api) {
    return new StatusRecorder<>(
        api.client(),
        StackingExperiment.class,
        ExperimentStatus.class,
        ExperimentStatus::new,
        e -> {});
  }

  private static StackingExperiment get(TestingApiServer api) {
    return api.client().resources(StackingExperiment.class).inNamespace("ns").withName("x").get();
  }
}
