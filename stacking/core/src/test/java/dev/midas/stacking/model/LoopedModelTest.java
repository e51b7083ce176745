package dev.midas.stacking.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.midas.checkpoint.NamedTensors;
import dev.midas.proto.ModelConfig;
import org.junit.jupiter.api.Test;

class LoopedModelTest {
  @Test
  void aLoopedModelComputesItsUnrolledModelWithOneBlocksParameters() {
    ModelConfig looped = TestingModels.tiny(2).toBuilder().setLoop(3).build();
    NamedTensors params = ParameterInit.model(looped, 5);
    int[][] tokens = {{1, 2, 3, 4, 5}, {9, 8, 7, 6, 5}};

    try (TransformerLM loop = TransformerLM.fromParams(looped, params);
        TransformerLM unrolled =
            TransformerLM.fromParams(
                LoopedModels.unrolledConfig(looped), LoopedModels.unroll(looped, params))) {
      assertThat(loop.depth()).isEqualTo(6);
      assertThat(loop.namedParameters().keySet())
          .noneMatch(n -> n.startsWith("layers.2."))
          .anyMatch(n -> n.startsWith("layers.1."));
      assertThat(unrolled.namedParameters()).hasSize(loop.namedParameters().size() + 4 * 16);
      float[] a = TestingModels.logits(loop, tokens);
      float[] b = TestingModels.logits(unrolled, tokens);
      for (int i = 0; i < a.length; i++) {
        assertThat(a[i]).as("logit %d", i).isCloseTo(b[i], within(1e-5f));
      }
    }
  }

  @Test
  void aLoopedModelIsInitialisedForTheDepthItComputes() {
    ModelConfig looped = TestingModels.tiny(2).toBuilder().setLoop(4).build();

    assertThat(ParameterInit.initDepth(looped)).isEqualTo(8);
    assertThat(
            OutputInitScaleTest.std(ParameterInit.model(looped, 3).get("layers.0.attn.o.weight")))
        .isCloseTo(0.02 / Math.sqrt(16), within(5e-4));
  }
}
