package dev.midas.stacking.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.midas.checkpoint.NamedTensors;
import dev.midas.checkpoint.Tensor;
import dev.midas.proto.ModelConfig;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class TransformerLMTest {

  static Stream<ModelConfig> variants() {
    ModelConfig base = TestingModels.tiny(2);
    return Stream.of(
        base,
        base.toBuilder().setNorm("rmsnorm").setActivation("relu").setPositions("rotary").build(),
        base.toBuilder().setTieEmbeddings(true).setPositions("rotary").build());
  }

  @ParameterizedTest
  @MethodSource("variants")
  void changingTokensAfterPositionNeverChangesEarlierLogits(ModelConfig config) {
    int t = config.getSeqLen();
    int v = config.getVocabSize();
    Random r = new Random(1);
    int[] a = r.ints(t, 0, v).toArray();
    try (TransformerLM model = TransformerLM.create(config, 11)) {
      float[] base = TestingModels.logits(model, new int[][] {a});
      for (int cut : new int[] {0, 5, t - 2}) {
        int[] b = a.clone();
        for (int i = cut + 1; i < t; i++) {
          b[i] = (a[i] + 1 + r.nextInt(v - 1)) % v;
        }
        float[] changed = TestingModels.logits(model, new int[][] {b});
        int upTo = (cut + 1) * v;
        assertThat(Arrays.copyOfRange(changed, 0, upTo))
            .as("logits at positions <= %d", cut)
            .containsExactly(Arrays.copyOfRange(base, 0, upTo));
        assertThat(Arrays.copyOfRange(changed, upTo, t * v))
            .as("later logits do see the change")
            .isNotEqualTo(Arrays.copyOfRange(base, upTo, t * v));
      }
    }
  }

  @ParameterizedTest
  @MethodSource("variants")
  void parametersConvertToNamedTensorsAndBackBitForBit(ModelConfig config) {
    NamedTensors init = ParameterInit.model(config, 5);
    try (TransformerLM model = TransformerLM.fromParams(config, init);
        TransformerLM again = TransformerLM.fromParams(config, model.toNamedTensors())) {
      assertThat(model.toNamedTensors()).isEqualTo(init);
      assertThat(again.toNamedTensors()).isEqualTo(init);
      assertThat(model.namedParameters().keySet())
          .containsExactlyElementsOf(
              ParameterLayout.shapes(ModelConfigs.normalize(config)).keySet());
      int[][] tokens = {{1, 2, 3, 4}, {5, 6, 7, 8}};
      assertThat(TestingModels.logits(again, tokens))
          .containsExactly(TestingModels.logits(model, tokens));
    }
  }

  @Test
  void layerByLayerPathGivesTheSameLogitsAsTheWholeModel() {
    try (TransformerLM model = TransformerLM.create(TestingModels.tiny(3), 9);
        NDManager scope = model.manager().newSubManager()) {
      NDArray tokens = scope.create(new int[] {3, 1, 4, 1, 5, 9}, new Shape(1, 6));
      NDArray h = model.embed(tokens);
      for (int i = 0; i < 3; i++) {
        h = model.applyLayer(i, h);
      }
      assertThat(model.head(h).toFloatArray()).containsExactly(model.logits(tokens).toFloatArray());
    }
  }

  @Test
  void namesFollowTheStableScheme() {
    ModelConfig c = TestingModels.tiny(2);
    try (TransformerLM model = TransformerLM.create(c, 1)) {
      assertThat(model.namedParameters().keySet())
          .contains(
              "embed.weight",
              "pos.weight",
              "layers.0.ln1.gamma",
              "layers.0.ln1.beta",
              "layers.1.attn.q.weight",
              "layers.1.attn.o.bias",
              "layers.1.mlp.fc1.weight",
              "layers.1.mlp.fc2.bias",
              "layers.1.ln2.gamma",
              "final_norm.beta",
              "head.weight")
          .hasSize(3 + 2 * 16 + 2);
    }
  }

  @Test
  void sameSeedGivesSameModelAndOtherSeedsDiffer() {
    ModelConfig c = TestingModels.tiny(1);
    assertThat(ParameterInit.model(c, 3)).isEqualTo(ParameterInit.model(c, 3));
    assertThat(ParameterInit.model(c, 3).get("layers.0.attn.q.weight"))
        .isNotEqualTo(ParameterInit.model(c, 4).get("layers.0.attn.q.weight"));
  }

  @Test
  void rejectsParametersOfTheWrongShapeNamingTheTensor() {
    ModelConfig c = TestingModels.tiny(1);
    NamedTensors p = ParameterInit.model(c, 1);
    p.put("layers.0.attn.q.weight", Tensor.zeros(8, 8));
    assertThatThrownBy(() -> TransformerLM.fromParams(c, p))
        .isInstanceOf(ModelConfigException.class)
        .hasMessageContaining("layers.0.attn.q.weight has shape [8, 8]");
  }

  @Test
  void rejectsInvalidConfigInItsOwnTerms() {
    assertThatThrownBy(
            () -> ModelConfigs.normalize(TestingModels.tiny(1).toBuilder().setNHeads(5).build()))
        .hasMessage("d_model 32 is not a multiple of n_heads 5");
  }
}
