package dev.midas.stacking.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * A model whose next-token logits depend only on the current token, from a table: enough to know
 * exactly what greedy decoding and log-likelihood scoring must return.
 */
final class TestingBigramModel implements ScoringModel {
  static final int VOCAB = 128;
  private final float[][] table = new float[VOCAB][VOCAB];
  private final int maxTokens;

  TestingBigramModel(int maxTokens) {
    this.maxTokens = maxTokens;
  }

  /** After {@code from}, {@code to} gets logit {@code logit} (all others 0). */
  TestingBigramModel prefer(char from, char to, float logit) {
    table[from][to] = logit;
    return this;
  }

  /** log softmax of the table row of {@code from} at {@code to}. */
  double logProb(char from, char to) {
    double z = 0;
    for (float v : table[from]) {
      z += Math.exp(v);
    }
    return table[from][to] - Math.log(z);
  }

  @Override
  public NDArray logits(NDArray tokens) {
    Shape s = tokens.getShape();
    int b = (int) s.get(0);
    int t = (int) s.get(1);
    int[] ids = tokens.toIntArray();
    float[] out = new float[b * t * VOCAB];
    for (int i = 0; i < b * t; i++) {
      System.arraycopy(table[ids[i]], 0, out, i * VOCAB, VOCAB);
    }
    return tokens.getManager().create(out, new Shape(b, t, VOCAB));
  }

  @Override
  public int maxTokens() {
    return maxTokens;
  }

  @Override
  public NDManager newScope() {
    return NDManager.newBaseManager("PyTorch");
  }
}
