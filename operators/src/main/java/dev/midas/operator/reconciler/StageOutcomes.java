package dev.midas.operator.reconciler;

import dev.midas.operator.api.StackingExperiment;
import dev.midas.operator.api.status.AttemptStatus;
import dev.midas.operator.api.status.EvaluationStatus;
import dev.midas.operator.api.status.ExperimentStatus;
import dev.midas.operator.api.status.StageStatus;
import dev.midas.operator.events.ConditionReason;
import dev.midas.operator.events.EventRecorder;
import dev.midas.operator.events.Reason;
import dev.midas.operator.lifecycle.Conditions;
import dev.midas.operator.lifecycle.StagePhase;
import dev.midas.operator.metrics.OperatorMetrics;
import dev.midas.plan.exit.ExitClass;
import dev.midas.plan.exit.RetryPolicy;
import dev.midas.plan.stage.ObservedStage;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Records how a stage attempt ended: success (manifests, losses, duration), failure (retry with
 * backoff, or Failed for good: the same rule for an evaluation's attempts), the running stage's
 * heartbeat, and the experiment's final result. Every stage phase change goes through {@link
 * #transition}, so the transition metric sees all.
 */
final class StageOutcomes {
  private final EventRecorder events;
  private final OperatorMetrics metrics;
  private final Clock clock;

  StageOutcomes(EventRecorder events, OperatorMetrics metrics, Clock clock) {
    this.events = events;
    this.metrics = metrics;
    this.clock = clock;
  }

  /** How a piece of work is named in events and the Failed condition, and what a retry does. */
  record Work(String name, Reason failed, Reason retrying, String retryNote) {
    static Work stage(int s) {
      return new Work(
          "stage " + s,
          Reason.StageFailed,
          Reason.StageRetrying,
          "resumes from the latest checkpoint");
    }

    static Work evaluation(int s) {
      return new Work(
          "evaluation of stages 1.." + s,
          Reason.EvaluationFailed,
          Reason.EvaluationRetrying,
          "starts over (nothing is trained again)");
    }
  }

  Optional<Duration> failed(
      StackingExperiment exp,
      ExperimentContext ctx,
      ExperimentStatus st,
      int s,
      ExitClass exit,
      int code,
      String message) {
    return failed(exp, ctx, st, st.stages.get(s - 1), Work.stage(s), exit, code, message);
  }

  /**
   * Follows the plan's exit-class table and {@link RetryPolicy} after an attempt of a stage or an
   * evaluation failed: the next attempt after a backoff, or the experiment Failed for good.
   */
  Optional<Duration> failed(
      StackingExperiment exp,
      ExperimentContext ctx,
      ExperimentStatus st,
      AttemptStatus ss,
      Work work,
      ExitClass exit,
      int code,
      String message) {
    ss.lastExitCode = code;
    ss.lastFailure = message.length() > 1024 ? message.substring(0, 1024) : message;
    if (exit.countsAsFailure()) {
      ss.failures = (ss.failures == null ? 0 : ss.failures) + 1;
    }
    int failures = ss.failures == null ? 0 : ss.failures;
    Optional<Duration> delay = RetryPolicy.next(ctx.spec().retry(), exit, failures);
    if (delay.isEmpty()) {
      String why =
          exit.retryable()
              ? work.name()
                  + " failed "
                  + failures
                  + " times, more than retry.limit "
                  + ctx.spec().retry().limit()
              : work.name() + " exited " + code + " (" + exit + "), which no retry can fix";
      transition(ss, StagePhase.Failed);
      ss.endTime = clock.instant().toString();
      Conditions.set(
          st.conditions,
          Conditions.FAILED,
          true,
          ConditionReason.failedBy(exit),
          why + ": " + ss.lastFailure,
          exp.getMetadata().getGeneration(),
          clock.instant());
      events.record(exp, work.failed(), why + ": " + ss.lastFailure);
      events.record(exp, Reason.ExperimentFailed, why);
      return Optional.empty();
    }
    ss.retryAfter = clock.instant().plus(delay.get()).toString();
    transition(ss, StagePhase.BackingOff);
    metrics.retry(exit.name());
    events.record(
        exp,
        work.retrying(),
        work.name()
            + " attempt "
            + ss.attempts
            + " exited "
            + code
            + " ("
            + exit
            + "); attempt "
            + (ss.attempts + 1)
            + " "
            + work.retryNote()
            + " in "
            + delay.get().toSeconds()
            + "s");
    return Optional.of(delay.get());
  }

  void succeeded(
      StackingExperiment exp,
      ExperimentContext ctx,
      ExperimentStatus st,
      int s,
      ObservedStage os,
      Optional<String> completion)
      throws IOException {
    StageStatus ss = st.stages.get(s - 1);
    ss.finalManifest = os.finalCheckpoint().orElse(null);
    ss.grownManifest = os.grown().orElse(null);
    ss.endTime = completion.orElse(clock.instant().toString());
    ss.retryAfter = null;
    ctx.store()
        .result(ctx.layout(), s)
        .ifPresent(
            r -> {
              ss.trainLoss = r.getFinalTrainLoss();
              ss.valLoss = r.getValLoss();
              st.step = r.getGlobalStep();
              st.trainLoss = r.getFinalTrainLoss();
            });
    transition(ss, StagePhase.Succeeded);
    if (ss.startTime != null) {
      metrics.stageDuration(
          s, Duration.between(Instant.parse(ss.startTime), Instant.parse(ss.endTime)));
    }
    events.record(
        exp,
        Reason.StageSucceeded,
        "stage "
            + s
            + " committed "
            + ss.finalManifest
            + (ss.grownManifest == null ? "" : " and grown " + ss.grownManifest));
  }

  void heartbeat(ExperimentContext ctx, ExperimentStatus st, int s) throws IOException {
    ctx.store()
        .heartbeat(ctx.layout(), s)
        .ifPresent(
            hb -> {
              var h = new dev.midas.operator.api.status.HeartbeatStatus();
              h.stage = hb.getStage();
              h.globalStep = hb.getGlobalStep();
              h.stageStep = hb.getStageStep();
              h.stageSteps = hb.getStageSteps();
              h.loss = hb.getLoss();
              h.tokensPerSecond = hb.getTokensPerSecond();
              h.etaSeconds = hb.getEtaSeconds();
              h.updatedAt = Instant.ofEpochMilli(hb.getUpdatedAtMillis()).toString();
              st.heartbeat = h;
              st.step = hb.getGlobalStep();
              st.trainLoss = hb.getLoss();
            });
  }

  void finish(StackingExperiment exp, ExperimentContext ctx, ExperimentStatus st) {
    StageStatus last = st.stages.get(st.stages.size() - 1);
    if (st.result != null) {
      return;
    }
    var r = new dev.midas.operator.api.status.ExperimentResult();
    r.finalManifest = last.finalManifest;
    r.trainLoss = last.trainLoss;
    r.valLoss = last.valLoss;
    r.globalStep = ctx.spec().schedule().stages().totalSteps();
    r.wallSeconds =
        st.stages.stream()
            .filter(
                x ->
                    x.startTime != null
                        && x.endTime != null
                        && StagePhase.of(x.phase) == StagePhase.Succeeded)
            .mapToDouble(
                x ->
                    Duration.between(Instant.parse(x.startTime), Instant.parse(x.endTime))
                            .toMillis()
                        / 1000.0)
            .sum();
    if (st.evaluations != null) {
      st.evaluations.stream()
          .filter(
              e -> e.stage == st.stages.size() && StagePhase.of(e.phase) == StagePhase.Succeeded)
          .findFirst()
          .ifPresent(
              e -> {
                r.valLoss = e.valLoss;
                r.report = e.report;
                r.meanAccuracy = e.meanAccuracy;
              });
    }
    st.result = r;
    st.step = r.globalStep;
    st.heartbeat = null;
    events.record(
        exp,
        Reason.ExperimentSucceeded,
        "all "
            + st.stages.size()
            + " stages done; final checkpoint "
            + r.finalManifest
            + (r.report == null ? "" : "; report " + r.report));
  }

  void transition(AttemptStatus ss, StagePhase to) {
    String from = ss.phase == null ? StagePhase.Pending.name() : ss.phase;
    if (!from.equals(to.name())) {
      metrics.transition(ss instanceof EvaluationStatus ? "evaluation" : "stage", from, to.name());
    }
    ss.phase = to.name();
  }
}
