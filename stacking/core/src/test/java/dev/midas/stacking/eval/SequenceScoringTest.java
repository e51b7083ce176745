package dev.midas.stacking.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class SequenceScoringTest {
  final TestingCharCodec codec = new TestingCharCodec();

  @Test
  void logLikelihoodIsTheSumOfEachContinuationTokensLogProbability() {
    TestingBigramModel m =
        new TestingBigramModel(32).prefer(':', ' ', 3).prefer(' ', '7', 2).prefer(' ', '3', 1);

    double[] ll =
        SequenceScoring.logLikelihoods(
            m, codec.encode("Answer:"), List.of(codec.encode(" 3"), codec.encode(" 7")));

    assertThat(ll[0]).isCloseTo(m.logProb(':', ' ') + m.logProb(' ', '3'), within(1e-4));
    assertThat(ll[1]).isCloseTo(m.logProb(':', ' ') + m.logProb(' ', '7'), within(1e-4));
    assertThat(ll[1]).isGreaterThan(ll[0]);
  }

  @Test
  void continuationsOfDifferentLengthsAreScoredOnTheirOwnTokensOnly() {
    TestingBigramModel m = new TestingBigramModel(32).prefer('x', '1', 4).prefer('1', '2', 4);

    double[] ll =
        SequenceScoring.logLikelihoods(
            m, codec.encode("x"), List.of(codec.encode("1"), codec.encode("12")));

    assertThat(ll[0]).isCloseTo(m.logProb('x', '1'), within(1e-4));
    assertThat(ll[1]).isCloseTo(m.logProb('x', '1') + m.logProb('1', '2'), within(1e-4));
  }

  @Test
  void greedyFollowsTheMostLikelyTokensAndStopsAtNewline() {
    TestingBigramModel m =
        new TestingBigramModel(16).prefer(':', ' ', 5).prefer(' ', '7', 5).prefer('7', '\n', 5);

    int[] out = SequenceScoring.greedy(m, codec.encode("Answer:"), 8, id -> id == '\n');

    assertThat(codec.decode(out)).isEqualTo(" 7\n");
  }

  @Test
  void contextLongerThanTheModelTakesKeepsItsNewestTokens() {
    TestingBigramModel m = new TestingBigramModel(8).prefer('z', 'q', 5);
    String longContext = "a".repeat(50) + "z";

    double[] ll =
        SequenceScoring.logLikelihoods(m, codec.encode(longContext), List.of(codec.encode("q")));
    int[] greedy = SequenceScoring.greedy(m, codec.encode(longContext), 1, id -> false);

    assertThat(ll[0]).isCloseTo(m.logProb('z', 'q'), within(1e-4));
    assertThat(codec.decode(greedy)).isEqualTo("q");
  }
}
