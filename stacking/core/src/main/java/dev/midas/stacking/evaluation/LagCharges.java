package dev.midas.stacking.evaluation;

import dev.midas.plan.flops.StepFlops;
import dev.midas.plan.spec.ResolvedSpec;
import dev.midas.proto.LagProbe;
import dev.midas.proto.LagRecord;
import java.util.Locale;

/**
 * What LAG's candidates at one growth point cost the method that used them: the wall clock of every
 * candidate's stage process, and the steps (and their FLOPs at the grown depth) of every candidate
 * but the winner, whose steps the stage keeps.
 */
final class LagCharges {
  private LagCharges() {}

  static long extraSteps(LagRecord r) {
    return r.getCandidatesList().stream()
        .filter(p -> !p.getOperator().equals(r.getChosen()))
        .mapToLong(LagProbe::getSteps)
        .sum();
  }

  static double extraFlops(ResolvedSpec spec, StepFlops flops, LagRecord r) {
    return extraSteps(r) * flops.at(spec.layersAt(r.getStage()));
  }

  static double wallSeconds(LagRecord r) {
    return r.getCandidatesList().stream().mapToDouble(LagProbe::getWallSeconds).sum();
  }

  /** One line for a report's header. */
  static String describe(ResolvedSpec spec, StepFlops flops, LagRecord r) {
    StringBuilder losses = new StringBuilder();
    for (LagProbe p : r.getCandidatesList()) {
      if (losses.length() > 0) {
        losses.append(", ");
      }
      losses.append(
          "done".equals(p.getOutcome())
              ? String.format(Locale.ROOT, "%s %.4f", p.getOperator(), p.getSelectionLoss())
              : p.getOperator() + " failed");
    }
    return String.format(
        Locale.ROOT,
        "LAG into stage %d: %s chosen among %d candidates after %d steps each (selection loss: %s);"
            + " charged %d extra steps (%.3e FLOPs) and %.1f s of candidate processes",
        r.getStage(),
        r.getChosen(),
        r.getCandidatesCount(),
        r.getLagSteps(),
        losses,
        extraSteps(r),
        extraFlops(spec, flops, r),
        wallSeconds(r));
  }
}
