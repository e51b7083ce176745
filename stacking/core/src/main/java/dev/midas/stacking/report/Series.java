package dev.midas.stacking.report;

import java.util.Arrays;

/** One named line of a plot: points (x[i], y[i]) in drawing order. */
public record Series(String name, double[] x, double[] y) {
  public Series {
    if (x.length != y.length) {
      throw new IllegalArgumentException(
          "series " + name + " has " + x.length + " x values but " + y.length + " y values");
    }
    x = x.clone();
    y = y.clone();
  }

  public int size() {
    return x.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Series s
        && name.equals(s.name)
        && Arrays.equals(x, s.x)
        && Arrays.equals(y, s.y);
  }

  @Override
  public int hashCode() {
    return 31 * name.hashCode() + Arrays.hashCode(x) + 7 * Arrays.hashCode(y);
  }
}
