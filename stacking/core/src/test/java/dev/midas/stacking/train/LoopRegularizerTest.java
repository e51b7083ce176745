package dev.midas.stacking.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import dev.midas.checkpoint.NamedTensors;
import dev.midas.proto.ModelConfig;
import dev.midas.stacking.model.ParameterInit;
import dev.midas.stacking.model.ParameterLayout;
import dev.midas.stacking.model.TestingModels;
import dev.midas.stacking.model.TransformerLM;
import org.junit.jupiter.api.Test;

class LoopRegularizerTest {
  static double penalty(NamedTensors params, int layers, int k, double weight) {
    ModelConfig c = TestingModels.tiny(layers);
    try (TransformerLM m = TransformerLM.fromParams(c, params);
        NDManager scope = m.manager().newSubManager()) {
      var p = LoopRegularizer.penalty(m.namedParameters(), layers, k, weight, scope);
      return p == null ? Double.NaN : p.getFloat();
    }
  }

  /** Layers 2 and 3 copies of layers 0 and 1: a model that loops a 2-layer block twice. */
  static NamedTensors repeated() {
    NamedTensors p = ParameterInit.model(TestingModels.tiny(4), 1);
    for (String name : p.names()) {
      int layer = ParameterLayout.layerOf(name);
      if (layer >= 2) {
        p.put(name, p.get(ParameterLayout.renameLayer(name, layer - 2)).copy());
      }
    }
    return p;
  }

  @Test
  void blocksThatRepeatEachOtherCostNothing() {
    assertThat(penalty(repeated(), 4, 2, 10)).isCloseTo(0, within(1e-5));
  }

  @Test
  void independentRandomBlocksCostAboutTheFullWeight() {
    // Independent random matrices are nearly orthogonal: 1 - cos is close to 1 for every pair.
    assertThat(penalty(ParameterInit.model(TestingModels.tiny(4), 2), 4, 2, 10))
        .isCloseTo(10, within(0.5));
  }

  @Test
  void withFewerThanTwoBlocksThereIsNothingToCompare() {
    assertThat(penalty(ParameterInit.model(TestingModels.tiny(3), 2), 3, 2, 10)).isNaN();
  }
}
