package dev.midas.stacking.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.midas.plan.flops.StepFlops;
import dev.midas.plan.spec.ResolvedSpec;
import dev.midas.plan.spec.SpecLoader;
import dev.midas.plan.spec.SpecValidator;
import dev.midas.proto.LagProbe;
import dev.midas.proto.LagRecord;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A run's cost at each checkpoint, LAG's candidates charged to the method that used them. */
class TimelineTest {
  static ResolvedSpec lagSpec() {
    return SpecValidator.resolve(
        SpecLoader.parse(
            """
            model: {vocabSize: 64, dModel: 16, heads: 2, targetLayers: 3, seqLen: 8}
            growth: {operator: lag, blockSize: 1, lag: {steps: 4}}
            schedule: {totalSteps: 60, batchSize: 4}
            """,
            "lag.yaml"),
        "lag");
  }

  static LagProbe probe(String operator, long steps, double wall) {
    return LagProbe.newBuilder()
        .setOperator(operator)
        .setSteps(steps)
        .setWallSeconds(wall)
        .setSelectionLoss(3.0)
        .setOutcome("done")
        .build();
  }

  static LagRecord intoStage2() {
    return LagRecord.newBuilder()
        .setStage(2)
        .setLagSteps(4)
        .setChosen("zero")
        .addCandidates(probe("midas", 4, 1.5))
        .addCandidates(probe("random", 4, 2.0))
        .addCandidates(probe("zero", 4, 2.5))
        .build();
  }

  @Test
  void lagsLosingCandidatesStepsAndEveryCandidatesWallClockAreChargedFromTheirStageOn() {
    ResolvedSpec spec = lagSpec();
    double[] walls = {10, 20, 30};
    double[] loops = {4, 8, 12};
    Timeline plain = new Timeline(spec, walls, loops, List.of());
    Timeline charged = new Timeline(spec, walls, loops, List.of(intoStage2()));
    StepFlops f = Timeline.flopsOf(spec);
    long s2 = spec.schedule().stages().steps(2);

    // Stage 1 is before the decision: nothing to charge yet.
    assertThat(charged.flopsAt(1, 3)).isEqualTo(plain.flopsAt(1, 3));
    assertThat(charged.wallAt(1, 3)).isEqualTo(plain.wallAt(1, 3));
    // The winner's 4 steps are the stage's own (it goes on from them); the two losers' 8 are extra,
    // at stage 2's depth of 2 layers.
    assertThat(charged.flopsAt(2, s2) - plain.flopsAt(2, s2))
        .isCloseTo(8 * f.at(2), within(1e-6 * f.at(2)));
    assertThat(charged.wallAt(2, 0) - plain.wallAt(2, 0)).isCloseTo(6.0, within(1e-9));
    assertThat(charged.wallAt(3, 5) - plain.wallAt(3, 5)).isCloseTo(6.0, within(1e-9));
    assertThat(plain.wallAt(3, spec.schedule().stages().steps(3))).isCloseTo(60, within(1e-9));
    // The training loop is charged the losers' 8 steps at stage 2's measured rate.
    assertThat(plain.loopThrough(3)).isCloseTo(24, within(1e-9));
    assertThat(charged.loopThrough(1)).isCloseTo(4, within(1e-9));
    assertThat(charged.loopThrough(3)).isCloseTo(24 + 8.0 * 8 / s2, within(1e-9));
  }

  @Test
  void theReportLineSaysWhatWasChosenAndWhatItCost() {
    ResolvedSpec spec = lagSpec();

    String line = LagCharges.describe(spec, Timeline.flopsOf(spec), intoStage2());

    assertThat(LagCharges.extraSteps(intoStage2())).isEqualTo(8);
    assertThat(line)
        .startsWith("LAG into stage 2: zero chosen among 3 candidates after 4 steps each")
        .contains("midas 3.0000, random 3.0000, zero 3.0000", "charged 8 extra steps", "6.0 s");
  }
}
