package dev.midas.stacking.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LayerLinearityTest {
  static float[][] gaussian(int n, int d, Random rnd) {
    float[][] x = new float[n][d];
    for (float[] row : x) {
      for (int j = 0; j < d; j++) {
        row[j] = (float) rnd.nextGaussian();
      }
    }
    return x;
  }

  static float[][] linearMap(float[][] x, float[][] a, float bias) {
    int d = a[0].length;
    float[][] y = new float[x.length][d];
    for (int r = 0; r < x.length; r++) {
      for (int j = 0; j < d; j++) {
        float s = bias;
        for (int i = 0; i < x[r].length; i++) {
          s += x[r][i] * a[i][j];
        }
        y[r][j] = s;
      }
    }
    return y;
  }

  @Test
  void affineLayerIsPerfectlyLinearOnHeldOutTokens() {
    Random rnd = new Random(7);
    float[][] a = gaussian(6, 6, rnd);
    float[][] fitX = gaussian(200, 6, rnd);
    float[][] testX = gaussian(100, 6, rnd);

    LayerLinearity.Score s =
        LayerLinearity.score(fitX, linearMap(fitX, a, 0.5f), testX, linearMap(testX, a, 0.5f));

    assertThat(s.r2()).isCloseTo(1.0, within(1e-6));
    assertThat(s.meanCosine()).isCloseTo(1.0, within(1e-6));
  }

  @Test
  void evenFunctionIsNotLinearAtAll() {
    // y = x^2 - 1 per coordinate: uncorrelated with x under a symmetric input distribution.
    Random rnd = new Random(8);
    float[][] fitX = gaussian(2000, 4, rnd);
    float[][] testX = gaussian(2000, 4, rnd);

    LayerLinearity.Score s = LayerLinearity.score(fitX, square(fitX), testX, square(testX));

    assertThat(s.r2()).isLessThan(0.05);
    assertThat(s.meanCosine()).isLessThan(0.2);
  }

  static float[][] square(float[][] x) {
    float[][] y = new float[x.length][x[0].length];
    for (int r = 0; r < x.length; r++) {
      for (int j = 0; j < x[r].length; j++) {
        y[r][j] = x[r][j] * x[r][j] - 1;
      }
    }
    return y;
  }
}
