package dev.midas.stacking.report;

import java.util.List;

/** A square matrix to draw as a heatmap, e.g. block-by-block cosine similarity of one model. */
public record Heatmap(String name, List<String> labels, double[][] values) {
  public Heatmap {
    if (values.length != labels.size()) {
      throw new IllegalArgumentException(
          "heatmap " + name + " has " + labels.size() + " labels but " + values.length + " rows");
    }
    for (double[] row : values) {
      if (row.length != values.length) {
        throw new IllegalArgumentException("heatmap " + name + " is not square");
      }
    }
    labels = List.copyOf(labels);
  }
}
