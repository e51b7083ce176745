package dev.midas.stacking.analysis;

import dev.midas.checkpoint.NamedTensors;
import dev.midas.checkpoint.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Block weight similarity (MIDAS.md section 6): for a parameter group G (attention Q, MLP fc1, ...)
 * the vector of block p is the concatenation of its layers' G weights, and {@code S_pq = cos(v_p,
 * v_q)}. MIDAS-grown models show a symmetric pattern with the middle blocks most alike; GradStack's
 * is lopsided.
 */
public final class BlockWeightSimilarity {
  /** The weight matrices of a layer, by their name after {@code layers.<i>.}. */
  public static final List<String> GROUPS =
      List.of(
          "attn.q.weight",
          "attn.k.weight",
          "attn.v.weight",
          "attn.o.weight",
          "mlp.fc1.weight",
          "mlp.fc2.weight");

  private BlockWeightSimilarity() {}

  /**
   * One matrix per group present in the parameters, keyed by group name, in {@link #GROUPS} order.
   */
  public static Map<String, SimilarityMatrix> compute(NamedTensors params, int blockSize) {
    int layers = layerCount(params);
    if (blockSize <= 0 || layers % blockSize != 0) {
      throw new IllegalArgumentException(
          "the model has " + layers + " layers, not a multiple of blockSize " + blockSize);
    }
    Map<String, SimilarityMatrix> out = new LinkedHashMap<>();
    for (String group : GROUPS) {
      if (params.contains("layers.0." + group)) {
        out.put(group, forGroup(params, group, blockSize, layers / blockSize));
      }
    }
    return out;
  }

  static SimilarityMatrix forGroup(NamedTensors params, String group, int blockSize, int blocks) {
    List<float[]> vectors = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    for (int p = 0; p < blocks; p++) {
      List<Tensor> parts = new ArrayList<>();
      for (int l = p * blockSize; l < (p + 1) * blockSize; l++) {
        parts.add(params.get("layers." + l + "." + group));
      }
      vectors.add(concat(parts));
      labels.add("B" + (p + 1));
    }
    double[][] s = new double[blocks][blocks];
    for (int p = 0; p < blocks; p++) {
      for (int q = p; q < blocks; q++) {
        s[p][q] = s[q][p] = Vectors.cosine(vectors.get(p), vectors.get(q));
      }
    }
    return new SimilarityMatrix(group, labels, s);
  }

  /** Number of transformer layers in a parameter set ({@code layers.<i>.*} names). */
  public static int layerCount(NamedTensors params) {
    int max = -1;
    for (String name : params.names()) {
      if (name.startsWith("layers.")) {
        int dot = name.indexOf('.', 7);
        max = Math.max(max, Integer.parseInt(name.substring(7, dot)));
      }
    }
    return max + 1;
  }

  private static float[] concat(List<Tensor> parts) {
    int n = parts.stream().mapToInt(Tensor::size).sum();
    float[] v = new float[n];
    int at = 0;
    for (Tensor t : parts) {
      System.arraycopy(t.data(), 0, v, at, t.size());
      at += t.size();
    }
    return v;
  }
}
