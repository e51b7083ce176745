package dev.midas.operator.sweep;

import dev.midas.operator.api.StackingExperiment;
import dev.midas.operator.api.StackingSweep;
import dev.midas.operator.api.status.ExperimentStatus;
import dev.midas.operator.api.status.SweepRow;
import dev.midas.operator.api.status.SweepStatus;
import dev.midas.operator.controller.SharedStagesObserver;
import dev.midas.operator.events.EventRecorder;
import dev.midas.operator.events.Reason;
import dev.midas.operator.launch.OwnerRefs;
import dev.midas.operator.lifecycle.ExperimentPhase;
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
 * are unfinished, and rebuilds the status table from the children's statuses. A child waiting for a
 * sibling's shared stage counts as unfinished.
 */
public class SweepReconciler {
  public static final String LABEL_SWEEP = "midas.dev/sweep";
  private static final String NOT_CREATED = "NotCreated";

  private final KubernetesClient client;
  private final EventRecorder events;
  private final Clock clock;

  public SweepReconciler(KubernetesClient client, EventRecorder events, Clock clock) {
    this.client = client;
    this.events = events;
    this.clock = clock;
  }

  /**
   * @param existing the sweep's children that exist, by name
   * @return whether any child is still unfinished
   */
  public boolean reconcile(
      StackingSweep sweep, Map<String, StackingExperiment> existing, SweepStatus st) {
    List<SweepChild> plan = SweepPlanner.plan(sweep.getMetadata().getName(), sweep.getSpec());
    int maxParallel = sweep.getSpec().maxParallel == null ? 1 : sweep.getSpec().maxParallel;
    Map<String, String> phases = new LinkedHashMap<>();
    for (SweepChild c : plan) {
      StackingExperiment e = existing.get(c.name());
      phases.put(c.name(), e == null ? NOT_CREATED : phaseOf(e));
    }
    long running = phases.values().stream().filter(SweepReconciler::unfinished).count();
    for (SweepChild c : plan) {
      if (running >= maxParallel) {
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
    boolean anyFailed =
        st.table.stream().anyMatch(r -> ExperimentPhase.Failed.name().equals(r.phase));
    String before = st.phase;
    if (done == plan.size()) {
      st.phase = anyFailed ? ExperimentPhase.Failed.name() : ExperimentPhase.Succeeded.name();
    } else {
      st.phase =
          st.table.stream().anyMatch(r -> unfinished(r.phase))
              ? ExperimentPhase.Running.name()
              : ExperimentPhase.Pending.name();
    }
    if (!st.phase.equals(before) && done == plan.size()) {
      events.record(
          sweep,
          anyFailed ? Reason.SweepFailed : Reason.SweepSucceeded,
          done + " children finished; best " + st.best);
    }
    return done < plan.size();
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
              + ": operator "
              + c.operator()
              + ", blockSize "
              + c.blockSize()
              + ", alpha "
              + c.alpha()
              + ", seed "
              + c.seed()
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
