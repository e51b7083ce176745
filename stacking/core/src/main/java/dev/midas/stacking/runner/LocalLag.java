package dev.midas.stacking.runner;

import dev.midas.plan.exit.ExitClass;
import dev.midas.plan.lag.LagPlan;
import dev.midas.plan.layout.RunLayout;
import dev.midas.plan.spec.ExperimentSpec;
import dev.midas.plan.spec.ResolvedSpec;
import dev.midas.plan.spec.SpecLoader;
import dev.midas.proto.LagProbe;
import dev.midas.proto.LagRecord;
import dev.midas.proto.StageResult;
import dev.midas.run.RunReader;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * LAG at one growth point on this machine, by the rule the operator follows ({@link LagPlan}):
 * every candidate grows the previous stage's final checkpoint and trains the lag in a stage process
 * of its own, in a run folder of its own; the lowest selection loss wins, the decision is committed
 * to the run's folder, and the stage goes on from the winner's checkpoint. A rerun reads a
 * committed decision back and reuses candidates that already finished.
 */
final class LocalLag {
  private final RunReader runs;
  private final RunLayout layout;
  private final ResolvedSpec spec;
  private final ExperimentSpec frozen;

  LocalLag(RunReader runs, RunLayout layout, ResolvedSpec spec, ExperimentSpec frozen) {
    this.runs = runs;
    this.layout = layout;
    this.spec = spec;
    this.frozen = frozen;
  }

  /** A candidate's stage process: its run folder, its spec's location, the stage's arguments. */
  interface ProbeLauncher {
    StageProcess.Outcome launch(RunLayout probe, List<String> stageArgs) throws Exception;
  }

  /**
   * The decision at the growth into {@code stage}: read back, or made now.
   *
   * @param init the previous stage's final checkpoint, which every candidate grows
   * @return the decision; its {@code chosen} is empty when every candidate failed
   */
  LagRecord decide(int stage, String init, ProbeLauncher launcher, PrintStream out)
      throws Exception {
    Optional<LagRecord> done = runs.lag(layout, stage);
    if (done.isPresent()) {
      return done.get();
    }
    long steps = spec.growth().lag().orElseThrow().steps();
    List<String> candidates = LagPlan.candidates(spec, stage);
    out.printf(
        "LAG at stage %d: %d candidates (%s), %d steps each, from %s%n",
        stage, candidates.size(), String.join(", ", candidates), steps, init);
    LagRecord.Builder record = LagRecord.newBuilder().setStage(stage).setLagSteps(steps);
    Map<String, Double> selection = new LinkedHashMap<>();
    for (String c : candidates) {
      RunLayout probe = probeLayout(stage, c);
      freeze(probe, c);
      Optional<StageResult> r = runs.result(probe, stage).filter(LocalLag::finished);
      double seconds;
      if (r.isEmpty()) {
        StageProcess.Outcome o =
            launcher.launch(
                probe,
                List.of(
                    "--stage", Integer.toString(stage),
                    "--init", init,
                    "--lag-steps", Long.toString(steps)));
        r = o.result();
        seconds = r.map(StageResult::getWallSeconds).orElse(o.processSeconds());
      } else {
        seconds = r.get().getWallSeconds();
      }
      LagProbe p = probe(c, probe, r, seconds, stage);
      record.addCandidates(p);
      if ("done".equals(p.getOutcome())) {
        selection.put(c, p.getSelectionLoss());
      }
      out.printf(
          "  LAG candidate %s: %s, selection loss %.4f, %.1f s%n",
          c, p.getOutcome(), p.getSelectionLoss(), p.getWallSeconds());
    }
    LagPlan.choose(candidates, selection)
        .ifPresent(
            w ->
                record
                    .setChosen(w)
                    .setChosenManifest(
                        record.getCandidatesList().stream()
                            .filter(p -> p.getOperator().equals(w))
                            .findFirst()
                            .orElseThrow()
                            .getManifest()));
    if (record.getChosen().isEmpty()) {
      return record.build(); // not committed: a rerun tries again
    }
    out.printf("LAG at stage %d chose %s%n", stage, record.getChosen());
    return runs.commitLag(layout, record.build());
  }

  RunLayout probeLayout(int stage, String candidate) {
    return new RunLayout(layout.experiment(), layout.uid() + LagPlan.probeSuffix(stage, candidate));
  }

  private void freeze(RunLayout probe, String candidate) throws Exception {
    byte[] bytes =
        SpecLoader.toJson(LagPlan.probeSpec(frozen, candidate))
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    runs.objectStore().putIfAbsent(probe.specKey(), bytes);
  }

  private static boolean finished(StageResult r) {
    return ExitClass.of(r.getExitClass()) == ExitClass.DONE;
  }

  private LagProbe probe(
      String candidate, RunLayout probe, Optional<StageResult> r, double seconds, int stage) {
    LagProbe.Builder p =
        LagProbe.newBuilder()
            .setOperator(candidate)
            .setUid(probe.uid())
            .setWallSeconds(seconds)
            .setSelectionLoss(Double.NaN)
            .setValLoss(Double.NaN);
    if (r.isEmpty() || !finished(r.get())) {
      return p.setOutcome(r.map(StageResult::getMessage).orElse("no result")).build();
    }
    long start = spec.schedule().stages().globalStart(stage);
    return p.setOutcome("done")
        .setSelectionLoss(r.get().getSelectionLoss())
        .setValLoss(r.get().getValLoss())
        .setManifest(r.get().getFinalManifest())
        .setSteps(r.get().getGlobalStep() - start)
        .build();
  }
}
