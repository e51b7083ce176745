package dev.midas.stacking.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.midas.checkpoint.NamedTensors;
import dev.midas.proto.ModelConfig;
import dev.midas.stacking.model.ParameterInit;
import dev.midas.stacking.model.TestingModels;
import dev.midas.stacking.model.TransformerLM;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FunctionalAnalysisTest {
  static int[][] windows(int b, int t, int vocab, long seed) {
    Random rnd = new Random(seed);
    int[][] w = new int[b][t];
    for (int[] row : w) {
      for (int i = 0; i < t; i++) {
        row[i] = rnd.nextInt(vocab);
      }
    }
    return w;
  }

  @Test
  void residualStreamEndsWhereTheModelsLogitsComeFrom() {
    try (TransformerLM lm = TransformerLM.create(TestingModels.tiny(3), 21)) {
      int[][] tokens = windows(2, 8, lm.config().getVocabSize(), 1);
      float[] expected = TestingModels.logits(lm, tokens);

      try (NDManager scope = lm.manager().newSubManager()) {
        List<NDArray> stream =
            FunctionalAnalysis.residualStream(lm, FunctionalAnalysis.tokens(scope, tokens));
        float[] actual = lm.head(stream.get(stream.size() - 1)).toFloatArray();

        assertThat(stream).hasSize(4);
        assertThat(actual).containsExactly(expected, within(1e-4f));
      }
    }
  }

  @Test
  void copiedLayersActIdenticallyAndEveryLayerIsFullySimilarToItself() {
    ModelConfig c = TestingModels.tiny(3);
    NamedTensors p = ParameterInit.model(c, 22);
    // Layer 2 becomes an exact copy of layer 1, as growth makes it.
    for (String name : List.copyOf(p.names())) {
      if (name.startsWith("layers.1.")) {
        p.put("layers.2." + name.substring("layers.1.".length()), p.get(name).copy());
      }
    }
    try (TransformerLM lm = TransformerLM.fromParams(c, p)) {
      int v = c.getVocabSize();

      FunctionalAnalysis.Result r =
          FunctionalAnalysis.run(lm, windows(4, 16, v, 2), windows(4, 16, v, 3));

      SimilarityMatrix f = r.functional();
      assertThat(f.get(1, 2)).isCloseTo(1.0, within(1e-6));
      assertThat(f.get(0, 1)).isLessThan(0.99);
      for (int l = 0; l < 3; l++) {
        assertThat(f.get(l, l)).isCloseTo(1.0, within(1e-6));
      }
      assertThat(r.linearity()).hasSize(3);
      r.linearity().forEach(s -> assertThat(s.r2()).isBetween(-1.0, 1.0));
    }
  }
}
