package dev.midas.stacking.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.midas.checkpoint.TrainState;
import dev.midas.stacking.data.TokenDataset;
import dev.midas.stacking.model.LanguageModelLoss;
import dev.midas.stacking.model.PyTorchRuntime;
import dev.midas.stacking.model.TransformerLM;

/**
 * Validation loss: mean next-token negative log-likelihood (nats per token) over the first {@code
 * maxBatches} batches of held-out windows, in index order, so every checkpoint of every run is
 * measured on the same tokens.
 */
public final class Evaluator {
  private Evaluator() {}

  public static double validationLoss(
      TrainState state, TokenDataset data, int batchSize, int maxBatches, int threads) {
    PyTorchRuntime.use(threads);
    try (TransformerLM model = TransformerLM.fromParams(state.model(), state.params())) {
      return validationLoss(model, data, batchSize, maxBatches);
    }
  }

  public static double validationLoss(
      TransformerLM model, TokenDataset data, int batchSize, int maxBatches) {
    PyTorchRuntime.engine();
    int window = data.windowLength();
    long available = data.sequences();
    if (available == 0) {
      throw new IllegalArgumentException("validation data has no sequences");
    }
    double sum = 0;
    long count = 0;
    long next = 0;
    for (int batch = 0; batch < maxBatches && next < available; batch++) {
      int rows = (int) Math.min(batchSize, available - next);
      int[] tokens = new int[rows * window];
      for (int r = 0; r < rows; r++) {
        data.read(next++, tokens, r * window);
      }
      try (NDManager scope = model.manager().newSubManager()) {
        NDArray t = scope.create(tokens, new Shape(rows, window));
        NDArray inputs = t.get(new NDIndex(":, 0:" + (window - 1)));
        NDArray targets = t.get(new NDIndex(":, 1:"));
        NDArray logProbs = LanguageModelLoss.targetLogProbs(model.logits(inputs), targets);
        sum -= logProbs.sum().toType(DataType.FLOAT64, false).getDouble();
      }
      count += (long) rows * (window - 1);
    }
    return sum / count;
  }
}
