package dev.midas.stacking.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SpearmanTest {
  @Test
  void sameOrderIsOneAndReversedIsMinusOneWhateverTheValues() {
    double[] end = {3.1, 2.0, 2.5, 4.0};

    assertThat(Spearman.of(new double[] {30, 1, 2, 1000}, end)).isCloseTo(1.0, within(1e-12));
    assertThat(Spearman.of(new double[] {-30, -1, -2, -1000}, end)).isCloseTo(-1.0, within(1e-12));
  }

  @Test
  void tiesShareTheirMeanRankAsTheTextbookFormulaSays() {
    assertThat(Spearman.ranks(new double[] {5, 1, 5, 2})).containsExactly(3.5, 1, 3.5, 2);
    // x = (1, 2, 3, 4, 5), y = (2, 1, 4, 3, 5): 1 - 6 * sum(d^2) / (n (n^2 - 1)) = 1 - 24/120.
    assertThat(Spearman.of(new double[] {1, 2, 3, 4, 5}, new double[] {2, 1, 4, 3, 5}))
        .isCloseTo(0.8, within(1e-12));
  }

  @Test
  void aConstantSampleOrFewerThanTwoValuesOrdersNothing() {
    assertThat(Spearman.of(new double[] {1, 1, 1}, new double[] {1, 2, 3})).isNaN();
    assertThat(Spearman.of(new double[] {1}, new double[] {2})).isNaN();
    assertThatThrownBy(() -> Spearman.of(new double[] {1, 2}, new double[] {1}))
        .hasMessageContaining("2 values against 1");
  }
}
