package dev.midas.operator.controller;

import dev.midas.operator.api.StackingExperiment;
import dev.midas.operator.api.StackingSweep;
import dev.midas.operator.api.status.SweepStatus;
import dev.midas.operator.events.EventRecorder;
import dev.midas.operator.events.Reason;
import dev.midas.operator.launch.OwnerRefs;
import dev.midas.operator.metrics.OperatorMetrics;
import dev.midas.operator.status.StatusRecorder;
import dev.midas.operator.sweep.SweepReconciler;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The thin controller of {@link StackingSweep}: observes its children (an informer on child
 * experiments wakes it when one changes), lets {@link SweepReconciler} create the next ones and
 * build the table, and writes the status once.
 */
@ControllerConfiguration(name = StackingSweepController.NAME)
public class StackingSweepController implements Reconciler<StackingSweep> {
  public static final String NAME = "stackingsweep";

  private final SweepReconciler reconciler;
  private final StatusRecorder<StackingSweep, SweepStatus> status;
  private final EventRecorder events;
  private final OperatorMetrics metrics;
  private final Duration poll;

  public StackingSweepController(
      SweepReconciler reconciler,
      StatusRecorder<StackingSweep, SweepStatus> status,
      EventRecorder events,
      OperatorMetrics metrics,
      Duration poll) {
    this.reconciler = reconciler;
    this.status = status;
    this.events = events;
    this.metrics = metrics;
    this.poll = poll;
  }

  @Override
  public List<EventSource<?, StackingSweep>> prepareEventSources(
      EventSourceContext<StackingSweep> context) {
    var children =
        InformerEventSourceConfiguration.from(StackingExperiment.class, StackingSweep.class)
            .withLabelSelector(SweepReconciler.LABEL_SWEEP)
            .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(StackingSweep.class))
            .build();
    return List.of(new InformerEventSource<>(children, context));
  }

  @Override
  public UpdateControl<StackingSweep> reconcile(StackingSweep sweep, Context<StackingSweep> context)
      throws Exception {
    UpdateControl<StackingSweep> done =
        metrics
            .reconcileTimer(NAME)
            .recordCallable(
                () -> {
                  SweepStatus st = status.working(sweep);
                  Map<String, StackingExperiment> children =
                      context.getSecondaryResources(StackingExperiment.class).stream()
                          .filter(e -> OwnerRefs.isControlledBy(e, sweep))
                          .collect(
                              Collectors.toMap(
                                  e -> e.getMetadata().getName(),
                                  Function.identity(),
                                  (a, b) -> a));
                  boolean unfinished = reconciler.reconcile(sweep, children, st);
                  status.write(sweep, st);
                  UpdateControl<StackingSweep> control = UpdateControl.noUpdate();
                  return unfinished ? control.rescheduleAfter(poll) : control;
                });
    events.resolved(sweep);
    return done;
  }

  /**
   * Errors JOSDK caught and retries with backoff: a child name taken by an experiment the sweep
   * does not control (a predecessor's child the garbage collector has not deleted yet), a refused
   * request. Each becomes a Warning event, so {@code kubectl describe} shows why nothing moves: one
   * per distinct failure, not one per retry.
   */
  @Override
  public ErrorStatusUpdateControl<StackingSweep> updateErrorStatus(
      StackingSweep sweep, Context<StackingSweep> context, Exception e) {
    boolean conflict = e instanceof KubernetesClientException k && k.getCode() == 409;
    if (!conflict) {
      events.recordOnce(sweep, Reason.ReconcileFailed, String.valueOf(e.getMessage()));
    }
    return ErrorStatusUpdateControl.noStatusUpdate();
  }
}
