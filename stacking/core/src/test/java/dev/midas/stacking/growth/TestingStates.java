package dev.midas.stacking.growth;

import dev.midas.checkpoint.NamedTensors;
import dev.midas.checkpoint.TrainState;
import dev.midas.proto.ModelConfig;
import dev.midas.proto.TrainPosition;
import dev.midas.stacking.model.ParameterInit;

/** Train states with distinct, recognisable parameters and moments (no training needed). */
final class TestingStates {
  private TestingStates() {}

  static ModelConfig config(int layers) {
    return ModelConfig.newBuilder()
        .setVocabSize(24)
        .setDModel(16)
        .setNHeads(2)
        .setDFf(32)
        .setNLayers(layers)
        .setSeqLen(8)
        .build();
  }

  /** Params, m and v each drawn from their own seed, as after 100 steps (40 in this stage). */
  static TrainState trained(ModelConfig c) {
    NamedTensors p = ParameterInit.model(c, 1);
    NamedTensors m = ParameterInit.model(c, 2);
    NamedTensors v = ParameterInit.model(c, 3);
    TrainPosition pos =
        TrainPosition.newBuilder()
            .setGlobalStep(100)
            .setOptimizerStep(100)
            .setStageStep(40)
            .setDataCursor(7)
            .setTokensSeen(12800)
            .build();
    return new TrainState(c, p, m, v, pos);
  }
}
