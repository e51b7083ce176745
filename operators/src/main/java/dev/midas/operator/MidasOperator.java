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
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Wires the operator: both controllers, their collaborators and JOSDK, on a given client, store
 * opener, clock and meter registry, so that {@link OperatorMain} and the tests start the very same
 * thing.
 */
public final class MidasOperator implements AutoCloseable {
  /** Name of the leader-election Lease. */
  public static final String LEASE_NAME = "midas-operator";

  private final Operator operator;
  private final AtomicBoolean leading;

  private MidasOperator(Operator operator, AtomicBoolean leading) {
    this.operator = operator;
    this.leading = leading;
  }

  public static MidasOperator start(
      KubernetesClient client,
      OperatorConfig config,
      RunStores stores,
      Clock clock,
      MeterRegistry registry) {
    OperatorMetrics metrics = new OperatorMetrics(registry);
    AtomicBoolean leading = new AtomicBoolean(config.leaseNamespace().isEmpty());
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
            o -> {
              o.withKubernetesClient(client)
                  .withUseSSAToPatchPrimaryResource(false)
                  .withCloseClientOnStop(false)
                  .withMetrics(
                      MicrometerMetrics.newPerResourceCollectingMicrometerMetricsBuilder(registry)
                          .build());
              config
                  .leaseNamespace()
                  .ifPresent(ns -> o.withLeaderElectionConfiguration(lease(config, ns, leading)));
            });
    StackingExperimentController experiments =
        new StackingExperimentController(
            new ExperimentValidator(config),
            reconciler,
            experimentStatus,
            stores,
            new SharedStagesObserver(),
            events,
            metrics,
            config.credentialsTtl(),
            clock);
    operator.register(experiments, o -> namespaces(o, config).withRetry(retry(config)));
    metrics.experiments(experiments::cached, clock);
    operator.register(
        new StackingSweepController(
            new SweepReconciler(
                client, events, clock, launcher, jobs, new ExperimentValidator(config)),
            sweepStatus,
            events,
            metrics,
            config.pollInterval()),
        o -> namespaces(o, config).withRetry(retry(config)));
    operator.start();
    return new MidasOperator(operator, leading);
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

  /**
   * Only the replica holding the Lease reconciles; the others wait, ready, and take over when it
   * stops renewing (a crash, a rollout). A replica that loses the Lease while running exits, so
   * that Kubernetes restarts it as a clean follower, unless told to keep running (tests).
   */
  private static LeaderElectionConfiguration lease(
      OperatorConfig config, String namespace, AtomicBoolean leading) {
    Duration lease = config.leaseDuration();
    return new LeaderElectionConfiguration(
        LEASE_NAME,
        namespace,
        lease,
        lease.multipliedBy(2).dividedBy(3),
        lease.dividedBy(8),
        config.identity(),
        new LeaderCallbacks(() -> leading.set(true), () -> leading.set(false), leader -> {}),
        config.exitOnLostLease());
  }

  /** All namespaces, or those {@code MIDAS_WATCH_NAMESPACES} lists. */
  private static <R extends io.fabric8.kubernetes.api.model.HasMetadata>
      ControllerConfigurationOverrider<R> namespaces(
          ControllerConfigurationOverrider<R> o, OperatorConfig config) {
    return config.watchNamespaces().isEmpty()
        ? o.watchingAllNamespaces()
        : o.settingNamespaces(config.watchNamespaces());
  }

  /** Started, leader or not: the Deployment's readiness probe. */
  public boolean ready() {
    return operator.getRuntimeInfo().isStarted();
  }

  /**
   * The liveness probe: false when this replica leads but its informers are not watching (it has
   * lost sight of the cluster and would decide blind); a restart starts them afresh.
   */
  public boolean healthy() {
    return !leading.get() || operator.getRuntimeInfo().allEventSourcesAreHealthy();
  }

  /** Whether this replica holds the Lease (always, without leader election). */
  public boolean leading() {
    return leading.get();
  }

  @Override
  public void close() {
    operator.stop();
  }
}
