package dev.midas.operator.metrics;

import dev.midas.operator.api.StackingExperiment;
import dev.midas.operator.lifecycle.Conditions;
import dev.midas.operator.lifecycle.ExperimentPhase;
import dev.midas.operator.lifecycle.StagePhase;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The operator's own Prometheus metrics: stage durations, stage phase transitions, retries and
 * reconcile latency. JOSDK's Micrometer support adds its per-controller metrics to the same
 * registry.
 */
public class OperatorMetrics {
  private final MeterRegistry registry;

  public OperatorMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** Wall time of a stage from its first Job to its success. */
  public void stageDuration(int stage, Duration duration) {
    Timer.builder("midas.stage.duration")
        .description("Wall time of a stage from its first Job to its success")
        .tag("stage", Integer.toString(stage))
        .publishPercentileHistogram(false)
        .register(registry)
        .record(duration);
  }

  /** A stage (or experiment, with stage "all") moved from one phase to another. */
  public void transition(String kind, String from, String to) {
    Counter.builder("midas.transitions")
        .description("Phase transitions of stages and experiments")
        .tag("kind", kind)
        .tag("from", from)
        .tag("to", to)
        .register(registry)
        .increment();
  }

  /** A failed stage attempt that will be retried; {@code exitClass} names the failure. */
  public void retry(String exitClass) {
    Counter.builder("midas.stage.retries")
        .description("Stage attempts that failed and were retried")
        .tag("exit_class", exitClass)
        .register(registry)
        .increment();
  }

  /** A reconcile could not read an experiment's object store. */
  public void storeError() {
    Counter.builder("midas.store.errors")
        .description("Reconciles that could not read an experiment's object store")
        .register(registry)
        .increment();
  }

  /**
   * Gauges read from the experiments the operator holds, at each scrape: experiments by phase,
   * running stages, stalled experiments, and the oldest heartbeat of a running stage.
   */
  public void experiments(Supplier<Stream<StackingExperiment>> all, Clock clock) {
    for (ExperimentPhase phase : ExperimentPhase.values()) {
      Gauge.builder("midas.experiments", all, a -> a.get().filter(e -> is(e, phase.name())).count())
          .description("Experiments by phase")
          .strongReference(true)
          .tag("phase", phase.name())
          .register(registry);
    }
    Gauge.builder(
            "midas.stages.running",
            all,
            a ->
                a.get()
                    .filter(e -> e.getStatus() != null)
                    .flatMap(e -> e.getStatus().stages.stream())
                    .filter(st -> StagePhase.Running.name().equals(st.phase))
                    .count())
        .description("Stages whose Job is admitted and running")
        .strongReference(true)
        .register(registry);
    Gauge.builder(
            "midas.experiments.stalled",
            all,
            a ->
                a.get()
                    .filter(
                        e ->
                            e.getStatus() != null
                                && Conditions.isTrue(e.getStatus().conditions, Conditions.STALLED))
                    .count())
        .description("Experiments with a Stalled condition")
        .strongReference(true)
        .register(registry);
    Gauge.builder(
            "midas.heartbeat.age",
            all,
            a ->
                a.get()
                    .filter(e -> is(e, ExperimentPhase.Running.name()))
                    .map(e -> e.getStatus().heartbeat)
                    .filter(h -> h != null && h.updatedAt != null)
                    .mapToDouble(
                        h ->
                            Duration.between(Instant.parse(h.updatedAt), clock.instant()).toMillis()
                                / 1000.0)
                    .max()
                    .orElse(0))
        .description("Age of the oldest heartbeat of a running experiment")
        .strongReference(true)
        .baseUnit("seconds")
        .register(registry);
  }

  private static boolean is(StackingExperiment e, String phase) {
    return e.getStatus() != null && phase.equals(e.getStatus().phase);
  }

  /** Time of one reconcile of {@code controller} (experiment or sweep). */
  public Timer reconcileTimer(String controller) {
    return Timer.builder("midas.reconcile")
        .description("Latency of one reconcile")
        .tag("controller", controller)
        .publishPercentiles(0.5, 0.95, 0.99)
        .register(registry);
  }
}
