package dev.midas.operator.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

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

  /** Time of one reconcile of {@code controller} (experiment or sweep). */
  public Timer reconcileTimer(String controller) {
    return Timer.builder("midas.reconcile")
        .description("Latency of one reconcile")
        .tag("controller", controller)
        .publishPercentiles(0.5, 0.95, 0.99)
        .register(registry);
  }
}
