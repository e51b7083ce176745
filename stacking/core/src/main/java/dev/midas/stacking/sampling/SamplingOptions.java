package dev.midas.stacking.sampling;

/**
 * How to continue a prompt: at most {@code maxTokens} new tokens; temperature 0 is greedy (the most
 * likely token each step), above 0 samples from softmax(logits / temperature), restricted to the
 * {@code topK} most likely tokens when topK is positive; every draw comes from {@code seed}.
 */
public record SamplingOptions(int maxTokens, double temperature, int topK, long seed) {

  public SamplingOptions {
    if (maxTokens <= 0) {
      throw new IllegalArgumentException("max tokens must be positive, got " + maxTokens);
    }
    if (!(temperature >= 0) || Double.isInfinite(temperature)) {
      throw new IllegalArgumentException(
          "temperature must be 0 (greedy) or positive, got " + temperature);
    }
    if (topK < 0) {
      throw new IllegalArgumentException("top-k must be 0 (all tokens) or positive, got " + topK);
    }
  }

  public static SamplingOptions greedy(int maxTokens) {
    return new SamplingOptions(maxTokens, 0, 0, 0);
  }

  public boolean isGreedy() {
    return temperature == 0;
  }
}
