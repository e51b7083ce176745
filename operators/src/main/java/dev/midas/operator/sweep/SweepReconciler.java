package dev.midas.operator.sweep;

import dev.midas.operator.api.StackingExperiment;
import dev.midas.operator.api.StackingSweep;
import dev.midas.operator.api.status.ExperimentStatus;
import dev.midas.operator.api.status.SweepRow;
import dev.midas.operator.api.status.SweepStatus;
import dev.midas.operator.controller.SharedStagesObserver;
import dev.midas.operator.events.ConditionReason;
import dev.midas.operator.events.EventRecorder;
import dev.midas.operator.events.Reason;
import dev.midas.operator.launch.OwnerRefs;
import dev.midas.operator.launch.StageJobFactory;
import dev.midas.operator.launch.StageLauncher;
import dev.midas.operator.lifecycle.Conditions;
import dev.midas.operator.lifecycle.ExperimentPhase;
import dev.midas.operator.status.AttemptPhase;
import dev.midas.operator.validation.ExperimentValidator;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Moves a sweep forward: creates its children in plan order while fewer than {@code maxParallel}
 * are unfinished, rebuilds the status table from the children's statuses, and once every child has
 * Succeeded with its report, has them compared in one report ({@link SweepReports}). A child
 * waiting for a sibling's shared stage counts as unfinished.
 */
public class SweepReconciler {
  public static final String LABEL_SWEEP = "midas.dev/sweep";
  private static final String NOT_CREATED = "NotCreated";

  private final KubernetesClient client;
  private final EventRecorder events;
  private final Clock clock;
  private final SweepReports reports;

  public SweepReconciler(
      KubernetesClient client,
      EventRecorder events,
      Clock clock,
      StageLauncher launcher,
      StageJobFactory jobs,
      ExperimentValidator validator) {
    this.client = client;
    this.events = events;
    this.clock = clock;
    this.reports = new SweepReports(launcher, jobs, validator, events);
  }

  /**
   * @param existing the sweep's children that exist, by name
   * @return whether any child is still unfinished
   */
  public boolean reconcile(
      StackingSweep sweep, Map<String, StackingExperiment> existing, SweepStatus st) {
    Long gen = sweep.getMetadata().getGeneration();
    List<String> problems = SweepValidator.problems(sweep);
    if (!problems.isEmpty()) {
      String message = String.join("; ", problems);
      if (!Conditions.isTrue(st.conditions, Conditions.INVALID_SPEC)
          || st.conditions.stream().noneMatch(c -> message.equals(c.getMessage()))) {
        events.record(sweep, Reason.InvalidSpec, message);
      }
      for (String type : new String[] {Conditions.INVALID_SPEC, Conditions.FAILED}) {
        Conditions.set(
            st.conditions, type, true, ConditionReason.InvalidSpec, message, gen, clock.instant());
      }
      st.phase = ExperimentPhase.Failed.name();
      return false;
    }
    if (Conditions.isTrue(st.conditions, Conditions.INVALID_SPEC)) {
      Conditions.clear(
          st.conditions, Conditions.FAILED, ConditionReason.SpecFixed, gen, clock.instant());
    }
    Conditions.clear(
        st.conditions, Conditions.INVALID_SPEC, ConditionReason.Valid, gen, clock.instant());
    List<SweepChild> plan = SweepPlanner.plan(sweep.getMetadata().getName(), sweep.getSpec());
    int maxParallel = sweep.getSpec().maxParallel == null ? 1 : sweep.getSpec().maxParallel;
    Integer maxFailed = sweep.getSpec().maxFailed;
    Map<String, String> phases = new LinkedHashMap<>();
    for (SweepChild c : plan) {
      StackingExperiment e = existing.get(c.name());
      phases.put(c.name(), e == null ? NOT_CREATED : phaseOf(e));
    }
    long failed =
        phases.values().stream().filter(p -> ExperimentPhase.Failed.name().equals(p)).count();
    boolean tooMany = maxFailed != null && failed > maxFailed;
    long running = phases.values().stream().filter(SweepReconciler::unfinished).count();
    for (SweepChild c : plan) {
      if (running >= maxParallel || tooMany) {
        break;
      }
      if (NOT_CREATED.equals(phases.get(c.name()))) {
        create(sweep, c);
        phases.put(c.name(), ExperimentPhase.Pending.name());
        running++;
      }
    }
    st.table.clear();
    for (SweepChild c : plan) {
      st.table.add(row(c, phases.get(c.name()), existing.get(c.name())));
    }
    long done = st.table.stream().filter(r -> isFinished(r.phase)).count();
    st.done = done + "/" + plan.size();
    st.best =
        st.table.stream()
            .filter(r -> r.valLoss != null)
            .min(Comparator.comparingDouble((SweepRow r) -> r.valLoss))
            .map(r -> r.experiment)
            .orElse(null);
    boolean anyUnfinished = st.table.stream().anyMatch(r -> unfinished(r.phase));
    // Evaluated children (the template has an evaluation section) are compared in one report.
    boolean reporting =
        !tooMany
            && done == plan.size()
            && failed == 0
            && st.table.stream().allMatch(r -> r.report != null)
            && reports.advance(sweep, plan, existing, st);
    boolean reportFailed = AttemptPhase.FAILED.equals(st.reportPhase);
    String before = st.phase;
    if (tooMany && !anyUnfinished) {
      st.phase = ExperimentPhase.Failed.name();
    } else if (reporting) {
      st.phase = ExperimentPhase.Running.name();
    } else if (done == plan.size()) {
      st.phase =
          failed > 0 || reportFailed
              ? ExperimentPhase.Failed.name()
              : ExperimentPhase.Succeeded.name();
    } else {
      st.phase = anyUnfinished ? ExperimentPhase.Running.name() : ExperimentPhase.Pending.name();
    }
    if (tooMany) {
      Conditions.set(
          st.conditions,
          Conditions.FAILED,
          true,
          ConditionReason.TooManyFailures,
          failed
              + " children failed, more than spec.maxFailed "
              + maxFailed
              + "; no more children are created"
              + (anyUnfinished ? ", those running finish" : ""),
          gen,
          clock.instant());
    } else if (done == plan.size() && !reporting) {
      Conditions.set(
          st.conditions,
          failed > 0 || reportFailed ? Conditions.FAILED : Conditions.SUCCEEDED,
          true,
          failed > 0
              ? ConditionReason.ChildrenFailed
              : reportFailed
                  ? ConditionReason.SweepReportFailed
                  : ConditionReason.AllChildrenSucceeded,
          summary(done, failed, st),
          gen,
          clock.instant());
    }
    boolean finished = tooMany ? !anyUnfinished : done == plan.size() && !reporting;
    if (!st.phase.equals(before) && finished) {
      events.record(
          sweep,
          ExperimentPhase.Failed.name().equals(st.phase)
              ? Reason.SweepFailed
              : Reason.SweepSucceeded,
          summary(done, failed, st));
    }
    return !finished;
  }

