package dev.midas.stacking.sampling;

import java.util.Arrays;
import java.util.Random;

/**
 * Picks the next token from one position's logits: argmax when greedy (the lowest id among equal
 * maxima), otherwise a draw from softmax(logits / T) over the top-k logits (ties at the k-th value
 * kept), computed in double precision. Draws come from one {@link Random} seeded once, whose
 * sequence Java specifies exactly, so a seed gives the same tokens on every machine.
 */
final class TokenSampler {
  private final SamplingOptions options;
  private final Random random;

  TokenSampler(SamplingOptions options) {
    this.options = options;
    this.random = new Random(options.seed());
  }

  int next(float[] logits) {
    if (options.isGreedy()) {
      return argmax(logits);
    }
    double threshold = Double.NEGATIVE_INFINITY;
    if (options.topK() > 0 && options.topK() < logits.length) {
      float[] sorted = logits.clone();
      Arrays.sort(sorted);
      threshold = sorted[sorted.length - options.topK()];
    }
    double max = logits[argmax(logits)];
    double[] weights = new double[logits.length];
    double total = 0;
    for (int i = 0; i < logits.length; i++) {
      if (logits[i] >= threshold) {
        weights[i] = Math.exp((logits[i] - max) / options.temperature());
        total += weights[i];
      }
    }
    double u = random.nextDouble() * total;
    int last = -1;
    for (int i = 0; i < weights.length; i++) {
      if (weights[i] > 0) {
        last = i;
        u -= weights[i];
        if (u < 0) {
          return i;
        }
      }
    }
    return last; // rounding left u at or just above 0: the last candidate
  }

  static int argmax(float[] logits) {
    int best = 0;
    for (int i = 1; i < logits.length; i++) {
      if (logits[i] > logits[best]) {
        best = i;
      }
    }
    return best;
  }
}
