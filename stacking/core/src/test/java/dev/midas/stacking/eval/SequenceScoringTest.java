package dev.midas.stacking.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
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
  void contextThatDoesNotFitWithItsContinuationIsRefusedNotCut() {
    TestingBigramModel m = new TestingBigramModel(8).prefer('z', 'q', 5);

    assertThatThrownBy(
            () ->
                SequenceScoring.logLikelihoods(
                    m, codec.encode("abcdefgz"), List.of(codec.encode("q\n"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("context of 8 tokens")
        .hasMessageContaining("seq_len 8");
    assertThatThrownBy(() -> SequenceScoring.greedy(m, codec.encode("abcdefgz"), 2, id -> false))
        .isInstanceOf(IllegalArgumentException.class);
    // The longest context that still fits: 7 tokens, the continuation's second token predicted.
    double[] ll =
        SequenceScoring.logLikelihoods(m, codec.encode("abcdefz"), List.of(codec.encode("q\n")));
    assertThat(ll[0]).isCloseTo(m.logProb('z', 'q') + m.logProb('q', '\n'), within(1e-4));
    assertThat(SequenceScoring.contextBudget(8, 2, 1)).isEqualTo(7);
  }

  @Test
  void packedContinuationsReadTheTokenBeforeThemNotTheirNeighbourInTheRow() {
    // Trigram rows make each prediction depend on the token before: in the packed row, " 3" sits
    // right after " 7"'s subtree, so reading the wrong neighbour would change the sums.
    TestingBigramModel m =
        new TestingBigramModel(32)
            .prefer(':', ' ', 3)
            .prefer(' ', '7', '\n', 4)
            .prefer(' ', '3', '\n', 1)
            .prefer('7', '7', '\n', 2);
    List<int[]> conts = List.of(codec.encode(" 7\n"), codec.encode(" 3\n"), codec.encode(" 77\n"));

    double[] ll = SequenceScoring.logLikelihoods(m, codec.encode("Answer:"), conts);

    double space = m.logProb(':', ' ');
    assertThat(ll[0])
        .isCloseTo(space + m.logProb(':', ' ', '7') + m.logProb(' ', '7', '\n'), within(1e-4));
    assertThat(ll[1])
        .isCloseTo(space + m.logProb(':', ' ', '3') + m.logProb(' ', '3', '\n'), within(1e-4));
    assertThat(ll[2])
        .isCloseTo(
            space + m.logProb(':', ' ', '7') + m.logProb(' ', '7', '7') + m.logProb('7', '7', '\n'),
            within(1e-4));
  }

  @Test
  void greedyTextFollowsTheCandidatesAndGoesOnAloneOnceItLeavesThem() {
    // The model writes " 75\n"; the candidates are " 7\n" and " 3\n": decoding leaves the trie
    // after " 7" and continues token by token.
    TestingBigramModel m =
        new TestingBigramModel(32)
            .prefer(':', ' ', 5)
            .prefer(' ', '7', 5)
            .prefer('7', '5', 5)
            .prefer('5', '\n', 5);

    List<SequenceScoring.Scored> s =
        SequenceScoring.score(
            m,
            List.of(
                new SequenceScoring.Query(
                    codec.encode("Answer:"), List.of(codec.encode(" 7\n"), codec.encode(" 3\n")))),
            6,
            (row, ids) -> ids[ids.length - 1] == '\n');

    assertThat(codec.decode(s.get(0).greedy())).isEqualTo(" 75\n");
  }
}
