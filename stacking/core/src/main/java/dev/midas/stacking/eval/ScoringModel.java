package dev.midas.stacking.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.midas.stacking.model.TokenLayout;

/**
 * What evaluation needs from a language model: next-token logits for a batch of token ids. The
 * transformer of {@code dev.midas.stacking.model} is one ({@link ModelScoring#of}); tests use small
 * hand-made ones.
 */
public interface ScoringModel {

  /** Logits [B, T, V] for int32 token ids [B, T]; the result lives in the input's manager. */
  NDArray logits(NDArray tokens);

  /**
   * Logits [B, T, V] of packed rows: each token at its layout position, attending only where the
   * layout allows (several continuations of one context in one row).
   */
  NDArray logits(NDArray tokens, TokenLayout layout);

  /** The longest sequence the model takes (its seq_len). */
  int maxTokens();

  /** A manager on the model's device under which per-call arrays are created and closed. */
  NDManager newScope();
}
