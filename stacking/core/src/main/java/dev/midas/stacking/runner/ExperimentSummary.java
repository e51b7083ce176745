package dev.midas.stacking.runner;

import dev.midas.plan.spec.ResolvedSpec;
import dev.midas.proto.StageResult;
import dev.midas.run.RunReader;
import java.io.PrintStream;

/** The lines a local experiment prints: one per stage process, and a closing summary. */
final class ExperimentSummary {
  private ExperimentSummary() {}

  static void printStage(PrintStream out, ResolvedSpec spec, int stage, StageProcess.Outcome o) {
    if (o.result().isEmpty()) {
      out.printf(
          "  stage %d: exit %d after %.1f s, no result line%n",
          stage, o.exitCode(), o.processSeconds());
      return;
    }
    StageResult r = o.result().get();
    out.printf(
        "  stage %d: %s  %d layers  global step %d  train loss %.4f  val loss %.4f  %.1f s"
            + " (training loop %.1f s, process %.1f s)  %.0f tok/s%n",
        stage,
        dev.midas.plan.exit.ExitClass.of(r.getExitClass())
            .name()
            .toLowerCase(java.util.Locale.ROOT),
        spec.layersAt(stage),
        r.getGlobalStep(),
        r.getFinalTrainLoss(),
        r.getValLoss(),
        r.getWallSeconds(),
        RunReader.loopSeconds(r, (long) spec.schedule().batchSize() * spec.model().seqLen()),
        o.processSeconds(),
        r.getTokensPerSecond());
  }

  static void print(PrintStream out, ResolvedSpec spec, ExperimentRun run, double speedup) {
    double wall = run.stages().stream().mapToDouble(StageProcess.Outcome::processSeconds).sum();
    out.printf(
        "%s done: %d stage process(es) this run, %.1f s; theoretical FLOPs speedup over the"
            + " baseline %.3fx%n",
        spec.name(), run.stages().size(), wall, speedup);
  }
}
