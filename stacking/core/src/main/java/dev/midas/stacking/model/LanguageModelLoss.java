package dev.midas.stacking.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** Next-token cross-entropy, in nats: log-softmax over the vocabulary, pick the target's entry. */
public final class LanguageModelLoss {
  private LanguageModelLoss() {}

  /** Log-probability of each target [B, T] under logits [B, T, V]. */
  public static NDArray targetLogProbs(NDArray logits, NDArray targets) {
    NDArray index = targets.toType(DataType.INT64, false).expandDims(-1);
    return logits.logSoftmax(-1).gather(index, -1).squeeze(-1);
  }

  /** Mean negative log-likelihood over every position: the training loss (a scalar). */
  public static NDArray mean(NDArray logits, NDArray targets) {
    return targetLogProbs(logits, targets).mean().neg();
  }
}
