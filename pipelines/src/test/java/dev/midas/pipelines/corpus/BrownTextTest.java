package dev.midas.pipelines.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midas.pipelines.testing.TestingCorpus;
import org.junit.jupiter.api.Test;

class BrownTextTest {
  @Test
  void firstBrownSentenceReadsAsPlainEnglish() throws Exception {
    String first = BrownText.untag(TestingCorpus.brownSamples(1).get(0)).split("\n")[0];
    assertThat(first)
        .isEqualTo(
            "The Fulton County Grand Jury said Friday an investigation of Atlanta's recent primary"
                + " election produced \"no evidence\" that any irregularities took place.");
  }

  @Test
  void keepsSlashesInsideWordsAndDropsOnlyTheLastTag() {
    assertThat(BrownText.untag("1/2/cd ,/, (/( and/cc )/)")).isEqualTo("1/2, (and)\n");
  }
}
