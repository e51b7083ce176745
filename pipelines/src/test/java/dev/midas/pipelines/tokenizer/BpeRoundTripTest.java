package dev.midas.pipelines.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midas.pipelines.corpus.BrownText;
import dev.midas.pipelines.testing.TestingCorpus;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BpeRoundTripTest {
  private static Bpe bpe;
  private static List<String> brown;

  @BeforeAll
  static void trainOnBrownSample() throws Exception {
    brown = new ArrayList<>();
    for (String tagged : TestingCorpus.brownSamples(40)) {
      brown.add(BrownText.untag(tagged));
    }
    BpeModel model = BpeTrainer.train(PreTokenizer.count(brown), 2000, 2, BpeModel.DEFAULT_EOS);
    bpe = Bpe.fromJson(TokenizerJson.write(model));
  }

  @AfterAll
  static void close() {
    bpe.close();
  }

  @Test
  void decodeOfEncodeGivesBackEveryBrownSample() {
    for (String text : brown) {
      assertThat(bpe.decode(bpe.encode(text))).isEqualTo(text);
    }
  }

  @Test
  void decodeOfEncodeGivesBackTextTheTokenizerNeverSaw() {
    List<String> texts =
        List.of(
            "Größe, naïve café — “quoted” ‘text’ …",
            "日本語のテキスト、中文文本，한국어 텍스트",
            "emoji 🙂👩‍💻 and math ∑∫√ and tabs\tand\r\nwindows lines",
            "  leading and trailing spaces  ",
            "\u0000control\u0007chars\u001b[0m",
            "",
            "<|endoftext|> inside text <|endoftext|>");
    for (String text : texts) {
      assertThat(bpe.decode(bpe.encode(text))).isEqualTo(text);
    }
  }

  @Test
  void learnedMergesCompressBrownWellBelowOneTokenPerByte() {
    String text = brown.get(0);
    int tokens = bpe.encode(text).length;
    assertThat(tokens).isLessThan(text.length() / 3);
  }

  @Test
  void endOfTextIsOneSpecialTokenWithIdZero() {
    assertThat(bpe.eosId()).isZero();
    assertThat(bpe.encode("a<|endoftext|>b")).contains(0);
    assertThat(bpe.vocabSize()).isEqualTo(2000);
  }

  @Test
  void longTextIsNotTruncated() {
    String text = "word ".repeat(5000);
    int[] ids = bpe.encode(text);
    assertThat(ids.length).isGreaterThan(1000);
    assertThat(bpe.decode(ids)).isEqualTo(text);
  }
}
