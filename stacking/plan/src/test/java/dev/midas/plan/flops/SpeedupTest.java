package dev.midas.plan.flops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.midas.plan.schedule.Schedules;
import dev.midas.plan.schedule.StageDepths;
import dev.midas.plan.schedule.StageSchedule;
import org.junit.jupiter.api.Test;

class SpeedupTest {
  private static final StepFlops LAYERS_ONLY = new StepFlops(1.0, 0.0);

  private static double speedup(int k, double alpha, long total, StepFlops flops) {
    StageSchedule s = new StageSchedule(Schedules.propAlphaSteps(total, k, alpha));
    return Speedup.theoretical(
        s, new StageDepths(4, 4 * k, StageDepths.Progression.ADD_BLOCK), flops);
  }

  @Test
  void propOneWithFourStagesSavesAThird() {
    assertThat(speedup(4, 1, 1000, LAYERS_ONLY)).isCloseTo(1.333, within(0.0005));
  }

  @Test
  void propOneWithSixStagesMatchesThePapersFortyPercent() {
    assertThat(speedup(6, 1, 2100, LAYERS_ONLY)).isCloseTo(1.385, within(0.0005));
  }

  @Test
  void propTwoWithSixStagesMatchesThePapersTwentyFourPercent() {
    assertThat(speedup(6, 2, 910, LAYERS_ONLY)).isCloseTo(1.238, within(0.0005));
  }

  @Test
  void exactSchedulesMatchTheClosedForms() {
    for (int k = 1; k <= 8; k++) {
      long propOneTotal = (long) k * (k + 1) / 2 * 10;
      long propTwoTotal = (long) k * (k + 1) * (2 * k + 1) / 6 * 10;
      assertThat(speedup(k, 1, propOneTotal, LAYERS_ONLY))
          .isCloseTo(propOneClosedForm(k), within(1e-12));
      assertThat(speedup(k, 2, propTwoTotal, LAYERS_ONLY))
          .isCloseTo(propTwoClosedForm(k), within(1e-12));
    }
    assertThat(propOneClosedForm(8)).isCloseTo(1.412, within(0.0005));
  }

  /** Prop-1 with c_0 = 0 and k stages of one block each: {@code 3k / (2k + 1)}. */
  private static double propOneClosedForm(int k) {
    return 3.0 * k / (2.0 * k + 1);
  }

  /** Prop-2 with c_0 = 0 and k stages of one block each: {@code 2(2k + 1) / (3(k + 1))}. */
  private static double propTwoClosedForm(int k) {
    return 2.0 * (2 * k + 1) / (3.0 * (k + 1));
  }

  @Test
  void depthIndependentCostShrinksTheSaving() {
    double without = speedup(6, 1, 2100, LAYERS_ONLY);
    double with = speedup(6, 1, 2100, new StepFlops(1.0, 3.0));

    assertThat(with).isLessThan(without).isGreaterThan(1.0);
  }

  @Test
  void baselineSavesNothing() {
    StageSchedule s = Schedules.baseline(500);
    StageDepths d = new StageDepths(24, 24, StageDepths.Progression.SINGLE);

    assertThat(Speedup.theoretical(s, d, new StepFlops(2.0, 5.0))).isEqualTo(1.0);
  }

  @Test
  void transformerEstimateCountsLayersAndHeadSeparately() {
    StepFlops f = StepFlops.transformer(128, 512, 64, 1000, 2);
    double tokens = 2 * 64;

    assertThat(f.perLayer())
        .isEqualTo(tokens * (6 * (4.0 * 128 * 128 + 2.0 * 128 * 512) + 12.0 * 128 * 64));
    assertThat(f.depthIndependent()).isEqualTo(tokens * 6.0 * 128 * 1000);
    assertThat(f.at(3)).isEqualTo(3 * f.perLayer() + f.depthIndependent());
  }
}
