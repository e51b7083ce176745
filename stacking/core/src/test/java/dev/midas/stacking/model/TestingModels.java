package dev.midas.stacking.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.midas.proto.ModelConfig;

/** Smoke-sized model configs and a helper to run them on plain Java token arrays. */
public final class TestingModels {
  private TestingModels() {}

  public static ModelConfig tiny(int layers) {
    return ModelConfig.newBuilder()
        .setVocabSize(48)
        .setDModel(32)
        .setNHeads(4)
        .setDFf(64)
        .setNLayers(layers)
        .setSeqLen(16)
        .build();
  }

  /** Logits [B][T * V] of a model for token rows (equal lengths). */
  public static float[] logits(TransformerLM model, int[][] tokens) {
    try (NDManager scope = model.manager().newSubManager()) {
      int b = tokens.length;
      int t = tokens[0].length;
      int[] flat = new int[b * t];
      for (int i = 0; i < b; i++) {
        System.arraycopy(tokens[i], 0, flat, i * t, t);
      }
      NDArray in = scope.create(flat, new Shape(b, t));
      return model.logits(in).toFloatArray();
    }
  }
}
