package dev.midas.operator.reconciler;

import dev.midas.operator.api.StackingExperiment;
import dev.midas.operator.api.status.ExperimentStatus;
import dev.midas.operator.api.status.StageStatus;
import dev.midas.operator.events.EventRecorder;
import dev.midas.operator.events.Reason;
import dev.midas.operator.launch.StageLauncher;
import dev.midas.operator.lifecycle.StagePhase;
import dev.midas.operator.observer.AttemptEnd;
import dev.midas.operator.observer.JobState;
import dev.midas.operator.observer.StagePods;
import dev.midas.plan.exit.ExitClass;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A stage whose Job exists (or existed): follows it from queued to admitted to its end. An attempt
 * only ends when the Job has its final condition and its pod is gone, so the next attempt never
 * overlaps a pod still writing the same stage. A Job that disappears (deleted by hand or by a TTL,
 * or by the operator itself for {@code spec.suspend}) is waited out the same way; then the store
 * decides what comes next (see {@link StageStarter}): nothing is relaunched with the old attempt's
 * arguments.
 */
final class RunningStage {
  /** What {@link #observe} decided. */
  sealed interface Next {
    /** Look again after this long (empty: only an outside change can move it). */
    record Wait(Optional<Duration> after) implements Next {}

    /** The stage committed its manifests: mark it Succeeded and go on. */
    record Committed(Optional<String> completion) implements Next {}

    /** The Job and its pods are gone without a result: launch the next attempt from the store. */
    record Relaunch() implements Next {}
  }

  private final StageLauncher launcher;
  private final EventRecorder events;
  private final StageOutcomes outcomes;
  private final Stalls stalls;
  private final Duration poll;

  RunningStage(
      StageLauncher launcher,
      EventRecorder events,
      StageOutcomes outcomes,
      Stalls stalls,
      Duration poll) {
    this.launcher = launcher;
    this.events = events;
    this.outcomes = outcomes;
    this.stalls = stalls;
    this.poll = poll;
  }

  Next observe(
      StackingExperiment exp, ExperimentContext ctx, ExperimentStatus st, int s, boolean committed)
      throws IOException {
    StageStatus ss = st.stages.get(s - 1);
    String ns = exp.getMetadata().getNamespace();
    Job job = ctx.jobs().get(ss.jobName);
    if (job == null) {
      // Not in the informer's cache: just created (the cache lags), or deleted.
      job = launcher.get(ns, ss.jobName);
    }
    if (StagePhase.of(ss.phase) == StagePhase.Stopping) {
      return stopping(exp, ctx, ss, s, job, committed);
    }
    if (job == null) {
      events.record(
          exp,
          Reason.JobDeleted,
          "Job "
              + ss.jobName
              + " of stage "
              + s
              + " was deleted; once its pod is gone the stage goes on from what the store holds");
      outcomes.transition(ss, StagePhase.Stopping);
      return stopping(exp, ctx, ss, s, null, committed);
    }
    JobState state = JobState.of(job);
    if (state.phase() != JobState.Phase.Active) {
      stalls.progressing(exp, st, s);
    }
    if (ctx.spec().suspend()
        && (state.phase() == JobState.Phase.Queued || state.phase() == JobState.Phase.Active)) {
      launcher.delete(ns, ss.jobName);
      events.record(
          exp,
          Reason.Suspending,
          "stage " + s + " checkpoints and stops (spec.suspend): its Job is deleted");
      outcomes.transition(ss, StagePhase.Stopping);
      return wait(poll);
    }
    switch (state.phase()) {
      case Queued:
        if (StagePhase.of(ss.phase) != StagePhase.Queued) {
          outcomes.transition(ss, StagePhase.Queued);
          events.record(
              exp,
              Reason.StageQueued,
              "stage " + s + " waits for its queue to admit Job " + ss.jobName);
        }
        return wait(poll);
      case Active:
        if (StagePhase.of(ss.phase) == StagePhase.Queued) {
          outcomes.transition(ss, StagePhase.Running);
          events.record(exp, Reason.StageAdmitted, "stage " + s + " admitted by its queue");
        }
        outcomes.heartbeat(ctx, st, s);
        stalls.check(exp, st, s, attemptStart(job, state));
        return wait(poll);
      case Failing:
        // The Job will fail, but its pod still terminates (and may be checkpointing).
        return wait(poll);
      case Succeeded:
        if (committed) {
          return new Next.Committed(state.completionTime());
        }
        events.record(
            exp,
            Reason.ManifestsMissing,
            "stage "
                + s
                + " Job "
                + ss.jobName
                + " succeeded but its stage-final or grown MANIFEST is not in the store");
        return new Next.Wait(
            outcomes.failed(
                exp,
                ctx,
                st,
                s,
                ExitClass.UNKNOWN,
                0,
                "Job succeeded without committing its manifests"));
      case Failed:
      default:
        return failed(exp, ctx, st, s, state);
    }
  }

  private Next failed(
      StackingExperiment exp, ExperimentContext ctx, ExperimentStatus st, int s, JobState state) {
    StageStatus ss = st.stages.get(s - 1);
    StagePods pods = StagePods.of(launcher.client(), exp.getMetadata().getNamespace(), ss.jobName);
    if (pods.anyAlive()) {
      // The Job's verdict is in, the pod's exit code not yet.
      return wait(poll);
    }
    AttemptEnd end =
        AttemptEnd.of(
            state,
            pods,
            ctx.spec()
                .stageDeadlineSeconds()
                .map(t -> "stageDeadlineSeconds " + t)
                .orElse("its deadline"));
    return new Next.Wait(
        outcomes.failed(exp, ctx, st, s, end.exitClass(), end.exitCode(), end.why()));
  }

  /** The Job is being deleted or gone: wait for its pods, then the store decides. */
  private Next stopping(
      StackingExperiment exp,
      ExperimentContext ctx,
      StageStatus ss,
      int s,
      Job job,
      boolean committed) {
    if (job != null) {
      return wait(poll);
    }
    if (StagePods.of(launcher.client(), exp.getMetadata().getNamespace(), ss.jobName).anyAlive()) {
      return wait(poll);
    }
    if (committed) {
      return new Next.Committed(Optional.empty());
    }
    if (ctx.spec().suspend()) {
      outcomes.transition(ss, StagePhase.Suspended);
      events.record(exp, Reason.Suspended, "stage " + s + " stopped after its checkpoint");
      return wait(null);
    }
    return new Next.Relaunch();
  }

  /** When this attempt began to wait for its pod: the Job's start, else its creation. */
  private static Instant attemptStart(Job job, JobState state) {
    return state
        .startTime()
        .or(() -> Optional.ofNullable(job.getMetadata().getCreationTimestamp()))
        .map(Instant::parse)
        .orElse(Instant.now());
  }

  private static Next wait(Duration d) {
    return new Next.Wait(Optional.ofNullable(d));
  }
}
