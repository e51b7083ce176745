package dev.midas.stacking.evaluation;

import dev.midas.proto.ReasoningExample;
import dev.midas.stacking.data.TokenDataset;
import dev.midas.stacking.eval.FewShotEvaluator;
import dev.midas.stacking.eval.FineTuneEvaluator;
import dev.midas.stacking.eval.TextCodec;
import java.util.List;
import java.util.Map;

/**
 * What every checkpoint of every method is measured on, loaded once: the validation windows, the
 * dataset's tokenizer, the primitives by split (empty when there are none), and the protocols'
 * settings.
 */
public record EvaluationInputs(
    TokenDataset validation,
    int valBatchSize,
    int valBatches,
    TextCodec codec,
    Map<String, List<ReasoningExample>> primitives,
    FewShotEvaluator.Options fewShot,
    FineTuneEvaluator.Options fineTune,
    boolean runFineTune,
    int analysisTokens,
    long seed) {

  public List<ReasoningExample> split(String name) {
    return primitives.getOrDefault(name, List.of());
  }
}
