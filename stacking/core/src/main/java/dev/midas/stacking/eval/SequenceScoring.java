package dev.midas.stacking.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * The two ways a continuation is scored: greedy decoding (what the model would write) and the
 * log-likelihood of given continuations (which of the candidates it prefers). Contexts longer than
 * the model takes lose their oldest tokens.
 */
public final class SequenceScoring {
  private SequenceScoring() {}

  /**
   * Greedy continuation of {@code context}: at most {@code maxNew} tokens, stopping after a token
   * for which {@code stop} holds (that token included).
   */
  public static int[] greedy(ScoringModel model, int[] context, int maxNew, IntPredicate stop) {
    int keep = Math.max(1, model.maxTokens() - maxNew);
    int[] seq = tail(context, keep);
    int[] out = new int[maxNew];
    int n = 0;
    try (NDManager scope = model.newScope()) {
      for (; n < maxNew; n++) {
        NDArray tokens = scope.create(seq, new Shape(1, seq.length));
        NDArray last = model.logits(tokens).get(new NDIndex("0, -1"));
        int next = (int) last.argMax().toType(ai.djl.ndarray.types.DataType.INT64, false).getLong();
        out[n] = next;
        seq = Arrays.copyOf(seq, seq.length + 1);
        seq[seq.length - 1] = next;
        if (stop.test(next)) {
          n++;
          break;
        }
      }
    }
    return Arrays.copyOf(out, n);
  }

  /**
   * Sum of log p(continuation | context) for each continuation, scored together in one batch.
   * Context tokens are dropped from the front so that the longest continuation fits.
   */
  public static double[] logLikelihoods(
      ScoringModel model, int[] context, List<int[]> continuations) {
    int longest = continuations.stream().mapToInt(c -> c.length).max().orElse(0);
    if (longest == 0) {
      throw new IllegalArgumentException("no continuation to score");
    }
    if (longest >= model.maxTokens()) {
      throw new IllegalArgumentException(
          "a continuation of " + longest + " tokens does not fit seq_len " + model.maxTokens());
    }
    int[] ctx = tail(context, model.maxTokens() - longest);
    if (ctx.length == 0) {
      throw new IllegalArgumentException("scoring needs at least one context token");
    }
    int c = continuations.size();
    int t = ctx.length + longest;
    int[] batch = new int[c * t];
    int[] targets = new int[c * (t - 1)];
    for (int i = 0; i < c; i++) {
      System.arraycopy(ctx, 0, batch, i * t, ctx.length);
      int[] cont = continuations.get(i);
      System.arraycopy(cont, 0, batch, i * t + ctx.length, cont.length);
      // Padding stays id 0: causal attention never lets it reach the scored positions before it.
      for (int p = 0; p < t - 1; p++) {
        targets[i * (t - 1) + p] = batch[i * t + p + 1];
      }
    }
    float[] picked;
    try (NDManager scope = model.newScope()) {
      NDArray tokens = scope.create(batch, new Shape(c, t));
      NDArray logp = model.logits(tokens).get(new NDIndex(":, :-1, :")).logSoftmax(2);
      NDArray idx =
          scope
              .create(targets, new Shape(c, t - 1, 1))
              .toType(ai.djl.ndarray.types.DataType.INT64, false);
      picked =
          logp.gather(idx, 2).toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
    }
    double[] sums = new double[c];
    for (int i = 0; i < c; i++) {
      int len = continuations.get(i).length;
      // Continuation token k sits at position ctx.length + k, predicted from the position before.
      for (int k = 0; k < len; k++) {
        sums[i] += picked[i * (t - 1) + ctx.length + k - 1];
      }
    }
    return sums;
  }

  static int[] tail(int[] ids, int keep) {
    return ids.length <= keep ? ids : Arrays.copyOfRange(ids, ids.length - keep, ids.length);
  }
}
