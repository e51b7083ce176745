package dev.midas.stacking.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class FunctionalSimilarityTest {
  @Test
  void layersWithTheSameUpdateAreSimilarAndOppositeOnesAreNot() {
    float[][] a = {{1, 0}, {0, 2}};
    float[][] same = {{3, 0}, {0, 1}};
    float[][] opposite = {{-1, 0}, {0, -5}};

    SimilarityMatrix s = FunctionalSimilarity.compute(List.of(a, same, opposite));

    assertThat(s.labels()).containsExactly("L0", "L1", "L2");
    assertThat(s.get(0, 1)).isCloseTo(1.0, within(1e-9));
    assertThat(s.get(0, 2)).isCloseTo(-1.0, within(1e-9));
    assertThat(s.get(2, 1)).isEqualTo(s.get(1, 2));
  }

  @Test
  void similarityIsTheMeanOverInputsOfPerInputCosines() {
    float[][] a = {{1, 0}, {1, 0}};
    float[][] b = {{1, 0}, {0, 1}};

    assertThat(FunctionalSimilarity.compute(List.of(a, b)).get(0, 1)).isCloseTo(0.5, within(1e-9));
  }
}