  private static String summary(long done, long failed, SweepStatus st) {
    return done
        + " children finished, "
        + failed
        + " failed; best "
        + st.best
        + (st.report == null ? "" : "; comparison report " + st.report);
  }

  private void create(StackingSweep sweep, SweepChild c) {
    StackingExperiment child = new StackingExperiment();
    child.getMetadata().setName(c.name());
    child.getMetadata().setNamespace(sweep.getMetadata().getNamespace());
    child.getMetadata().setLabels(Map.of(LABEL_SWEEP, sweep.getMetadata().getName()));
    c.sharesStagesWith()
        .ifPresent(
            leader ->
                child
                    .getMetadata()
                    .setAnnotations(
                        Map.of(
                            SharedStagesObserver.LEADER,
                            leader,
                            SharedStagesObserver.COUNT,
                            Integer.toString(c.sharedStages()))));
    child.getMetadata().setOwnerReferences(List.of(OwnerRefs.controlledBy(sweep)));
    child.setSpec(c.spec());
    try {
      client
          .resources(StackingExperiment.class)
          .inNamespace(sweep.getMetadata().getNamespace())
          .resource(child)
          .create();
      events.record(
          sweep,
          Reason.ChildCreated,
          c.name()
              + ": "
              + c.axes()
              + c.sharesStagesWith().map(l -> ", stage 1 shared with " + l).orElse(""));
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
      StackingExperiment existing =
          client
              .resources(StackingExperiment.class)
              .inNamespace(sweep.getMetadata().getNamespace())
              .withName(c.name())
              .get();
      if (existing != null && !OwnerRefs.isControlledBy(existing, sweep)) {
        throw OwnerRefs.notOurs(existing, sweep);
      }
    }
  }

  private static SweepRow row(SweepChild c, String phase, StackingExperiment e) {
    SweepRow r = new SweepRow();
    r.experiment = c.name();
    r.operator = c.operator();
    r.blockSize = c.blockSize();
    r.alpha = c.alpha();
    r.seed = c.seed();
    r.phase = phase;
    r.sharesStagesWith = c.sharesStagesWith().orElse(null);
    r.sharedStages = c.sharedStages() == 0 ? null : c.sharedStages();
    Optional.ofNullable(e)
        .map(StackingExperiment::getStatus)
        .map(s -> s.result)
        .ifPresent(
            res -> {
              r.globalStep = res.globalStep;
              r.trainLoss = res.trainLoss;
              r.valLoss = res.valLoss;
            });
    SweepReports.fill(r, e);
    return r;
  }

  private static String phaseOf(StackingExperiment e) {
    ExperimentStatus s = e.getStatus();
    return s == null || s.phase == null ? ExperimentPhase.Pending.name() : s.phase;
  }

  private static boolean isFinished(String phase) {
    return ExperimentPhase.Succeeded.name().equals(phase)
        || ExperimentPhase.Failed.name().equals(phase);
  }

  private static boolean unfinished(String phase) {
    return !NOT_CREATED.equals(phase) && !isFinished(phase);
  }
}
