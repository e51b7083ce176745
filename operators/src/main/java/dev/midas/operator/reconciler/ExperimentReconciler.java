package dev.midas.operator.reconciler;

import dev.midas.operator.api.StackingExperiment;
import dev.midas.operator.api.status.ExperimentStatus;
import dev.midas.operator.api.status.StageStatus;
import dev.midas.operator.config.OperatorConfig;
import dev.midas.operator.events.ConditionReason;
import dev.midas.operator.events.EventRecorder;
import dev.midas.operator.events.Reason;
import dev.midas.operator.launch.StageJobFactory;
import dev.midas.operator.launch.StageLauncher;
import dev.midas.operator.lifecycle.Conditions;
import dev.midas.operator.lifecycle.StagePhase;
import dev.midas.operator.metrics.OperatorMetrics;
import dev.midas.plan.stage.ObservedStage;
import dev.midas.plan.stage.StagePlanner;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Moves one valid experiment forward: stages strictly in order, one Job at a time. Which stage to
 * run and whether to start it ({@code --init}) or resume it ({@code --resume}) comes from the stage
 * plan's {@link StagePlanner} applied to what the object store holds; this class adds what only the
 * cluster knows: Job outcomes, retries, suspend, shared stages and LAG. It only changes the status
 * object it is given; {@code StatusRecorder} writes it.
 */
public class ExperimentReconciler {
  private final StageLauncher launcher;
  private final StageJobFactory jobs;
  private final LagReconciler lag;
  private final EventRecorder events;
  private final OperatorMetrics metrics;
  private final Clock clock;
  private final Duration poll;
  private final StageOutcomes outcomes;
  private final StageStarter starter;
  private final RunningStage running;
  private final EvaluationReconciler evaluations;

  public ExperimentReconciler(
      StageLauncher launcher,
      StageJobFactory jobs,
      LagReconciler lag,
      EventRecorder events,
      OperatorMetrics metrics,
      Clock clock,
      OperatorConfig config) {
    this.launcher = launcher;
    this.jobs = jobs;
    this.lag = lag;
    this.events = events;
    this.metrics = metrics;
    this.clock = clock;
    this.poll = config.pollInterval();
    this.outcomes = new StageOutcomes(events, metrics, clock);
    this.starter = new StageStarter(launcher, jobs, lag, events, outcomes, clock, poll);
    this.evaluations = new EvaluationReconciler(launcher, jobs, events, outcomes, clock, poll);
    this.running =
        new RunningStage(
            launcher,
            events,
            outcomes,
            new Stalls(
                launcher.client(),
                events,
                clock,
                config.pendingTimeout(),
                config.heartbeatTimeout()),
            poll);
  }

  /**
   * Advances {@code st} as far as possible now.
   *
   * @return when to look again; empty when only an outside change can move the experiment
   */
  public Optional<Duration> reconcile(
      StackingExperiment exp, ExperimentContext ctx, ExperimentStatus st) throws IOException {
    int k = ctx.spec().numStages();
    st.numStages = k;
    st.runUri = ctx.root().replaceAll("/+$", "") + "/" + ctx.layout().runPrefix();
    initStages(ctx, st);
    restartIfAsked(exp, ctx, st);
    if (Conditions.isTrue(st.conditions, Conditions.FAILED)) {
      return Optional.empty();
    }
    for (int s = 1; s <= k; s++) {
      StageStatus ss = st.stages.get(s - 1);
      st.currentStage = s;
      if (StagePhase.of(ss.phase).isDone()) {
        continue;
      }
      if (ctx.shared().covers(s)) {
        String fin = ctx.shared().finals().get(s);
        if (fin == null) {
          return evaluationsBeside(exp, ctx, st, s, Optional.of(poll));
        }
        ss.finalManifest = fin;
        outcomes.transition(ss, StagePhase.Shared);
        events.record(
            exp,
            Reason.StagesShared,
            "stage " + s + " taken from " + ctx.shared().leader() + ": " + fin);
        continue;
      }
      Optional<Duration> wait = advance(exp, ctx, st, s);
      if (wait != null) {
        return evaluationsBeside(exp, ctx, st, s, wait);
      }
    }
    Optional<Duration> evaluating = evaluations.reconcile(exp, ctx, st, k);
    if (evaluating != null) {
      return evaluating;
    }
    outcomes.finish(exp, ctx, st);
    return Optional.empty();
  }

