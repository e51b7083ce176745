package dev.midas.stacking.growth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.midas.checkpoint.TrainState;
import dev.midas.proto.ModelConfig;
import dev.midas.stacking.model.TestingModels;
import dev.midas.stacking.model.TransformerLM;
import org.junit.jupiter.api.Test;

class ZeroGrowthFunctionTest {

  @Test
  void zeroGrowthComputesTheSameLogitsAsTheModelItGrewFrom() {
    for (ModelConfig c :
        new ModelConfig[] {
          TestingStates.config(4),
          TestingStates.config(4).toBuilder().setNorm("rmsnorm").setPositions("rotary").build()
        }) {
      TrainState old = TestingStates.trained(c);
      Grown g = Growth.grow(old, GrowthRequest.of(GrowthOperator.ZERO, 2));
      int[][] tokens = {{1, 5, 9, 2, 7, 7, 3, 0}, {4, 4, 8, 23, 11, 6, 1, 2}};
      try (TransformerLM before = TransformerLM.fromParams(old.model(), old.params());
          TransformerLM after = TransformerLM.fromParams(g.state().model(), g.state().params())) {
        float[] a = TestingModels.logits(before, tokens);
        float[] z = TestingModels.logits(after, tokens);
        assertThat(after.namedParameters()).hasSizeGreaterThan(before.namedParameters().size());
        for (int i = 0; i < a.length; i++) {
          assertThat(z[i]).isCloseTo(a[i], within(1e-5f));
        }
        Grown midas = Growth.grow(old, GrowthRequest.of(GrowthOperator.MIDAS, 2));
        try (TransformerLM copied =
            TransformerLM.fromParams(midas.state().model(), midas.state().params())) {
          assertThat(TestingModels.logits(copied, tokens))
              .as("a plain copy does change the function, so the check above has teeth")
              .isNotEqualTo(a);
        }
      }
    }
  }
}
