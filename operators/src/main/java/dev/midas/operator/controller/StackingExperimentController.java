package dev.midas.operator.controller;

import dev.midas.operator.api.StackingExperiment;
import dev.midas.operator.api.status.ExperimentStatus;
import dev.midas.operator.events.ConditionReason;
import dev.midas.operator.events.EventRecorder;
import dev.midas.operator.events.Reason;
import dev.midas.operator.launch.StageJobFactory;
import dev.midas.operator.lifecycle.Conditions;
import dev.midas.operator.metrics.OperatorMetrics;
import dev.midas.operator.reconciler.ExperimentContext;
import dev.midas.operator.reconciler.ExperimentReconciler;
import dev.midas.operator.status.StatusRecorder;
import dev.midas.operator.store.RunStores;
import dev.midas.operator.validation.ExperimentValidator;
import dev.midas.plan.layout.RunLayout;
import dev.midas.plan.spec.InvalidSpecException;
import dev.midas.run.RunReader;
import dev.midas.store.ObjectStore;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The thin controller of {@link StackingExperiment}: observe (status, Jobs, the object store),
 * validate (an invalid spec becomes an InvalidSpec condition and a Warning event, and no Job),
 * reconcile ({@link ExperimentReconciler}), then write the status once. Job changes wake it through
 * an informer; a running stage is also polled for its heartbeat.
 */
@ControllerConfiguration(name = StackingExperimentController.NAME)
public class StackingExperimentController implements Reconciler<StackingExperiment> {
  public static final String NAME = "stackingexperiment";

  private final ExperimentValidator validator;
  private final ExperimentReconciler reconciler;
  private final StatusRecorder<StackingExperiment, ExperimentStatus> status;
  private final RunStores stores;
  private final SharedStagesObserver shared;
  private final EventRecorder events;
  private final OperatorMetrics metrics;
  private final Clock clock;

  public StackingExperimentController(
      ExperimentValidator validator,
      ExperimentReconciler reconciler,
      StatusRecorder<StackingExperiment, ExperimentStatus> status,
      RunStores stores,
      SharedStagesObserver shared,
      EventRecorder events,
      OperatorMetrics metrics,
      Clock clock) {
    this.validator = validator;
    this.reconciler = reconciler;
    this.status = status;
    this.stores = stores;
    this.shared = shared;
    this.events = events;
    this.metrics = metrics;
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, StackingExperiment>> prepareEventSources(
      EventSourceContext<StackingExperiment> context) {
    var jobs =
        InformerEventSourceConfiguration.from(Job.class, StackingExperiment.class)
            .withLabelSelector(StageJobFactory.LABEL_EXPERIMENT)
            .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(StackingExperiment.class))
            .build();
    return List.of(new InformerEventSource<>(jobs, context));
  }

  @Override
  public UpdateControl<StackingExperiment> reconcile(
      StackingExperiment exp, Context<StackingExperiment> context) throws Exception {
    return metrics.reconcileTimer(NAME).recordCallable(() -> reconcileTimed(exp, context));
  }

  private UpdateControl<StackingExperiment> reconcileTimed(
      StackingExperiment exp, Context<StackingExperiment> context) throws Exception {
    ExperimentStatus st = status.working(exp);
    ExperimentValidator.Validated valid;
    try {
      valid = validator.validate(exp);
    } catch (InvalidSpecException e) {
      String message = String.join("; ", e.violations());
      boolean fresh =
          !Conditions.isTrue(st.conditions, Conditions.INVALID_SPEC)
              || !st.conditions.stream().anyMatch(c -> message.equals(c.getMessage()));
      Conditions.set(
          st.conditions,
          Conditions.INVALID_SPEC,
          true,
          ConditionReason.InvalidSpec,
          message,
          exp.getMetadata().getGeneration(),
          clock.instant());
      if (fresh) {
        events.record(exp, Reason.InvalidSpec, message);
      }
      status.write(exp, st);
      return UpdateControl.noUpdate();
    }
    Conditions.clear(
        st.conditions,
        Conditions.INVALID_SPEC,
        ConditionReason.Valid,
        exp.getMetadata().getGeneration(),
        clock.instant());
    Map<String, Job> jobs =
        context.getSecondaryResources(Job.class).stream()
            .collect(
                Collectors.toMap(j -> j.getMetadata().getName(), Function.identity(), (a, b) -> a));
    RunLayout layout = new RunLayout(exp.getMetadata().getName(), exp.getMetadata().getUid());
    ObjectStore store =
        stores.open(valid.root(), valid.spec().storage(), exp.getMetadata().getNamespace());
    RunReader observer = new RunReader(store);
    ExperimentContext ctx =
        new ExperimentContext(
            valid.spec(),
            valid.frozen(),
            valid.root(),
            layout,
            observer.observe(layout, valid.spec().schedule().stages()),
            observer,
            jobs,
            shared.observe(exp, context));
    Optional<Duration> next = reconciler.reconcile(exp, ctx, st);
    status.write(exp, st);
    UpdateControl<StackingExperiment> control = UpdateControl.noUpdate();
    return next.map(d -> control.rescheduleAfter(d.isNegative() ? Duration.ZERO : d))
        .orElse(control);
  }
}
