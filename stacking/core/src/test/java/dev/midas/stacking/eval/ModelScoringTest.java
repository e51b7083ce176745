package dev.midas.stacking.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.midas.stacking.model.TestingModels;
import dev.midas.stacking.model.TransformerLM;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelScoringTest {
  static double logSoftmaxAt(float[] logits, int row, int vocab, int token) {
    double max = Double.NEGATIVE_INFINITY;
    for (int v = 0; v < vocab; v++) {
      max = Math.max(max, logits[row * vocab + v]);
    }
    double z = 0;
    for (int v = 0; v < vocab; v++) {
      z += Math.exp(logits[row * vocab + v] - max);
    }
    return logits[row * vocab + token] - max - Math.log(z);
  }

  @Test
  void transformerContinuationLikelihoodMatchesItsOwnLogits() {
    try (TransformerLM lm = TransformerLM.create(TestingModels.tiny(2), 11)) {
      int vocab = lm.config().getVocabSize();
      int[] context = {5, 9, 2, 7};
      int[] cont = {3, 4};
      float[] logits = TestingModels.logits(lm, new int[][] {{5, 9, 2, 7, 3, 4}});

      double[] ll = SequenceScoring.logLikelihoods(ModelScoring.of(lm), context, List.of(cont));

      double expected = logSoftmaxAt(logits, 3, vocab, 3) + logSoftmaxAt(logits, 4, vocab, 4);
      assertThat(ll[0]).isCloseTo(expected, within(1e-4));
    }
  }

  @Test
  void greedyTokenIsTheArgmaxOfTheLastPosition() {
    try (TransformerLM lm = TransformerLM.create(TestingModels.tiny(2), 12)) {
      int vocab = lm.config().getVocabSize();
      float[] logits = TestingModels.logits(lm, new int[][] {{1, 2, 3}});
      int best = 0;
      for (int v = 1; v < vocab; v++) {
        if (logits[2 * vocab + v] > logits[2 * vocab + best]) {
          best = v;
        }
      }

      int[] out = SequenceScoring.greedy(ModelScoring.of(lm), new int[] {1, 2, 3}, 1, id -> false);

      assertThat(out).containsExactly(best);
    }
  }
}
