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
import dev.midas.operator.lifecycle.Conditions;
import dev.midas.operator.lifecycle.StagePhase;
import dev.midas.operator.metrics.OperatorMetrics;
import dev.midas.operator.observer.ExitClass;
import dev.midas.operator.observer.JobState;
import dev.midas.operator.observer.PodExit;
import dev.midas.plan.stage.ObservedRun;
import dev.midas.plan.stage.ObservedStage;
import dev.midas.plan.stage.StageAction;
import dev.midas.plan.stage.StagePlanner;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Moves one valid experiment forward: stages strictly in order, one Job at a time. Which stage to
 * run and whether to start it ({@code --init}) or resume it ({@code --resume}) comes from the stage
 * plan's {@link StagePlanner} applied to what the object store holds; this class adds what only the
 * cluster knows: Job outcomes, retries, suspend, shared stages and LAG. It only changes the status
 * object it is given; {@code StatusRecorder} writes it.
 */
public class ExperimentReconciler {
  private final KubernetesClient client;
  private final StageLauncher launcher;
  private final StageJobFactory jobs;
  private final LagReconciler lag;
  private final EventRecorder events;
  private final OperatorMetrics metrics;
  private final Clock clock;
  private final Duration poll;

  public ExperimentReconciler(
      KubernetesClient client,
      StageLauncher launcher,
      StageJobFactory jobs,
      LagReconciler lag,
      EventRecorder events,
      OperatorMetrics metrics,
      Clock clock,
      Duration poll) {
    this.client = client;
    this.launcher = launcher;
    this.jobs = jobs;
    this.lag = lag;
    this.events = events;
    this.metrics = metrics;
    this.clock = clock;
    this.poll = poll;
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
          return Optional.of(poll);
        }
        ss.finalManifest = fin;
        transition(ss, StagePhase.Shared);
        events.record(
            exp,
            Reason.StagesShared,
            "stage " + s + " taken from " + ctx.shared().leader() + ": " + fin);
        continue;
      }
      Optional<Duration> wait = advance(exp, ctx, st, s);
      if (wait != null) {
        return wait;
      }
    }
    finish(exp, ctx, st);
    return Optional.empty();
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
        return running(exp, ctx, st, s, committed);
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
        if (ss.jobName != null) {
          launcher.delete(exp.getMetadata().getNamespace(), ss.jobName);
        }
        events.record(exp, Reason.Resumed, "stage " + s + " resumes from its latest checkpoint");
        break;
      default:
        break;
    }
    if (suspend) {
      transition(ss, StagePhase.Suspended);
      events.record(exp, Reason.Suspended, "suspended before stage " + s + " started");
      return Optional.empty();
    }
    if (committed && ss.attempts != null && ss.attempts > 0) {
      // The Job is gone but the store holds the stage: it finished while nobody watched.
      succeeded(exp, ctx, st, s, os, Optional.empty());
      return null;
    }
    return launch(exp, ctx, st, s);
  }

  private Optional<Duration> running(
      StackingExperiment exp, ExperimentContext ctx, ExperimentStatus st, int s, boolean committed)
      throws IOException {
    StageStatus ss = st.stages.get(s - 1);
    Job job = ctx.jobs().get(ss.jobName);
    if (job == null) {
      // Not in the informer cache yet, or deleted by someone: creating it again is idempotent.
      return relaunchSame(exp, ctx, st, s);
    }
    JobState state = JobState.of(job);
    String ns = exp.getMetadata().getNamespace();
    switch (state.phase()) {
      case Active:
        if (ctx.spec().suspend()) {
          launcher.suspend(ns, ss.jobName);
          events.record(
              exp, Reason.Suspending, "stage " + s + " checkpoints and stops (spec.suspend)");
        }
        heartbeat(ctx, st, s);
        return Optional.of(poll);
      case Suspending:
        return Optional.of(poll);
      case Suspended:
        if (committed) {
          // It finished before the suspend reached it.
          succeeded(exp, ctx, st, s, ctx.run().stage(s), state.completionTime());
          return null;
        }
        transition(ss, StagePhase.Suspended);
        events.record(exp, Reason.Suspended, "stage " + s + " stopped after its checkpoint");
        return ctx.spec().suspend() ? Optional.empty() : Optional.of(Duration.ZERO);
      case Succeeded:
        if (committed) {
          succeeded(exp, ctx, st, s, ctx.run().stage(s), state.completionTime());
          return null;
        }
        events.record(
            exp,
            Reason.ManifestsMissing,
            "stage "
                + s
                + " Job "
                + ss.jobName
                + " succeeded but its stage-final or grown MANIFEST is not in the store");
        return failed(
            exp,
            ctx,
            st,
            s,
            ExitClass.UNKNOWN,
            0,
            "Job succeeded without committing its manifests");
      case Failed:
      default:
        Optional<PodExit> exit = PodExit.of(client, ns, ss.jobName);
        int code = exit.map(PodExit::exitCode).orElse(-1);
        String message =
            exit.map(PodExit::message)
                .filter(m -> !m.isBlank())
                .orElse("Job " + ss.jobName + " failed");
        return failed(exp, ctx, st, s, ExitClass.of(code), code, message);
    }
  }

  private Optional<Duration> failed(
      StackingExperiment exp,
      ExperimentContext ctx,
      ExperimentStatus st,
      int s,
      ExitClass exit,
      int code,
      String message) {
    StageStatus ss = st.stages.get(s - 1);
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
              ? "stage "
                  + s
                  + " failed "
                  + failures
                  + " times, more than retry.limit "
                  + ctx.spec().retry().limit()
              : "stage " + s + " exited " + code + " (" + exit + "), which no retry can fix";
      transition(ss, StagePhase.Failed);
      ss.endTime = clock.instant().toString();
      Conditions.set(
          st.conditions,
          Conditions.FAILED,
          true,
          exit.retryable() ? "RetryLimitReached" : reasonOf(exit),
          why + ": " + ss.lastFailure,
          exp.getMetadata().getGeneration(),
          clock.instant());
      events.record(exp, Reason.StageFailed, why + ": " + ss.lastFailure);
      events.record(exp, Reason.ExperimentFailed, why);
      return Optional.empty();
    }
    ss.retryAfter = clock.instant().plus(delay.get()).toString();
    transition(ss, StagePhase.BackingOff);
    metrics.retry(exit.name());
    events.record(
        exp,
        Reason.StageRetrying,
        "stage "
            + s
            + " attempt "
            + ss.attempts
            + " exited "
            + code
            + " ("
            + exit
            + "); attempt "
            + (ss.attempts + 1)
            + " resumes from the latest checkpoint in "
            + delay.get().toSeconds()
            + "s");
    return Optional.of(delay.get());
  }

  private static String reasonOf(ExitClass exit) {
    return switch (exit) {
      case BAD_SPEC -> "BadSpec";
      case DIVERGED -> "Diverged";
      case CORRUPT_INPUT -> "CorruptInput";
      default -> "StageFailed";
    };
  }

  private Optional<Duration> launch(
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
        return failed(exp, ctx, st, s, ExitClass.UNKNOWN, -1, f.message());
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
    transition(ss, StagePhase.Running);
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

  /** Creates the recorded Job again (a no-op when it exists but the cache has not seen it yet). */
  private Optional<Duration> relaunchSame(
      StackingExperiment exp, ExperimentContext ctx, ExperimentStatus st, int s) {
    StageStatus ss = st.stages.get(s - 1);
    StageAction action =
        ss.resumeManifest != null
            ? new StageAction.Resume(s, ss.resumeManifest)
            : new StageAction.Run(s, Optional.ofNullable(ss.initManifest));
    createJob(exp, ctx, ss.jobName, ss.attempts, action);
    return Optional.of(poll);
  }

  /** The spec ConfigMap, then the Job: both idempotent, so repeating this is harmless. */
  private void createJob(
      StackingExperiment exp, ExperimentContext ctx, String name, int attempt, StageAction action) {
    String configMap = JobNames.specConfigMap(exp.getMetadata().getName());
    launcher.ensureSpec(exp, configMap, ctx.layout().uid(), ctx.frozen());
    StageRun run =
        new StageRun(
            name, action.stage(), attempt, action.runnerArgs(), configMap, StageRun.ROLE_STAGE);
    launcher.create(jobs.build(exp, ctx.spec(), ctx.root(), run));
  }

  private void succeeded(
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

  private void heartbeat(ExperimentContext ctx, ExperimentStatus st, int s) throws IOException {
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

  private void finish(StackingExperiment exp, ExperimentContext ctx, ExperimentStatus st) {
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
    st.result = r;
    st.step = r.globalStep;
    st.heartbeat = null;
    events.record(
        exp,
        Reason.ExperimentSucceeded,
        "all " + st.stages.size() + " stages done; final checkpoint " + r.finalManifest);
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
        "Restarted",
        exp.getMetadata().getGeneration(),
        clock.instant());
    for (StageStatus ss : st.stages) {
      if (StagePhase.of(ss.phase) == StagePhase.Failed) {
        ss.failures = 0;
        ss.retryAfter = clock.instant().toString();
        transition(ss, StagePhase.BackingOff);
      }
    }
    events.record(
        exp,
        Reason.Restarted,
        "restartNonce " + nonce + ": failed stages resume from their latest checkpoint");
  }

  private void transition(StageStatus ss, StagePhase to) {
    String from = ss.phase == null ? StagePhase.Pending.name() : ss.phase;
    if (!from.equals(to.name())) {
      metrics.transition("stage", from, to.name());
    }
    ss.phase = to.name();
  }
}
