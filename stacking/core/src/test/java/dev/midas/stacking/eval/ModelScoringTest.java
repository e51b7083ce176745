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

  /** Sum of the continuation's log-probabilities, each from the logits of ctx + cont alone. */
  static double referenceLogLikelihood(TransformerLM lm, int[] ctx, int[] cont) {
    int vocab = lm.config().getVocabSize();
    int[] seq = java.util.Arrays.copyOf(ctx, ctx.length + cont.length);
    System.arraycopy(cont, 0, seq, ctx.length, cont.length);
    float[] logits = TestingModels.logits(lm, new int[][] {seq});
    double sum = 0;
    for (int k = 0; k < cont.length; k++) {
      sum += logSoftmaxAt(logits, ctx.length + k - 1, vocab, cont[k]);
    }
    return sum;
  }

  @Test
  void queriesScoredTogetherGetWhatEachGetsAlone() {
    try (TransformerLM lm = TransformerLM.create(TestingModels.tiny(2), 13)) {
      ScoringModel m = ModelScoring.of(lm);
      // Contexts of different lengths (padding), candidates sharing prefixes (shared rows).
      List<SequenceScoring.Query> queries =
          List.of(
              new SequenceScoring.Query(
                  new int[] {5, 9, 2, 7},
                  List.of(new int[] {3}, new int[] {4}, new int[] {3, 4}, new int[] {3, 5, 1})),
              new SequenceScoring.Query(
                  new int[] {1}, List.of(new int[] {2, 5}, new int[] {2, 6}, new int[] {7})),
              new SequenceScoring.Query(
                  new int[] {3, 3, 8, 1, 4, 6, 2, 11, 12}, List.of(new int[] {9})));

      List<double[]> together = SequenceScoring.logLikelihoods(m, queries);

      for (int q = 0; q < queries.size(); q++) {
        List<int[]> conts = queries.get(q).continuations();
        assertThat(together.get(q)).hasSize(conts.size());
        for (int c = 0; c < conts.size(); c++) {
          assertThat(together.get(q)[c])
              .as("query %d continuation %d", q, c)
              .isCloseTo(
                  referenceLogLikelihood(lm, queries.get(q).context(), conts.get(c)), within(1e-4));
        }
      }
    }
  }

  @Test
  void contextsDecodedTogetherGetWhatEachGetsAlone() {
    try (TransformerLM lm = TransformerLM.create(TestingModels.tiny(2), 14)) {
      ScoringModel m = ModelScoring.of(lm);
      List<int[]> contexts =
          List.of(new int[] {1, 2, 3}, new int[] {7}, new int[] {4, 4, 9, 30, 2, 2, 17, 5});
      // Stops after token 0 (or any token below 8), so rows finish at different steps.
      java.util.function.IntPredicate stop = id -> id < 8;

      List<int[]> together =
          SequenceScoring.greedy(m, contexts, 5, (row, ids) -> stop.test(ids[ids.length - 1]));

      for (int i = 0; i < contexts.size(); i++) {
        assertThat(together.get(i))
            .as("context %d", i)
            .containsExactly(SequenceScoring.greedy(m, contexts.get(i), 5, stop));
      }
    }
  }

  @Test
  void packedCandidatesScoreAsAloneWithRotaryPositionsToo() {
    var config = TestingModels.tiny(2).toBuilder().setPositions("rotary").build();
    try (TransformerLM lm = TransformerLM.create(config, 15)) {
      int[] ctx = {5, 9, 2, 7, 1};
      List<int[]> conts = List.of(new int[] {3, 4}, new int[] {3, 6, 2}, new int[] {8, 1});

      double[] ll = SequenceScoring.logLikelihoods(ModelScoring.of(lm), ctx, conts);

      for (int c = 0; c < conts.size(); c++) {
        assertThat(ll[c])
            .as("continuation %d", c)
            .isCloseTo(referenceLogLikelihood(lm, ctx, conts.get(c)), within(1e-4));
      }
    }
  }

  @Test
  void greedyReadOffTheCandidateTrieIsPlainGreedyDecoding() {
    try (TransformerLM lm = TransformerLM.create(TestingModels.tiny(2), 16)) {
      ScoringModel m = ModelScoring.of(lm);
      List<int[]> contexts = List.of(new int[] {1, 2, 3}, new int[] {7, 7}, new int[] {4, 9, 30});
      List<SequenceScoring.Query> queries = new java.util.ArrayList<>();
      List<int[]> plain = new java.util.ArrayList<>();
      for (int[] ctx : contexts) {
        int[] g = SequenceScoring.greedy(m, ctx, 5, id -> false);
        plain.add(g);
        // Candidates along the greedy path for two tokens, then off it: the walk follows the trie,
        // then decodes on its own.
        queries.add(
            new SequenceScoring.Query(
                ctx,
                List.of(new int[] {g[0], g[1], (g[2] + 1) % 48}, new int[] {(g[0] + 1) % 48})));
      }

      List<SequenceScoring.Scored> scored = SequenceScoring.score(m, queries, 5, (r, ids) -> false);

      for (int i = 0; i < contexts.size(); i++) {
        assertThat(scored.get(i).greedy()).as("context %d", i).containsExactly(plain.get(i));
      }
    }
  }
}
