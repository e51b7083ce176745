package dev.midas.operator.reconciler;

import dev.midas.operator.api.StackingExperiment;
import dev.midas.operator.api.status.ExperimentStatus;
import dev.midas.operator.api.status.StageStatus;
import dev.midas.operator.events.EventRecorder;
import dev.midas.operator.events.Reason;
import dev.midas.operator.launch.JobNames;
import dev.midas.operator.launch.StageJobFactory;
import dev.midas.operator.launch.StageLauncher;
import dev.midas.operator.launch.StageRun;
import dev.midas.operator.lifecycle.StagePhase;
import dev.midas.plan.exit.ExitClass;
import dev.midas.plan.stage.ObservedRun;
import dev.midas.plan.stage.ObservedStage;
import dev.midas.plan.stage.StageAction;
import dev.midas.plan.stage.StagePlanner;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Starts the next attempt of a stage: asks the stage plan's {@link StagePlanner} whether to start
 * ({@code --init}) or resume ({@code --resume}), runs LAG first where the spec asks for it, and
 * creates the spec ConfigMap and the Job under their deterministic names.
 */
final class StageStarter {
  private final StageLauncher launcher;
  private final StageJobFactory jobs;
  private final LagReconciler lag;
  private final EventRecorder events;
  private final StageOutcomes outcomes;
  private final Clock clock;
  private final Duration poll;

  StageStarter(
      StageLauncher launcher,
      StageJobFactory jobs,
      LagReconciler lag,
      EventRecorder events,
      StageOutcomes outcomes,
      Clock clock,
      Duration poll) {
    this.launcher = launcher;
    this.jobs = jobs;
    this.lag = lag;
    this.events = events;
    this.outcomes = outcomes;
    this.clock = clock;
    this.poll = poll;
  }

  Optional<Duration> launch(
      StackingExperiment exp, ExperimentContext ctx, ExperimentStatus st, int s)
      throws IOException {
    StageStatus ss = st.stages.get(s - 1);
    List<ObservedStage> view = new ArrayList<>(ctx.run().stages());
    for (int i = 1; i < s; i++) {
      StageStatus prev = st.stages.get(i - 1);
      if (StagePhase.of(prev.phase) == StagePhase.Shared) {
        // The sibling's stage-final checkpoint is this run's init: the stage runner grows it.
        view.set(i - 1, ObservedStage.completed(prev.finalManifest, prev.finalManifest));
      }
    }
    if (s > 1
        && ctx.spec().growth().lag().isPresent()
        && ctx.run().stage(s).latestCheckpoint().isEmpty()) {
      LagReconciler.Outcome outcome = lag.reconcile(exp, ctx, st, s);
      if (outcome instanceof LagReconciler.Outcome.Waiting) {
        return Optional.of(poll);
      }
      if (outcome instanceof LagReconciler.Outcome.Failed f) {
        return outcomes.failed(exp, ctx, st, s, ExitClass.UNKNOWN, -1, f.message());
      }
      view.set(
          s - 1, ObservedStage.inProgress(((LagReconciler.Outcome.Decided) outcome).manifest()));
    }
    StageAction action = StagePlanner.next(ctx.spec().numStages(), new ObservedRun(view));
    if (action.stage() != s) {
      throw new IllegalStateException(
          "the object store no longer holds stage "
              + action.stage()
              + " of "
              + exp.getMetadata().getName()
              + " that status records as done");
    }
    int attempt = (ss.attempts == null ? 0 : ss.attempts) + 1;
    String name = JobNames.stage(exp.getMetadata().getName(), s, attempt);
    createJob(exp, ctx, name, attempt, action);
    ss.attempts = attempt;
    ss.jobName = name;
    ss.retryAfter = null;
    if (ss.startTime == null) {
      ss.startTime = clock.instant().toString();
    }
    String from;
    ss.resumeManifest = null;
    if (action instanceof StageAction.Resume r) {
      ss.resumeManifest = r.checkpoint();
      from = "resuming from " + r.checkpoint();
    } else {
      ((StageAction.Run) action).init().ifPresent(i -> ss.initManifest = i);
      from = ss.initManifest == null ? "from random init" : "from " + ss.initManifest;
    }
    ss.growthOperator = s < ctx.spec().numStages() ? ctx.spec().growth().operator() : null;
    outcomes.transition(ss, StagePhase.Running);
    events.record(
        exp,
        Reason.StageStarted,
        "stage "
            + s
            + "/"
            + ctx.spec().numStages()
            + " ("
            + ss.layers
            + " layers, "
            + ss.steps
            + " steps) attempt "
            + attempt
            + " "
            + from);
    return Optional.of(poll);
  }

  /** The spec ConfigMap, then the Job: both idempotent, so repeating this is harmless. */
  void createJob(
      StackingExperiment exp, ExperimentContext ctx, String name, int attempt, StageAction action) {
    String configMap = JobNames.specConfigMap(exp.getMetadata().getName());
    launcher.ensureSpec(exp, configMap, ctx.layout().uid(), ctx.frozen());
    // A pod its Job starts again (a disruption, a queue's preemption) gets these same arguments:
    // --resume-latest makes it go on from the stage's latest checkpoint instead.
    List<String> args = new ArrayList<>(action.runnerArgs());
    args.add("--resume-latest");
    StageRun run =
        new StageRun(name, action.stage(), attempt, args, configMap, StageRun.ROLE_STAGE);
    launcher.create(jobs.build(exp, ctx.spec(), ctx.root(), run), exp);
  }
}
