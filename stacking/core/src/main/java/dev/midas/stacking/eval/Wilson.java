package dev.midas.stacking.eval;

/**
 * The Wilson score interval of a binomial proportion: how far an accuracy measured on n instances
 * can be from the true one. Unlike the normal approximation it stays inside [0, 1] and is not
 * zero-width at 0 or 1 correct, which matters at the few dozen instances small runs score.
 */
public final class Wilson {
  /** The normal quantile of a two-sided 95% interval. */
  public static final double Z95 = 1.959963984540054;

  private Wilson() {}

  /** {low, high} of the 95% interval for accuracy {@code p} over {@code n} instances. */
  public static double[] interval95(double p, int n) {
    return interval(p, n, Z95);
  }

  /** {low, high} for accuracy {@code p} over {@code n} instances; {NaN, NaN} when n is 0. */
  public static double[] interval(double p, int n, double z) {
    if (n <= 0 || Double.isNaN(p)) {
      return new double[] {Double.NaN, Double.NaN};
    }
    double z2 = z * z;
    double centre = (p + z2 / (2.0 * n)) / (1 + z2 / n);
    double half = z / (1 + z2 / n) * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
    return new double[] {Math.max(0, centre - half), Math.min(1, centre + half)};
  }
}
