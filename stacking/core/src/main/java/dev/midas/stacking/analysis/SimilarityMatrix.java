package dev.midas.stacking.analysis;

import java.util.Arrays;
import java.util.List;

/**
 * A square matrix of cosine similarities between labelled items (blocks or layers), e.g. {@code
 * S_pq = cos(v_p, v_q)} of MIDAS.md section 6.
 */
public record SimilarityMatrix(String name, List<String> labels, double[][] values) {
  public SimilarityMatrix {
    labels = List.copyOf(labels);
    if (values.length != labels.size()) {
      throw new IllegalArgumentException(
          name + ": " + labels.size() + " labels but " + values.length + " rows");
    }
    double[][] copy = new double[values.length][];
    for (int i = 0; i < values.length; i++) {
      if (values[i].length != values.length) {
        throw new IllegalArgumentException(name + " is not square");
      }
      copy[i] = values[i].clone();
    }
    values = copy;
  }

  public int size() {
    return labels.size();
  }

  public double get(int p, int q) {
    return values[p][q];
  }

  /** A defensive copy of the rows. */
  @Override
  public double[][] values() {
    double[][] copy = new double[values.length][];
    for (int i = 0; i < values.length; i++) {
      copy[i] = values[i].clone();
    }
    return copy;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SimilarityMatrix m
        && name.equals(m.name)
        && labels.equals(m.labels)
        && Arrays.deepEquals(values, m.values);
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Arrays.deepHashCode(values);
  }
}
