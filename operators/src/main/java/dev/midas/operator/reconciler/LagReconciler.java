package dev.midas.operator.reconciler;

import dev.midas.operator.api.StackingExperiment;
import dev.midas.operator.api.status.ExperimentStatus;
import dev.midas.operator.api.status.LagCandidate;
import dev.midas.operator.api.status.LagDecision;
import dev.midas.operator.events.EventRecorder;
import dev.midas.operator.events.Reason;
import dev.midas.operator.launch.StageJobFactory;
import dev.midas.operator.launch.StageLauncher;
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
      if (LagCandidates.RUNNING.equals(c.phase)) {
        candidates.observe(exp, ctx, stage, c);
      }
    }
    long running = d.candidates.stream().filter(c -> LagCandidates.RUNNING.equals(c.phase)).count();
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
                LagCandidates.PENDING.equals(c.phase)
                    || LagCandidates.RUNNING.equals(c.phase)
                    || LagCandidates.BACKING_OFF.equals(c.phase))) {
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
      c.phase = "Pending";
      d.candidates.add(c);
    }
    st.lag.add(d);
    return d;
  }
}
