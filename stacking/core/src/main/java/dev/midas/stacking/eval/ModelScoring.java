package dev.midas.stacking.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.midas.stacking.model.TokenLayout;
import dev.midas.stacking.model.TransformerLM;

/** The transformer as a {@link ScoringModel}: per-call arrays live in a sub-manager of its own. */
public final class ModelScoring implements ScoringModel {
  private final TransformerLM model;

  private ModelScoring(TransformerLM model) {
    this.model = model;
  }

  public static ScoringModel of(TransformerLM model) {
    return new ModelScoring(model);
  }

  @Override
  public NDArray logits(NDArray tokens) {
    return model.logits(tokens);
  }

  @Override
  public NDArray logits(NDArray tokens, TokenLayout layout) {
    return model.logits(tokens, layout);
  }

  @Override
  public int maxTokens() {
    return model.config().getSeqLen();
  }

  @Override
  public NDManager newScope() {
    return model.manager().newSubManager();
  }
}
