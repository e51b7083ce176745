package dev.midas.pipelines.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BpeTrainerTest {
  @Test
  void mergesTheMostFrequentPairFirstAndBuildsOnIt() {
    BpeModel m = BpeTrainer.train(Map.of("abc", 10L, "ab", 5L, "xy", 3L), 260, 1, "<eos>");
    assertThat(m.merges())
        .containsExactly(
            new BpeModel.Merge("a", "b"),
            new BpeModel.Merge("ab", "c"),
            new BpeModel.Merge("x", "y"));
    assertThat(m.vocab().get(0)).isEqualTo("<eos>");
    assertThat(m.vocab().subList(257, 260)).containsExactly("ab", "abc", "xy");
  }

  @Test
  void breaksTiesByTheSmallerPairSoInputOrderDoesNotMatter() {
    Map<String, Long> forward = new LinkedHashMap<>();
    forward.put("zy", 4L);
    forward.put("ba", 4L);
    Map<String, Long> backward = new HashMap<>();
    backward.put("ba", 4L);
    backward.put("zy", 4L);
    BpeModel a = BpeTrainer.train(forward, 258, 1, "<eos>");
    BpeModel b = BpeTrainer.train(backward, 258, 1, "<eos>");
    assertThat(a.merges()).containsExactly(new BpeModel.Merge("b", "a"));
    assertThat(a).isEqualTo(b);
  }

  @Test
  void countsOverlappingPairsOnceAMerge() {
    // "aaaa" -> "aa aa": the pair (a,a) occurs three times but merges twice, leaving (aa,aa).
    BpeModel m = BpeTrainer.train(Map.of("aaaa", 1L), 259, 1, "<eos>");
    assertThat(m.merges())
        .containsExactly(new BpeModel.Merge("a", "a"), new BpeModel.Merge("aa", "aa"));
  }

  @Test
  void neverLearnsOneTokenTwiceFromWhitespaceRuns() {
    // Indented code and ragged text: runs of spaces, tabs and newlines of every length, the input
    // where two splits of one run ('ĠĠ'+'ĠĠ', 'ĠĠĠ'+'Ġ') could both be merged.
    List<String> texts = new ArrayList<>();
    for (int n = 1; n <= 33; n++) {
      String run = " ".repeat(n);
      texts.add(("x" + run + "y\n" + run + "z\n\t" + run + "\n\n" + run).repeat(34 - n));
      texts.add(("\n" + run + "\t\t" + run + " \n").repeat(1 + n % 5));
    }
    Map<String, Long> counts = PreTokenizer.count(texts);
    BpeModel m = BpeTrainer.train(counts, 2000, 1, "<eos>");
    assertThat(new HashSet<>(m.vocab())).hasSameSizeAs(m.vocab());
    assertThat(m.vocab()).contains("\u0120".repeat(8), "\u010a\u0120\u0120", "\u0109\u0109");
    assertThat(m.merges()).hasSizeGreaterThan(60);
  }

  @Test
  void stopsWhenNoPairIsFrequentEnough() {
    BpeModel m = BpeTrainer.train(Map.of("ab", 1L, "cd", 3L), 1000, 2, "<eos>");
    assertThat(m.merges()).containsExactly(new BpeModel.Merge("c", "d"));
    assertThat(m.vocabSize()).isEqualTo(258);
  }

  @Test
  void refusesAVocabularyTooSmallForTheBytes() {
    assertThatThrownBy(() -> BpeTrainer.train(Map.of(), 100, 1, "<eos>"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("vocabSize 100 is below 257 (one end-of-text token and 256 byte tokens)");
  }

  @Test
  void preTokensAreByteLevelSoAnyTextCanBeCounted() {
    Map<String, Long> counts = PreTokenizer.count(List.of("héllo wörld", "hello"));
    assertThat(counts).containsEntry("hello", 1L).containsEntry("h\u00c3\u00a9llo", 1L);
    assertThat(counts.keySet()).anyMatch(k -> k.startsWith("\u0120w")); // 'Ġ' = the space byte
  }
}
