package dev.midas.operator.reconciler;

import dev.midas.operator.api.StackingExperiment;
import dev.midas.operator.api.status.ExperimentStatus;
import dev.midas.operator.api.status.LagCandidate;
import dev.midas.operator.api.status.LagDecision;
import dev.midas.operator.events.EventRecorder;
import dev.midas.operator.events.Reason;
import dev.midas.operator.launch.JobNames;
import dev.midas.operator.launch.StageJobFactory;
import dev.midas.operator.launch.StageLauncher;
import dev.midas.operator.launch.StageRun;
import dev.midas.operator.observer.JobState;
import dev.midas.plan.layout.RunLayout;
import dev.midas.plan.spec.ExperimentSpec;
import dev.midas.proto.StageResult;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * LAG at one growth point (MIDAS.md section 7): every candidate operator grows the previous stage's
 * final checkpoint and trains it for the lag in its own Job and its own run folder; once all have
 * reported, the one with the lowest validation loss wins and the stage resumes from the winner's
 * checkpoint, so its lag steps are not trained twice. Every candidate's loss and the decision go to
 * {@code status.lag}.
 */
public class LagReconciler {
  /** How a growth point's LAG stands. */
  public sealed interface Outcome {
    /** Candidates still running. */
    record Waiting() implements Outcome {}

    /** Continue the stage from the winner's checkpoint. */
    record Decided(String operator, String manifest) implements Outcome {}

    /** Every candidate failed. */
    record Failed(String message) implements Outcome {}
  }

  private final StageLauncher launcher;
  private final StageJobFactory jobs;
  private final EventRecorder events;
  private final Clock clock;

  public LagReconciler(
      StageLauncher launcher, StageJobFactory jobs, EventRecorder events, Clock clock) {
    this.launcher = launcher;
    this.jobs = jobs;
    this.events = events;
    this.clock = clock;
  }

  public Outcome reconcile(
      StackingExperiment exp, ExperimentContext ctx, ExperimentStatus st, int stage)
      throws IOException {
    LagDecision d = decision(ctx, st, stage);
    if (d.chosen != null) {
      return winner(d);
    }
    String init = st.stages.get(stage - 2).finalManifest;
    boolean launched = false;
    for (LagCandidate c : d.candidates) {
      if ("Pending".equals(c.phase)) {
        launchCandidate(exp, ctx, stage, c, init, d.lagSteps);
        c.phase = "Running";
        launched = true;
      } else if ("Running".equals(c.phase)) {
        observe(ctx, stage, c);
      }
    }
    if (launched) {
      events.record(
          exp,
          Reason.LagCandidatesStarted,
          "stage "
              + stage
              + ": "
              + d.candidates.size()
              + " candidates for "
              + d.lagSteps
              + " steps each from "
              + init);
    }
    if (d.candidates.stream()
        .anyMatch(c -> "Pending".equals(c.phase) || "Running".equals(c.phase))) {
      return new Outcome.Waiting();
    }
    Optional<LagCandidate> best =
        d.candidates.stream()
            .filter(c -> "Succeeded".equals(c.phase) && c.valLoss != null && c.manifest != null)
            .min(Comparator.comparingDouble((LagCandidate c) -> c.valLoss));
    if (best.isEmpty()) {
      return new Outcome.Failed("every LAG candidate of stage " + stage + " failed");
    }
    d.chosen = best.get().operator;
    d.decidedAt = clock.instant().toString();
    st.stages.get(stage - 2).growthOperator = d.chosen;
    events.record(
        exp,
        Reason.LagDecided,
        "stage "
            + stage
            + ": "
            + d.candidates.stream()
                .map(
                    c ->
                        c.operator
                            + "="
                            + (c.valLoss == null ? c.phase : String.format("%.4f", c.valLoss)))
                .collect(Collectors.joining(", "))
            + " -> "
            + d.chosen);
    return winner(d);
  }

  private static Outcome winner(LagDecision d) {
    LagCandidate w =
        d.candidates.stream().filter(c -> c.operator.equals(d.chosen)).findFirst().orElseThrow();
    return new Outcome.Decided(w.operator, w.manifest);
  }

  private LagDecision decision(ExperimentContext ctx, ExperimentStatus st, int stage) {
    if (st.lag == null) {
      st.lag = new ArrayList<>();
    }
    for (LagDecision d : st.lag) {
      if (d.stage == stage) {
        return d;
      }
    }
    var spec = ctx.spec().growth().lag().orElseThrow();
    LagDecision d = new LagDecision();
    d.stage = stage;
    d.lagSteps = spec.steps();
    for (String op : spec.candidates()) {
      LagCandidate c = new LagCandidate();
      c.operator = op;
      c.jobName = JobNames.lagCandidate(ctx.layout().experiment(), stage, op);
      c.phase = "Pending";
      d.candidates.add(c);
    }
    st.lag.add(d);
    return d;
  }

  /** A candidate is the experiment with another growth operator, in a run folder of its own. */
  private void launchCandidate(
      StackingExperiment exp,
      ExperimentContext ctx,
      int stage,
      LagCandidate c,
      String init,
      long steps) {
    ExperimentSpec spec = Serialization.clone(ctx.frozen());
    spec.growth.operator = c.operator;
    spec.growth.lag = null;
    String uid = JobNames.lagUid(ctx.layout().uid(), stage, c.operator);
    launcher.ensureSpec(exp, c.jobName, uid, spec);
    List<String> args =
        List.of(
            "--stage",
            Integer.toString(stage),
            "--init",
            init,
            "--lag-steps",
            Long.toString(steps));
    launcher.create(
        jobs.build(
            exp,
            ctx.spec(),
            ctx.root(),
            new StageRun(c.jobName, stage, 1, args, c.jobName, StageRun.ROLE_LAG)),
        exp);
  }

  private void observe(ExperimentContext ctx, int stage, LagCandidate c) throws IOException {
    Job job = ctx.jobs().get(c.jobName);
    if (job == null) {
      return;
    }
    JobState.Phase phase = JobState.of(job).phase();
    if (phase == JobState.Phase.Failed) {
      c.phase = "Failed";
    } else if (phase == JobState.Phase.Succeeded) {
      RunLayout run =
          new RunLayout(
              ctx.layout().experiment(), JobNames.lagUid(ctx.layout().uid(), stage, c.operator));
      Optional<StageResult> result = ctx.store().result(run, stage);
      c.valLoss = result.map(StageResult::getValLoss).orElse(null);
      c.trainLoss = result.map(StageResult::getFinalTrainLoss).orElse(null);
      c.manifest = ctx.store().latest(run, stage).map(java.net.URI::toString).orElse(null);
      c.phase = c.valLoss == null || c.manifest == null ? "Failed" : "Succeeded";
    }
  }
}
