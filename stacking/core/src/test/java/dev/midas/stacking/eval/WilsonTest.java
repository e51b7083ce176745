package dev.midas.stacking.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class WilsonTest {
  @Test
  void intervalMatchesTheWilsonScoreFormula() {
    double[] half = Wilson.interval95(0.5, 10);
    assertThat(half[0]).isCloseTo(0.2366, within(1e-4));
    assertThat(half[1]).isCloseTo(0.7634, within(1e-4));
  }

  @Test
  void noneRightStillLeavesRoomAboveZeroAndShrinksWithMoreInstances() {
    double[] ten = Wilson.interval95(0, 10);
    double[] hundred = Wilson.interval95(0, 100);
    assertThat(ten[0]).isZero();
    assertThat(ten[1]).isCloseTo(0.2775, within(1e-4));
    assertThat(hundred[1]).isCloseTo(0.0370, within(1e-4));
  }

  @Test
  void noInstancesGiveNoInterval() {
    assertThat(Wilson.interval95(Double.NaN, 0)).containsExactly(Double.NaN, Double.NaN);
  }
}
