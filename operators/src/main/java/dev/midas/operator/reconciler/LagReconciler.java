package dev.midas.operator.reconciler;

import dev.midas.operator.api.StackingExperiment;
import dev.midas.operator.api.status.ExperimentStatus;
import dev.midas.operator.api.status.LagCandidate;
import dev.midas.operator.api.status.LagDecision;
import dev.midas.operator.events.EventRecorder;
import dev.midas.operator.events.Reason;
import dev.midas.operator.launch.StageJobFactory;
import dev.midas.operator.launch.StageLauncher;
import dev.midas.operator.status.AttemptPhase;
import dev.midas.plan.lag.LagPlan;
import dev.midas.proto.LagProbe;
import dev.midas.proto.LagRecord;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * LAG at one growth point, by the rule the local runner follows too ({@link LagPlan}): every
 * candidate operator (duplicate-j for each block j among them) grows the previous stage's final
 * checkpoint and trains it for the lag in its own Job and its own run folder; once all have
 * reported, the one with the lowest loss on the held-out selection windows wins and the stage
 * resumes from the winner's checkpoint, so its lag steps are not trained twice. Every candidate's
 * losses and the decision go to {@code status.lag} and, as a {@code LagRecord}, to the run's folder
 * in the store, where evaluation charges the candidates' steps and time to the experiment.
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

  private final LagCandidates candidates;
  private final EventRecorder events;
  private final Clock clock;

  public LagReconciler(
      StageLauncher launcher, StageJobFactory jobs, EventRecorder events, Clock clock) {
    this.candidates = new LagCandidates(launcher, jobs, clock);
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
    int maxParallel = ctx.spec().growth().lag().orElseThrow().maxParallel();
    for (LagCandidate c : d.candidates) {
      if (AttemptPhase.RUNNING.equals(c.phase)) {
        candidates.observe(exp, ctx, stage, c);
      }
    }
    long running = d.candidates.stream().filter(c -> AttemptPhase.RUNNING.equals(c.phase)).count();
    List<String> started = new ArrayList<>();
    for (LagCandidate c : d.candidates) {
      if (running >= maxParallel) {
        break;
      }
      if (candidates.due(c)) {
        candidates.launch(exp, ctx, stage, c, init, d.lagSteps);
        started.add(c.operator + (c.attempts > 1 ? " (attempt " + c.attempts + ")" : ""));
        running++;
      }
    }
    if (!started.isEmpty()) {
      events.record(
          exp,
          Reason.LagCandidatesStarted,
          "stage "
              + stage
              + ": "
              + String.join(", ", started)
              + " for "
              + d.lagSteps
              + " steps each from "
              + init
              + " (at most "
              + maxParallel
              + " at once)");
    }
    if (d.candidates.stream()
        .anyMatch(
            c ->
                AttemptPhase.PENDING.equals(c.phase)
                    || AttemptPhase.RUNNING.equals(c.phase)
                    || AttemptPhase.BACKING_OFF.equals(c.phase))) {
      return new Outcome.Waiting();
    }
    Map<String, Double> selection = new LinkedHashMap<>();
    for (LagCandidate c : d.candidates) {
      if (AttemptPhase.SUCCEEDED.equals(c.phase) && c.selectionLoss != null && c.manifest != null) {
        selection.put(c.operator, c.selectionLoss);
      }
    }
    Optional<String> best =
        LagPlan.choose(d.candidates.stream().map(c -> c.operator).toList(), selection);
    if (best.isEmpty()) {
      return new Outcome.Failed("every LAG candidate of stage " + stage + " failed");
    }
    d.chosen = best.get();
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
                            + (c.selectionLoss == null
                                ? c.phase
                                : String.format("%.4f", c.selectionLoss)))
                .collect(Collectors.joining(", "))
            + " -> "
            + d.chosen);
    ctx.store().commitLag(ctx.layout(), record(ctx, stage, d));
    return winner(d);
  }

  /** The decision as the store keeps it, beside the run's stages. */
  private static LagRecord record(ExperimentContext ctx, int stage, LagDecision d) {
    LagRecord.Builder r =
        LagRecord.newBuilder().setStage(stage).setLagSteps(d.lagSteps).setChosen(d.chosen);
    for (LagCandidate c : d.candidates) {
      LagProbe.Builder p =
          LagProbe.newBuilder()
              .setOperator(c.operator)
              .setUid(LagCandidates.uid(ctx, stage, c))
              .setSelectionLoss(c.selectionLoss == null ? Double.NaN : c.selectionLoss)
              .setValLoss(c.valLoss == null ? Double.NaN : c.valLoss)
              .setWallSeconds(c.wallSeconds == null ? 0 : c.wallSeconds)
              .setOutcome(AttemptPhase.SUCCEEDED.equals(c.phase) ? "done" : c.phase);
      if (c.manifest != null) {
        p.setManifest(c.manifest).setSteps(d.lagSteps);
      }
      if (c.operator.equals(d.chosen)) {
        r.setChosenManifest(c.manifest);
      }
      r.addCandidates(p);
    }
    return r.build();
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
    for (String op : LagPlan.candidates(ctx.spec(), stage)) {
      LagCandidate c = new LagCandidate();
      c.operator = op;
      c.phase = "Pending";
      d.candidates.add(c);
    }
    st.lag.add(d);
    return d;
  }
}
