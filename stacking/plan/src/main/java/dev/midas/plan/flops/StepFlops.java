package dev.midas.plan.flops;

/**
 * Training FLOPs of one optimizer step, split as MIDAS.md section 3 does: {@code perLayer} (c_l)
 * for each transformer layer and {@code depthIndependent} (c_0) for what does not grow with depth
 * (embeddings, final norm, LM head).
 */
public record StepFlops(double perLayer, double depthIndependent) {

  public StepFlops {
    if (!(perLayer > 0) || !(depthIndependent >= 0)) {
      throw new IllegalArgumentException(
          "per-layer FLOPs must be > 0 and depth-independent FLOPs >= 0; got "
              + perLayer
              + ", "
              + depthIndependent);
    }
  }

  /** FLOPs of one step of a model with {@code layers} layers. */
  public double at(int layers) {
    return layers * perLayer + depthIndependent;
  }

  /**
   * The usual dense-transformer estimate (Kaplan 2020, PaLM appendix B), forward plus backward = 3x
   * forward, one multiply-add = 2 FLOPs. Per token and layer: 6 * (4 d^2 + 2 d f) for the attention
   * projections and MLP, plus 12 * d * seqLen for attention scores and values (the causal mask's
   * savings ignored, as PaLM does). Per token, depth-independent: 6 * d * vocab for the LM head;
   * the embedding lookup is free. Norms and biases are ignored.
   */
  public static StepFlops transformer(
      int dModel, int ffn, int seqLen, int vocabSize, int batchSize) {
    double tokens = (double) batchSize * seqLen;
    double d = dModel;
    double perLayerPerToken = 6 * (4 * d * d + 2 * d * ffn) + 12 * d * seqLen;
    double headPerToken = 6 * d * vocabSize;
    return new StepFlops(tokens * perLayerPerToken, tokens * headPerToken);
  }
}
