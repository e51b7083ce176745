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
  public NDArray logitsAt(NDArray tokens, NDArray at) {
    return model.headAt(model.hidden(tokens), at);
  }

  @Override
  public NDArray logitsAt(NDArray tokens, TokenLayout layout, NDArray at) {
    return model.headAt(model.hidden(tokens, layout), at);
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
