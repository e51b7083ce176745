package dev.midas.stacking.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.midas.stacking.model.TokenLayout;

/**
 * What evaluation needs from a language model: next-token logits at chosen positions of a batch of
 * token ids. The transformer of {@code dev.midas.stacking.model} is one ({@link ModelScoring#of});
 * tests use small hand-made ones.
 */
public interface ScoringModel {

  /**
   * Logits [N, V] at N positions of a batch of causal rows of int32 token ids [B, T]: {@code at}
   * holds int64 indices {@code b * T + t}. Evaluation reads only the positions it scores, so the
   * head (the vocabulary-sized product) runs on those alone. The result lives in the input's
   * manager.
   */
  NDArray logitsAt(NDArray tokens, NDArray at);

  /**
   * Logits [N, V] at N positions (as above) of packed rows: each token at its layout position,
   * attending only where the layout allows (several continuations of one context in one row).
   */
  NDArray logitsAt(NDArray tokens, TokenLayout layout, NDArray at);

  /** The longest sequence the model takes (its seq_len). */
  int maxTokens();

  /** A manager on the model's device under which per-call arrays are created and closed. */
  NDManager newScope();
}
