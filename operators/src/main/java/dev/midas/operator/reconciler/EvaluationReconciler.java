package dev.midas.operator.reconciler;

import dev.midas.operator.api.StackingExperiment;
import dev.midas.operator.api.status.EvaluationStatus;
import dev.midas.operator.api.status.ExperimentStatus;
import dev.midas.operator.events.EventRecorder;
import dev.midas.operator.events.Reason;
import dev.midas.operator.launch.JobNames;
import dev.midas.operator.launch.StageJobFactory;
import dev.midas.operator.launch.StageLauncher;
import dev.midas.operator.launch.StageRun;
import dev.midas.operator.lifecycle.StagePhase;
import dev.midas.operator.observer.AttemptEnd;
import dev.midas.operator.observer.JobState;
import dev.midas.operator.observer.StagePods;
import dev.midas.plan.exit.ExitClass;
import dev.midas.plan.stage.EvaluationPlanner;
import dev.midas.proto.EvalResult;
import dev.midas.proto.ReportManifest;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Runs an experiment's evaluations as Jobs with the stage image ({@code evaluate}): after the last
 * stage when the spec has an evaluation section, and after every stage with {@code
 * evaluation.everyStage} (beside the next stage's training), in the plan's {@link
 * EvaluationPlanner} order. An evaluation is done once its report is committed in the store; a
 * failed attempt is retried by the plan's exit-class table, like a stage ({@link
 * StageOutcomes#failed}), and never trains anything.
 */
final class EvaluationReconciler {
  private final StageLauncher launcher;
  private final StageJobFactory jobs;
  private final EventRecorder events;
  private final StageOutcomes outcomes;
  private final Clock clock;
  private final Duration poll;

  EvaluationReconciler(
      StageLauncher launcher,
      StageJobFactory jobs,
      EventRecorder events,
      StageOutcomes outcomes,
      Clock clock,
      Duration poll) {
    this.launcher = launcher;
    this.jobs = jobs;
    this.events = events;
    this.outcomes = outcomes;
    this.clock = clock;
    this.poll = poll;
  }

  /**
   * Advances every evaluation due after the first {@code completed} stages.
   *
   * @return null when all of them have committed their reports; else when to look again (empty:
   *     only an outside change can move them)
   */
  Optional<Duration> reconcile(
      StackingExperiment exp, ExperimentContext ctx, ExperimentStatus st, int completed)
      throws IOException {
    int k = ctx.spec().numStages();
    Optional<Duration> soonest = null;
    for (int s = 1; s <= Math.min(completed, k); s++) {
      // A stage taken over from a sweep sibling is that sibling's to evaluate.
      if (!ctx.spec().evaluation().after(s, k)
          || StagePhase.of(st.stages.get(s - 1).phase) == StagePhase.Shared) {
        continue;
      }
      Optional<Duration> wait = advance(exp, ctx, st, entry(st, s));
      if (wait != null) {
        soonest = sooner(soonest, wait);
      }
    }
    return soonest;
  }

  /** The evaluation's status entry, created Pending in stage order when first due. */
  private static EvaluationStatus entry(ExperimentStatus st, int s) {
    if (st.evaluations == null) {
      st.evaluations = new ArrayList<>();
    }
    for (EvaluationStatus e : st.evaluations) {
      if (e.stage == s) {
        return e;
      }
    }
    EvaluationStatus e = new EvaluationStatus();
    e.stage = s;
    e.phase = StagePhase.Pending.name();
    e.attempts = 0;
    e.failures = 0;
    st.evaluations.add(e);
    st.evaluations.sort((a, b) -> Integer.compare(a.stage, b.stage));
    return e;
  }

  /** Advances one evaluation; null once it has succeeded. */
  private Optional<Duration> advance(
      StackingExperiment exp, ExperimentContext ctx, ExperimentStatus st, EvaluationStatus e)
      throws IOException {
    int k = ctx.spec().numStages();
    boolean suspend = ctx.spec().suspend();
    switch (StagePhase.of(e.phase)) {
      case Succeeded:
        return null;
      case Failed:
        return Optional.empty();
      case Running:
        return running(exp, ctx, st, e);
      case BackingOff:
        Instant after = Instant.parse(e.retryAfter);
        if (!suspend && clock.instant().isBefore(after)) {
          return Optional.of(Duration.between(clock.instant(), after));
        }
        break;
      default:
        break;
    }
    Optional<ReportManifest> report = ctx.store().report(ctx.layout(), e.stage, k);
    if (report.isPresent() && report.get().getRunsCount() == 1) {
      succeeded(exp, e, report.get().getRuns(0));
      return null;
    }
    if (suspend) {
      transition(e, StagePhase.Suspended);
      return Optional.empty();
    }
    return launch(exp, ctx, e);
  }

  private Optional<Duration> launch(
      StackingExperiment exp, ExperimentContext ctx, EvaluationStatus e) {
    int attempt = e.attempts + 1;
    String name = JobNames.evaluation(exp.getMetadata().getName(), e.stage, attempt);
    String configMap = JobNames.specConfigMap(exp.getMetadata().getName());
    launcher.ensureSpec(exp, configMap, ctx.layout().uid(), ctx.frozen());
    StageRun run =
        new StageRun(
            name,
            e.stage,
            attempt,
            List.of("--stage", Integer.toString(e.stage)),
            configMap,
            StageRun.ROLE_EVALUATION);
    launcher.create(jobs.build(exp, ctx.spec(), ctx.root(), run), exp);
    e.attempts = attempt;
    e.jobName = name;
    e.retryAfter = null;
    if (e.startTime == null) {
      e.startTime = clock.instant().toString();
    }
    transition(e, StagePhase.Running);
    events.record(
        exp,
        Reason.EvaluationStarted,
        "evaluation of stages 1.." + e.stage + " attempt " + attempt + " (Job " + name + ")");
    return Optional.of(poll);
  }

  private Optional<Duration> running(
      StackingExperiment exp, ExperimentContext ctx, ExperimentStatus st, EvaluationStatus e)
      throws IOException {
    String ns = exp.getMetadata().getNamespace();
    Job job = ctx.jobs().get(e.jobName);
    if (job == null) {
      job = launcher.get(ns, e.jobName);
    }
    if (job == null || ctx.spec().suspend()) {
      if (job != null) {
        launcher.delete(ns, e.jobName);
      }
      if (StagePods.of(launcher.client(), ns, e.jobName).anyAlive()) {
        return Optional.of(poll);
      }
      // Gone without a verdict (deleted, or suspended): the next pass starts it over.
      transition(e, StagePhase.Pending);
      return Optional.of(Duration.ZERO);
    }
    JobState state = JobState.of(job);
    switch (state.phase()) {
      case Succeeded:
        Optional<ReportManifest> report =
            ctx.store().report(ctx.layout(), e.stage, ctx.spec().numStages());
        if (report.isPresent() && report.get().getRunsCount() == 1) {
          succeeded(exp, e, report.get().getRuns(0));
          return null;
        }
        return failed(
            exp, ctx, st, e, ExitClass.UNKNOWN, 0, "Job succeeded without committing its report");
      case Failed:
        StagePods pods = StagePods.of(launcher.client(), ns, e.jobName);
        if (pods.anyAlive()) {
          return Optional.of(poll);
        }
        // How it ended, by the rule a stage's attempt follows (deadline, disruption, exit code).
        AttemptEnd end =
            AttemptEnd.of(
                state,
                pods,
                ctx.spec()
                    .stageDeadlineSeconds()
                    .map(t -> "stageDeadlineSeconds " + t)
                    .orElse("its deadline"));
        return failed(exp, ctx, st, e, end.exitClass(), end.exitCode(), end.why());
      default:
        ctx.store()
            .evaluationHeartbeat(ctx.layout(), e.stage)
            .ifPresent(
                hb ->
                    e.progress =
                        hb.getStageStep() + "/" + hb.getStageSteps() + " " + hb.getPhase());
        return Optional.of(poll);
    }
  }

  private void succeeded(StackingExperiment exp, EvaluationStatus e, EvalResult headline) {
    e.report = headline.getReport();
    e.valLoss = headline.getValLoss();
    e.meanAccuracy =
        headline.getMeanAccuracyMap().isEmpty()
            ? null
            : new TreeMap<>(headline.getMeanAccuracyMap());
    e.endTime = clock.instant().toString();
    e.progress = null;
    e.retryAfter = null;
    transition(e, StagePhase.Succeeded);
    events.record(
        exp,
        Reason.EvaluationSucceeded,
        "evaluation of stages 1.."
            + e.stage
            + ": final val loss "
            + headline.getValLoss()
            + (e.meanAccuracy == null ? "" : ", mean accuracy " + e.meanAccuracy)
            + "; report "
            + e.report);
  }

  private Optional<Duration> failed(
      StackingExperiment exp,
      ExperimentContext ctx,
      ExperimentStatus st,
      EvaluationStatus e,
      ExitClass exit,
      int code,
      String message) {
    e.progress = null;
    return outcomes.failed(
        exp, ctx, st, e, StageOutcomes.Work.evaluation(e.stage), exit, code, message);
  }

  private void transition(EvaluationStatus e, StagePhase to) {
    outcomes.transition(e, to);
  }

  /** The nearer of two waits; empty (only an outside change) is the farthest. */
  static Optional<Duration> sooner(Optional<Duration> a, Optional<Duration> b) {
    if (a == null || a.isEmpty()) {
      return b;
    }
    if (b.isEmpty()) {
      return a;
    }
    return b.get().compareTo(a.get()) < 0 ? b : a;
  }
}
