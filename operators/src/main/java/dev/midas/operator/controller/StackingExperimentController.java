package dev.midas.operator.controller;

import dev.midas.operator.api.StackingExperiment;
import dev.midas.operator.api.status.ExperimentStatus;
import dev.midas.operator.events.ConditionReason;
import dev.midas.operator.events.EventRecorder;
import dev.midas.operator.events.Reason;
import dev.midas.operator.launch.OwnerRefs;
import dev.midas.operator.launch.StageJobFactory;
import dev.midas.operator.lifecycle.Conditions;
import dev.midas.operator.lifecycle.ExperimentPhase;
import dev.midas.operator.metrics.OperatorMetrics;
import dev.midas.operator.reconciler.ExperimentContext;
import dev.midas.operator.reconciler.ExperimentReconciler;
import dev.midas.operator.status.StatusRecorder;
import dev.midas.operator.store.RunStores;
import dev.midas.operator.store.StorageUnavailableException;
import dev.midas.operator.store.StoreCredentialsForbiddenException;
import dev.midas.operator.validation.ExperimentValidator;
import dev.midas.plan.layout.RunLayout;
import dev.midas.plan.spec.InvalidSpecException;
import dev.midas.run.RunReader;
import dev.midas.store.ObjectStore;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

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
  private final FrozenSpecs frozen;
  private final Duration credentialsTtl;
  private volatile IndexedResourceCache<StackingExperiment> cache;

  public StackingExperimentController(
      ExperimentValidator validator,
      ExperimentReconciler reconciler,
      StatusRecorder<StackingExperiment, ExperimentStatus> status,
      RunStores stores,
      SharedStagesObserver shared,
      EventRecorder events,
      OperatorMetrics metrics,
      Duration credentialsTtl,
      Clock clock) {
    this.validator = validator;
    this.reconciler = reconciler;
    this.status = status;
    this.stores = stores;
    this.shared = shared;
    this.events = events;
    this.metrics = metrics;
    this.credentialsTtl = credentialsTtl;
    this.clock = clock;
    this.frozen = new FrozenSpecs(events, clock);
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

  /** The experiments this controller's informer holds (none before its first reconcile). */
  public Stream<StackingExperiment> cached() {
    IndexedResourceCache<StackingExperiment> c = cache;
    return c == null ? Stream.empty() : c.list();
  }

  @Override
  public UpdateControl<StackingExperiment> reconcile(
      StackingExperiment exp, Context<StackingExperiment> context) throws Exception {
    cache = context.getPrimaryCache();
    UpdateControl<StackingExperiment> done =
        metrics.reconcileTimer(NAME).recordCallable(() -> reconcileTimed(exp, context));
    events.resolved(exp);
    return done;
  }

  private UpdateControl<StackingExperiment> reconcileTimed(
      StackingExperiment exp, Context<StackingExperiment> context) throws Exception {
    ExperimentStatus st = status.working(exp);
    if (finished(exp, st)) {
      return UpdateControl.noUpdate();
    }
    ExperimentValidator.Validated valid;
    try {
      valid = validator.validate(exp);
    } catch (InvalidSpecException e) {
      invalid(exp, st, String.join("; ", e.violations()));
      status.write(exp, st);
      return UpdateControl.noUpdate();
    }
    if (Conditions.isTrue(st.conditions, Conditions.INVALID_SPEC)) {
      // The spec was edited into a valid one: the failure it caused is over.
      Conditions.clear(
          st.conditions,
          Conditions.FAILED,
          ConditionReason.SpecFixed,
          exp.getMetadata().getGeneration(),
          clock.instant());
    }
    Conditions.clear(
        st.conditions,
        Conditions.INVALID_SPEC,
        ConditionReason.Valid,
        exp.getMetadata().getGeneration(),
        clock.instant());
    Map<String, Job> jobs =
        context.getSecondaryResources(Job.class).stream()
            // The informer maps Jobs to their owner by name: a predecessor's are not this one's.
            .filter(j -> OwnerRefs.isControlledBy(j, exp))
            .collect(
                Collectors.toMap(j -> j.getMetadata().getName(), Function.identity(), (a, b) -> a));
    RunLayout layout = new RunLayout(exp.getMetadata().getName(), exp.getMetadata().getUid());
    Optional<Duration> next;
    try {
      ObjectStore store =
          stores.open(valid.root(), valid.spec().storage(), exp.getMetadata().getNamespace());
      valid = frozen.freeze(store, layout, valid, exp, st);
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
      next = reconciler.reconcile(exp, ctx, st);
    } catch (StoreCredentialsForbiddenException e) {
      // Not transient: no retry, no fallback to other credentials. The store is asked again
      // when the operator may ask for the Secret again (the refusal is cached that long).
      credentialsForbidden(exp, st, e);
      status.write(exp, st);
      return UpdateControl.<StackingExperiment>noUpdate().rescheduleAfter(credentialsTtl);
    } catch (IOException | UncheckedIOException e) {
      // What this reconcile already did (a Job created, a stage finished) is kept; JOSDK retries.
      StorageUnavailableException unavailable = new StorageUnavailableException(valid.root(), e);
      storageUnavailable(exp, st, unavailable);
      status.write(exp, st);
      throw unavailable;
    }
    if (Conditions.isTrue(st.conditions, Conditions.STORAGE_UNAVAILABLE)) {
      events.record(exp, Reason.StorageAvailable, "object store " + valid.root() + " is back");
    }
    Conditions.clear(
        st.conditions,
        Conditions.STORAGE_UNAVAILABLE,
        ConditionReason.StorageAvailable,
        exp.getMetadata().getGeneration(),
        clock.instant());
    status.write(exp, st);
    UpdateControl<StackingExperiment> control = UpdateControl.noUpdate();
    return next.map(d -> control.rescheduleAfter(d.isNegative() ? Duration.ZERO : d))
        .orElse(control);
  }

  /**
   * Errors JOSDK caught (it retries with backoff, as configured in {@code MidasOperator}). An
   * unreachable store was already recorded as a condition; anything else (an API request refused, a
   * quota) becomes a Warning event, so {@code kubectl describe} shows why nothing moves: one per
   * distinct failure, not one per retry.
   */
  @Override
  public ErrorStatusUpdateControl<StackingExperiment> updateErrorStatus(
      StackingExperiment exp, Context<StackingExperiment> context, Exception e) {
    boolean conflict = e instanceof KubernetesClientException k && k.getCode() == 409;
    if (!(e instanceof StorageUnavailableException) && !conflict) {
      // A conflict is a status written from a stale view: the retry reads the new one.
      events.recordOnce(exp, Reason.ReconcileFailed, String.valueOf(e.getMessage()));
    }
    return ErrorStatusUpdateControl.noStatusUpdate();
  }

  /**
   * A terminal experiment is never revalidated or read again: Succeeded stays Succeeded whatever
   * happens to its Secret or the operator's default root, Failed stays Failed until a new {@code
   * spec.restartNonce}, and an invalid spec is only checked again when the spec changes.
   */
  private static boolean finished(StackingExperiment exp, ExperimentStatus st) {
    if (ExperimentPhase.Succeeded.name().equals(st.phase)) {
      return true;
    }
    Optional<Condition> invalid =
        Conditions.get(st.conditions, Conditions.INVALID_SPEC)
            .filter(c -> "True".equals(c.getStatus()));
    if (invalid.isPresent()) {
      return Objects.equals(
          invalid.get().getObservedGeneration(), exp.getMetadata().getGeneration());
    }
    if (Conditions.isTrue(st.conditions, Conditions.FAILED)) {
      String nonce = exp.getSpec() == null ? null : exp.getSpec().restartNonce;
      return Objects.equals(
          nonce == null ? "" : nonce,
          st.observedRestartNonce == null ? "" : st.observedRestartNonce);
    }
    return false;
  }

  private void invalid(StackingExperiment exp, ExperimentStatus st, String message) {
    boolean fresh =
        !Conditions.isTrue(st.conditions, Conditions.INVALID_SPEC)
            || !st.conditions.stream().anyMatch(c -> message.equals(c.getMessage()));
    for (String type : new String[] {Conditions.INVALID_SPEC, Conditions.FAILED}) {
      Conditions.set(
          st.conditions,
          type,
          true,
          ConditionReason.InvalidSpec,
          message,
          exp.getMetadata().getGeneration(),
          clock.instant());
    }
    if (fresh) {
      events.record(exp, Reason.InvalidSpec, message);
    }
  }

  private void credentialsForbidden(
      StackingExperiment exp, ExperimentStatus st, StoreCredentialsForbiddenException e) {
    boolean fresh =
        Conditions.get(st.conditions, Conditions.STORAGE_UNAVAILABLE)
            .filter(c -> "True".equals(c.getStatus()))
            .filter(c -> ConditionReason.StoreCredentialsForbidden.name().equals(c.getReason()))
            .isEmpty();
    if (fresh) {
      events.record(exp, Reason.StoreCredentialsForbidden, e.getMessage());
    }
    Conditions.set(
        st.conditions,
        Conditions.STORAGE_UNAVAILABLE,
        true,
        ConditionReason.StoreCredentialsForbidden,
        e.getMessage(),
        exp.getMetadata().getGeneration(),
        clock.instant());
  }

  private void storageUnavailable(
      StackingExperiment exp, ExperimentStatus st, StorageUnavailableException e) {
    metrics.storeError();
    if (!Conditions.isTrue(st.conditions, Conditions.STORAGE_UNAVAILABLE)) {
      events.record(exp, Reason.StorageUnavailable, e.getMessage() + "; retrying with backoff");
    }
    Conditions.set(
        st.conditions,
        Conditions.STORAGE_UNAVAILABLE,
        true,
        ConditionReason.StoreUnreachable,
        e.getMessage(),
        exp.getMetadata().getGeneration(),
        clock.instant());
  }
}
