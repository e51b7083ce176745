package dev.midas.stacking.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.midas.stacking.model.TokenLayout;
import java.util.HashMap;
import java.util.Map;

/**
 * A model whose next-token logits depend only on the current token, from a table, or on the current
 * and previous token where a trigram row is set: enough to know exactly what greedy decoding and
 * log-likelihood scoring must return. On packed rows the previous token is the one the layout lets
 * a token see at the position before its own, as the transformer would read it.
 */
final class TestingBigramModel implements ScoringModel {
  static final int VOCAB = 128;
  private final float[][] table = new float[VOCAB][VOCAB];
  private final Map<Integer, float[]> trigrams = new HashMap<>();
  private final int maxTokens;

  TestingBigramModel(int maxTokens) {
    this.maxTokens = maxTokens;
  }

  /** After {@code from}, {@code to} gets logit {@code logit} (all others 0). */
  TestingBigramModel prefer(char from, char to, float logit) {
    table[from][to] = logit;
    return this;
  }

  /** After {@code before} then {@code from}, {@code to} gets {@code logit} (all others 0). */
  TestingBigramModel prefer(char before, char from, char to, float logit) {
    trigrams.computeIfAbsent(before * VOCAB + from, k -> new float[VOCAB])[to] = logit;
    return this;
  }

  /** log softmax of the table row of {@code from} at {@code to}. */
  double logProb(char from, char to) {
    return logSoftmax(table[from], to);
  }

  /** log softmax of the row after {@code before, from} at {@code to}. */
  double logProb(char before, char from, char to) {
    return logSoftmax(row(before, from), to);
  }

  private static double logSoftmax(float[] row, int to) {
    double z = 0;
    for (float v : row) {
      z += Math.exp(v);
    }
    return row[to] - Math.log(z);
  }

  private float[] row(int before, int from) {
    float[] t = before < 0 ? null : trigrams.get(before * VOCAB + from);
    return t != null ? t : table[from];
  }

  @Override
  public NDArray logitsAt(NDArray tokens, NDArray at) {
    return rows(logits(tokens), at);
  }

  @Override
  public NDArray logitsAt(NDArray tokens, TokenLayout layout, NDArray at) {
    return rows(logits(tokens, layout), at);
  }

  /** Rows {@code at} of logits [B, T, V], as [N, V]. */
  private static NDArray rows(NDArray logits, NDArray at) {
    return logits.reshape(-1, VOCAB).get(at);
  }

  private NDArray logits(NDArray tokens) {
    Shape s = tokens.getShape();
    int b = (int) s.get(0);
    int t = (int) s.get(1);
    int[] ids = tokens.toIntArray();
    float[] out = new float[b * t * VOCAB];
    for (int i = 0; i < b * t; i++) {
      int before = i % t == 0 ? -1 : ids[i - 1];
      System.arraycopy(row(before, ids[i]), 0, out, i * VOCAB, VOCAB);
    }
    return tokens.getManager().create(out, new Shape(b, t, VOCAB));
  }

  private NDArray logits(NDArray tokens, TokenLayout layout) {
    Shape s = tokens.getShape();
    int b = (int) s.get(0);
    int t = (int) s.get(1);
    int[] ids = tokens.toIntArray();
    int[] pos = layout.positions().toIntArray();
    boolean[] allowed = layout.allowed().toBooleanArray();
    float[] out = new float[b * t * VOCAB];
    for (int r = 0; r < b; r++) {
      for (int i = 0; i < t; i++) {
        int before = -1;
        for (int j = 0; j < t; j++) {
          if (allowed[(r * t + i) * t + j] && pos[r * t + j] == pos[r * t + i] - 1) {
            before = ids[r * t + j];
          }
        }
        System.arraycopy(row(before, ids[r * t + i]), 0, out, (r * t + i) * VOCAB, VOCAB);
      }
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
