package dev.midas.stacking.analysis;

/**
 * Layer linearity (MIDAS.md section 6): how well a linear map predicts a layer's update {@code Y =
 * f_l(X) - X} (the residual excluded) from its input {@code X}. Fit by least squares on one token
 * split, scored on another: R^2 and the mean cosine between predicted and true update rows. First
 * and last layers come out most linear, the reason not to copy the last block.
 */
public final class LayerLinearity {

  /** The scores of one layer on held-out tokens. */
  public record Score(double r2, double meanCosine) {}

  private LayerLinearity() {}

  /**
   * @param fitInputs X on the fitting split [n][d]
   * @param fitUpdates f(X) - X on the fitting split [n][d]
   * @param testInputs X on the held-out split [m][d]
   * @param testUpdates f(X) - X on the held-out split [m][d]
   */
  public static Score score(
      float[][] fitInputs, float[][] fitUpdates, float[][] testInputs, float[][] testUpdates) {
    LeastSquares ls = LeastSquares.fit(fitInputs, fitUpdates);
    double[][] predicted = ls.predict(testInputs);
    int m = testUpdates.length;
    int k = testUpdates[0].length;
    double[] mean = new double[k];
    for (float[] row : testUpdates) {
      for (int j = 0; j < k; j++) {
        mean[j] += row[j];
      }
    }
    for (int j = 0; j < k; j++) {
      mean[j] /= m;
    }
    double ssRes = 0;
    double ssTot = 0;
    double cosSum = 0;
    double[] actual = new double[k];
    for (int r = 0; r < m; r++) {
      for (int j = 0; j < k; j++) {
        actual[j] = testUpdates[r][j];
        double e = actual[j] - predicted[r][j];
        double t = actual[j] - mean[j];
        ssRes += e * e;
        ssTot += t * t;
      }
      cosSum += Vectors.cosine(predicted[r], actual);
    }
    double r2 = ssTot == 0 ? (ssRes == 0 ? 1 : 0) : 1 - ssRes / ssTot;
    return new Score(r2, cosSum / m);
  }
}
