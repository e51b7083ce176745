package dev.midas.stacking.analysis;

import java.util.ArrayList;
import java.util.List;

/**
 * Functional similarity (MIDAS.md section 6): {@code sim(l, l') = mean_x cos(f_l(x) - x, f_l'(x) -
 * x)}, each layer applied to the same inputs. Layers whose updates point the same way act alike,
 * whatever their weights.
 */
public final class FunctionalSimilarity {
  private FunctionalSimilarity() {}

  /**
   * @param updates per layer l, the rows {@code f_l(x) - x} for the same inputs x in the same order
   *     ([layers][n][d])
   */
  public static SimilarityMatrix compute(List<float[][]> updates) {
    int layers = updates.size();
    if (layers == 0) {
      throw new IllegalArgumentException("no layers to compare");
    }
    int n = updates.get(0).length;
    for (float[][] u : updates) {
      if (u.length != n) {
        throw new IllegalArgumentException("every layer must see the same " + n + " inputs");
      }
    }
    double[][] s = new double[layers][layers];
    for (int a = 0; a < layers; a++) {
      for (int b = a; b < layers; b++) {
        double sum = 0;
        for (int r = 0; r < n; r++) {
          sum += Vectors.cosine(updates.get(a)[r], updates.get(b)[r]);
        }
        s[a][b] = s[b][a] = sum / n;
      }
    }
    List<String> labels = new ArrayList<>();
    for (int l = 0; l < layers; l++) {
      labels.add("L" + l);
    }
    return new SimilarityMatrix("functional", labels, s);
  }
}
