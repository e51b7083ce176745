package dev.midas.stacking.analysis;

/**
 * Multi-output linear least squares with an intercept, {@code Y ~ X W + b}, solved through the
 * normal equations with a vanishing ridge (Cholesky). Small dense problems only: d up to a few
 * hundred, which is every model the analysis looks at.
 */
final class LeastSquares {
  private final double[][] weights; // [d + 1][k], last row is the intercept
  private final int inputs;

  private LeastSquares(double[][] weights, int inputs) {
    this.weights = weights;
    this.inputs = inputs;
  }

  /** Fits on rows of x [n][d] and y [n][k]. */
  static LeastSquares fit(float[][] x, float[][] y) {
    int n = x.length;
    if (n == 0 || n != y.length) {
      throw new IllegalArgumentException("x has " + n + " rows, y has " + y.length);
    }
    int d = x[0].length;
    int k = y[0].length;
    int m = d + 1;
    double[][] xtx = new double[m][m];
    double[][] xty = new double[m][k];
    double[] row = new double[m];
    for (int r = 0; r < n; r++) {
      for (int i = 0; i < d; i++) {
        row[i] = x[r][i];
      }
      row[d] = 1;
      for (int i = 0; i < m; i++) {
        double ri = row[i];
        if (ri == 0) {
          continue;
        }
        for (int j = i; j < m; j++) {
          xtx[i][j] += ri * row[j];
        }
        for (int j = 0; j < k; j++) {
          xty[i][j] += ri * y[r][j];
        }
      }
    }
    double trace = 0;
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < i; j++) {
        xtx[i][j] = xtx[j][i];
      }
      trace += xtx[i][i];
    }
    // Keeps the system positive definite when n < d or inputs are collinear; negligible otherwise.
    double ridge = 1e-8 * Math.max(trace / m, 1e-12);
    for (int i = 0; i < m; i++) {
      xtx[i][i] += ridge;
    }
    return new LeastSquares(solve(cholesky(xtx), xty), d);
  }

  /** Predictions for rows of x. */
  double[][] predict(float[][] x) {
    int k = weights[0].length;
    double[][] out = new double[x.length][k];
    for (int r = 0; r < x.length; r++) {
      double[] o = out[r];
      System.arraycopy(weights[inputs], 0, o, 0, k);
      for (int i = 0; i < inputs; i++) {
        double xi = x[r][i];
        double[] w = weights[i];
        for (int j = 0; j < k; j++) {
          o[j] += xi * w[j];
        }
      }
    }
    return out;
  }

  /** Lower-triangular L with A = L L^T. */
  private static double[][] cholesky(double[][] a) {
    int m = a.length;
    double[][] l = new double[m][m];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j <= i; j++) {
        double s = a[i][j];
        for (int p = 0; p < j; p++) {
          s -= l[i][p] * l[j][p];
        }
        if (i == j) {
          if (s <= 0) {
            throw new ArithmeticException("normal equations are not positive definite");
          }
          l[i][i] = Math.sqrt(s);
        } else {
          l[i][j] = s / l[j][j];
        }
      }
    }
    return l;
  }

  /** Solves L L^T W = B column by column. */
  private static double[][] solve(double[][] l, double[][] b) {
    int m = l.length;
    int k = b[0].length;
    double[][] w = new double[m][k];
    double[] z = new double[m];
    for (int c = 0; c < k; c++) {
      for (int i = 0; i < m; i++) {
        double s = b[i][c];
        for (int p = 0; p < i; p++) {
          s -= l[i][p] * z[p];
        }
        z[i] = s / l[i][i];
      }
      for (int i = m - 1; i >= 0; i--) {
        double s = z[i];
        for (int p = i + 1; p < m; p++) {
          s -= l[p][i] * w[p][c];
        }
        w[i][c] = s / l[i][i];
      }
    }
    return w;
  }
}
