package dev.midas.stacking.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.midas.checkpoint.TrainState;
import dev.midas.stacking.data.DatasetException;
import dev.midas.stacking.data.TokenDataset;
import dev.midas.stacking.model.LanguageModelLoss;
import dev.midas.stacking.model.PyTorchRuntime;
import dev.midas.stacking.model.TransformerLM;

/**
 * Validation loss: mean next-token negative log-likelihood (nats per token) over the first {@code
 * maxBatches} batches of held-out windows, in index order, so every checkpoint of every run is
 * measured on the same tokens. The selection loss reads the windows after those.
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
    return loss(model, data, 0, batchSize, maxBatches);
  }

  /**
   * The loss on the selection windows: held-out windows after the {@code batchSize * maxBatches}
   * the validation loss reads, at most as many again. LAG chooses by it, so the choice never sees
   * the windows a report compares methods on.
   *
   * @throws DatasetException when the validation data holds no window beyond the reported ones
   */
  public static double selectionLoss(
      TrainState state, TokenDataset data, int batchSize, int maxBatches, int threads) {
    PyTorchRuntime.use(threads);
    long first = (long) batchSize * maxBatches;
    if (data.sequences() <= first) {
      throw new DatasetException(
          "the validation data holds "
              + data.sequences()
              + " windows and the reported validation loss reads the first "
              + first
              + "; LAG's selection needs windows beyond them (more validation data or fewer"
              + " evaluation.valBatches)");
    }
    try (TransformerLM model = TransformerLM.fromParams(state.model(), state.params())) {
      return loss(model, data, first, batchSize, maxBatches);
    }
  }

  private static double loss(
      TransformerLM model, TokenDataset data, long first, int batchSize, int maxBatches) {
    PyTorchRuntime.engine();
    int window = data.windowLength();
    long available = data.sequences();
    if (available == 0) {
      throw new IllegalArgumentException("validation data has no sequences");
    }
    double sum = 0;
    long count = 0;
    long next = first;
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
