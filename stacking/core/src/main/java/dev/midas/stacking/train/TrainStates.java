package dev.midas.stacking.train;

import dev.midas.checkpoint.NamedTensors;
import dev.midas.checkpoint.TrainState;
import dev.midas.proto.ModelConfig;
import dev.midas.proto.TrainPosition;
import dev.midas.stacking.model.ModelConfigs;
import dev.midas.stacking.model.ParameterInit;

/** Where a run starts: a seeded random model, no optimizer state, position zero. */
public final class TrainStates {
  private TrainStates() {}

  public static TrainState fresh(ModelConfig config, long seed) {
    ModelConfig c = ModelConfigs.normalize(config);
    return new TrainState(
        c,
        ParameterInit.model(c, seed),
        new NamedTensors(),
        new NamedTensors(),
        TrainPosition.getDefaultInstance());
  }
}
