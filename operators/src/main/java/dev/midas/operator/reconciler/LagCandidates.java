package dev.midas.operator.reconciler;

import static dev.midas.operator.status.AttemptPhase.BACKING_OFF;
import static dev.midas.operator.status.AttemptPhase.FAILED;
import static dev.midas.operator.status.AttemptPhase.PENDING;
import static dev.midas.operator.status.AttemptPhase.RUNNING;
import static dev.midas.operator.status.AttemptPhase.SUCCEEDED;

import dev.midas.operator.api.StackingExperiment;
import dev.midas.operator.api.status.LagCandidate;
import dev.midas.operator.launch.JobNames;
import dev.midas.operator.launch.StageJobFactory;
import dev.midas.operator.launch.StageLauncher;
import dev.midas.operator.launch.StageRun;
import dev.midas.operator.observer.AttemptEnd;
import dev.midas.operator.observer.JobState;
import dev.midas.operator.observer.StagePods;
import dev.midas.plan.exit.ExitClass;
import dev.midas.plan.exit.RetryPolicy;
import dev.midas.plan.lag.LagPlan;
import dev.midas.plan.layout.RunLayout;
import dev.midas.plan.spec.ExperimentSpec;
import dev.midas.proto.StageResult;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The Jobs of LAG candidates: one attempt after another, each in the candidate's own run folder; a
 * failed attempt (a crash, past {@code growth.lag.timeoutSeconds}) is retried as a stage is, by the
 * exit-class table and {@code retry.limit}, once its pod is gone; a candidate is Failed only when
 * its retries are spent.
 */
final class LagCandidates {

  private final StageLauncher launcher;
  private final StageJobFactory jobs;
  private final Clock clock;

  LagCandidates(StageLauncher launcher, StageJobFactory jobs, Clock clock) {
    this.launcher = launcher;
    this.jobs = jobs;
    this.clock = clock;
  }

  /** Whether the candidate waits for a first or next attempt that may start now. */
  boolean due(LagCandidate c) {
    return PENDING.equals(c.phase)
        || (BACKING_OFF.equals(c.phase) && !clock.instant().isBefore(Instant.parse(c.retryAfter)));
  }

  /** The next attempt: the experiment with the candidate's operator, in its own run folder. */
  void launch(
      StackingExperiment exp,
      ExperimentContext ctx,
      int stage,
      LagCandidate c,
      String init,
      long steps) {
    int attempt = (c.attempts == null ? 0 : c.attempts) + 1;
    String configMap = JobNames.lagCandidate(ctx.layout().experiment(), stage, c.operator);
    ExperimentSpec spec = LagPlan.probeSpec(ctx.frozen(), c.operator);
    launcher.ensureSpec(exp, configMap, uid(ctx, stage, c), spec);
    List<String> args =
        List.of(
            "--stage",
            Integer.toString(stage),
            "--init",
            init,
            "--lag-steps",
            Long.toString(steps));
    c.jobName = JobNames.lagCandidate(ctx.layout().experiment(), stage, c.operator, attempt);
    launcher.create(
        jobs.build(
            exp,
            ctx.spec(),
            ctx.root(),
            new StageRun(c.jobName, stage, attempt, args, configMap, StageRun.ROLE_LAG)),
        exp);
    c.attempts = attempt;
    c.retryAfter = null;
    c.phase = RUNNING;
  }

  /** Reads how a running candidate's attempt stands, and decides its next step when it ended. */
  void observe(StackingExperiment exp, ExperimentContext ctx, int stage, LagCandidate c)
      throws IOException {
    String ns = exp.getMetadata().getNamespace();
    Job job = ctx.jobs().get(c.jobName);
    if (job == null) {
      job = launcher.get(ns, c.jobName);
    }
    if (job == null) {
      if (!StagePods.of(launcher.client(), ns, c.jobName).anyAlive()) {
        retry(ctx, c, ExitClass.PREEMPTED, "Job " + c.jobName + " was deleted");
      }
      return;
    }
    JobState state = JobState.of(job);
    if (state.phase() == JobState.Phase.Succeeded) {
      RunLayout run = new RunLayout(ctx.layout().experiment(), uid(ctx, stage, c));
      Optional<StageResult> result = ctx.store().result(run, stage);
      c.valLoss = result.map(StageResult::getValLoss).orElse(null);
      // LAG chooses by the loss on the held-out selection windows, never the reported one.
      c.selectionLoss = result.map(StageResult::getSelectionLoss).orElse(null);
      // Every attempt of the probe costs the experiment, retried ones included.
      c.wallSeconds =
          result.map(r -> Math.max(r.getWallSeconds(), r.getAttemptsWallSeconds())).orElse(null);
      c.trainLoss = result.map(StageResult::getFinalTrainLoss).orElse(null);
      c.manifest = ctx.store().latest(run, stage).map(Object::toString).orElse(null);
      if (c.selectionLoss == null || c.manifest == null) {
        retry(ctx, c, ExitClass.UNKNOWN, "succeeded without a result and a checkpoint");
      } else {
        c.phase = SUCCEEDED;
      }
      return;
    }
    if (state.phase() != JobState.Phase.Failed) {
      return;
    }
    StagePods pods = StagePods.of(launcher.client(), ns, c.jobName);
    if (pods.anyAlive()) {
      return;
    }
    AttemptEnd end =
        AttemptEnd.of(
            state,
            pods,
            ctx.spec()
                .growth()
                .lag()
                .flatMap(l -> l.timeoutSeconds())
                .map(t -> "growth.lag.timeoutSeconds " + t)
                .or(() -> ctx.spec().stageDeadlineSeconds().map(t -> "stageDeadlineSeconds " + t))
                .orElse("its deadline"));
    retry(ctx, c, end.exitClass(), "exited " + end.exitCode() + ": " + end.why());
  }

  private void retry(ExperimentContext ctx, LagCandidate c, ExitClass exit, String why) {
    if (exit.countsAsFailure()) {
      c.failures = (c.failures == null ? 0 : c.failures) + 1;
    }
    String message = "attempt " + c.attempts + " " + why;
    c.lastFailure = message.length() > 512 ? message.substring(0, 512) : message;
    Optional<Duration> delay =
        RetryPolicy.next(ctx.spec().retry(), exit, c.failures == null ? 0 : c.failures);
    if (delay.isEmpty()) {
      c.phase = FAILED;
      return;
    }
    c.phase = BACKING_OFF;
    c.retryAfter = clock.instant().plus(delay.get()).toString();
  }

  static String uid(ExperimentContext ctx, int stage, LagCandidate c) {
    return JobNames.lagUid(ctx.layout().uid(), stage, c.operator);
  }
}