  /**
   * While stage {@code s} is not done, the evaluations due after the stages before it (with {@code
   * evaluation.everyStage}) run beside it.
   */
  private Optional<Duration> evaluationsBeside(
      StackingExperiment exp,
      ExperimentContext ctx,
      ExperimentStatus st,
      int s,
      Optional<Duration> stageWait)
      throws IOException {
    if (Conditions.isTrue(st.conditions, Conditions.FAILED)) {
      return stageWait;
    }
    Optional<Duration> evaluating = evaluations.reconcile(exp, ctx, st, s - 1);
    return evaluating == null ? stageWait : EvaluationReconciler.sooner(stageWait, evaluating);
  }

  /** Advances stage {@code s}; null means the stage just succeeded and the next may start now. */
  private Optional<Duration> advance(
      StackingExperiment exp, ExperimentContext ctx, ExperimentStatus st, int s)
      throws IOException {
    StageStatus ss = st.stages.get(s - 1);
    ObservedStage os = ctx.run().stage(s);
    boolean committed =
        os.finalCheckpoint().isPresent() && (s == ctx.spec().numStages() || os.grown().isPresent());
    boolean suspend = ctx.spec().suspend();
    switch (StagePhase.of(ss.phase)) {
      case Failed:
        return Optional.empty();
      case Running:
      case Queued:
      case Stopping:
        RunningStage.Next next = running.observe(exp, ctx, st, s, committed);
        if (next instanceof RunningStage.Next.Wait w) {
          return w.after();
        }
        if (next instanceof RunningStage.Next.Committed c) {
          outcomes.succeeded(exp, ctx, st, s, os, c.completion());
          return null;
        }
        break;
      case BackingOff:
        Instant after = Instant.parse(ss.retryAfter);
        if (!suspend && clock.instant().isBefore(after)) {
          return Optional.of(Duration.between(clock.instant(), after));
        }
        break;
      case Suspended:
        if (suspend) {
          return Optional.empty();
        }
        events.record(exp, Reason.Resumed, "stage " + s + " resumes from its latest checkpoint");
        break;
      default:
        break;
    }
    if (suspend) {
      outcomes.transition(ss, StagePhase.Suspended);
      events.record(exp, Reason.Suspended, "suspended before stage " + s + " started");
      return Optional.empty();
    }
    if (committed && ss.attempts != null && ss.attempts > 0) {
      // The Job is gone but the store holds the stage: it finished while nobody watched.
      outcomes.succeeded(exp, ctx, st, s, os, Optional.empty());
      return null;
    }
    return starter.launch(exp, ctx, st, s);
  }

  private void initStages(ExperimentContext ctx, ExperimentStatus st) {
    int k = ctx.spec().numStages();
    if (st.stages.size() == k) {
      return;
    }
    st.stages.clear();
    for (int s = 1; s <= k; s++) {
      StageStatus ss = new StageStatus();
      ss.stage = s;
      ss.layers = ctx.spec().layersAt(s);
      ss.steps = ctx.spec().schedule().stages().steps(s);
      ss.phase = StagePhase.Pending.name();
      ss.attempts = 0;
      ss.failures = 0;
      st.stages.add(ss);
    }
  }

  /** A new {@code spec.restartNonce} gives a Failed experiment a fresh retry budget. */
  private void restartIfAsked(StackingExperiment exp, ExperimentContext ctx, ExperimentStatus st) {
    String nonce = ctx.spec().restartNonce();
    if (nonce.equals(st.observedRestartNonce == null ? "" : st.observedRestartNonce)) {
      return;
    }
    st.observedRestartNonce = nonce;
    if (!Conditions.isTrue(st.conditions, Conditions.FAILED)) {
      return;
    }
    Conditions.clear(
        st.conditions,
        Conditions.FAILED,
        ConditionReason.Restarted,
        exp.getMetadata().getGeneration(),
        clock.instant());
    for (StageStatus ss : st.stages) {
      if (StagePhase.of(ss.phase) == StagePhase.Failed) {
        ss.failures = 0;
        ss.retryAfter = clock.instant().toString();
        outcomes.transition(ss, StagePhase.BackingOff);
      }
    }
    if (st.evaluations != null) {
      for (var e : st.evaluations) {
        if (StagePhase.of(e.phase) == StagePhase.Failed) {
          e.failures = 0;
          e.retryAfter = clock.instant().toString();
          outcomes.transition(e, StagePhase.BackingOff);
        }
      }
    }
    events.record(
        exp,
        Reason.Restarted,
        "restartNonce " + nonce + ": failed stages resume from their latest checkpoint");
  }
}
