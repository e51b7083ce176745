package dev.midas.operator;

import dev.midas.operator.api.StackingExperiment;
import dev.midas.operator.api.StackingSweep;
import dev.midas.operator.api.status.ExperimentStatus;
import dev.midas.operator.api.status.SweepStatus;
import dev.midas.operator.config.OperatorConfig;
import dev.midas.operator.controller.SharedStagesObserver;
import dev.midas.operator.controller.StackingExperimentController;
import dev.midas.operator.controller.StackingSweepController;
import dev.midas.operator.events.EventRecorder;
import dev.midas.operator.launch.StageJobFactory;
import dev.midas.operator.launch.StageLauncher;
import dev.midas.operator.metrics.OperatorMetrics;
import dev.midas.operator.reconciler.ExperimentReconciler;
import dev.midas.operator.reconciler.LagReconciler;
import dev.midas.operator.status.ExperimentStatusDeriver;
import dev.midas.operator.status.StatusRecorder;
import dev.midas.operator.store.RunStores;
import dev.midas.operator.sweep.SweepReconciler;
import dev.midas.operator.validation.ExperimentValidator;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;

/**
 * Wires the operator: both controllers, their collaborators and JOSDK, on a given client, store
 * opener, clock and meter registry, so that {@link OperatorMain} and the tests start the very same
 * thing.
 */
public final class MidasOperator implements AutoCloseable {
  private final Operator operator;

  private MidasOperator(Operator operator) {
    this.operator = operator;
  }

  public static MidasOperator start(
      KubernetesClient client,
      OperatorConfig config,
      RunStores stores,
      Clock clock,
      MeterRegistry registry) {
    OperatorMetrics metrics = new OperatorMetrics(registry);
    EventRecorder events = new EventRecorder(client, clock);
    StageLauncher launcher = new StageLauncher(client);
    StageJobFactory jobs = new StageJobFactory(config);
    ExperimentReconciler reconciler =
        new ExperimentReconciler(
            launcher,
            jobs,
            new LagReconciler(launcher, jobs, events, clock),
            events,
            metrics,
            clock,
            config);
    var experimentStatus =
        new StatusRecorder<>(
            client,
            StackingExperiment.class,
            ExperimentStatus.class,
            ExperimentStatus::new,
            exp -> ExperimentStatusDeriver.derive(exp, metrics, clock));
    var sweepStatus =
        new StatusRecorder<>(
            client,
            StackingSweep.class,
            SweepStatus.class,
            SweepStatus::new,
            sweep -> sweep.getStatus().observedGeneration = sweep.getMetadata().getGeneration());

    Operator operator =
        new Operator(
            o ->
                o.withKubernetesClient(client)
                    .withUseSSAToPatchPrimaryResource(false)
                    .withCloseClientOnStop(false)
                    .withMetrics(
                        MicrometerMetrics.newPerResourceCollectingMicrometerMetricsBuilder(registry)
                            .build()));
    operator.register(
        new StackingExperimentController(
            new ExperimentValidator(config),
            reconciler,
            experimentStatus,
            stores,
            new SharedStagesObserver(),
            events,
            metrics,
            clock),
        o -> o.withRetry(retry(config)));
    operator.register(
        new StackingSweepController(
            new SweepReconciler(client, events, clock),
            sweepStatus,
            metrics,
            config.pollInterval()),
        o -> o.withRetry(retry(config)));
    operator.start();
    return new MidasOperator(operator);
  }

  /**
   * A failing reconcile (an unreachable store, a refused API request) is retried for as long as it
   * fails, the wait doubling from the initial interval up to the maximum: an outage never leaves an
   * experiment waiting for the next resync.
   */
  private static GenericRetry retry(OperatorConfig config) {
    return new GenericRetry()
        .setInitialInterval(config.retryInitialInterval().toMillis())
        .setIntervalMultiplier(2)
        .setMaxInterval(config.retryMaxInterval().toMillis())
        .withoutMaxAttempts();
  }

  /** Whether every informer is up: the Deployment's readiness probe. */
  public boolean ready() {
    return operator.getRuntimeInfo().allEventSourcesAreHealthy()
        && operator.getRuntimeInfo().isStarted();
  }

  @Override
  public void close() {
    operator.stop();
  }
}
