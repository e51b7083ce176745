package dev.midas.stacking.model;

import dev.midas.checkpoint.NamedTensors;
import dev.midas.proto.ModelConfig;

/**
 * The looped model written out: layer {@code i} of the unrolled model is a copy of stored layer
 * {@code i mod n_layers}, so it computes the same function with every layer named on its own. What
 * reads layers one by one (block weight similarity, export to architectures without sharing) reads
 * this.
 */
public final class LoopedModels {
  private LoopedModels() {}

  /** The config of the unrolled model: depth() layers, no loop. */
  public static ModelConfig unrolledConfig(ModelConfig c) {
    return c.toBuilder().setNLayers(ModelConfigs.depth(c)).setLoop(0).build();
  }

  /** The parameters of the unrolled model; a model that does not loop is returned as it is. */
  public static NamedTensors unroll(ModelConfig c, NamedTensors params) {
    if (c.getLoop() <= 1) {
      return params;
    }
    NamedTensors out = new NamedTensors();
    int stored = c.getNLayers();
    for (String name : ParameterLayout.shapes(ModelConfigs.normalize(unrolledConfig(c))).keySet()) {
      int j = ParameterLayout.layerOf(name);
      out.put(
          name,
          j < 0
              ? params.get(name).copy()
              : params.get(ParameterLayout.renameLayer(name, j % stored)).copy());
    }
    return out;
  }
}
