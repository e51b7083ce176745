package dev.midas.pipelines.preprocess;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midas.pipelines.testing.TestingPipelines;
import dev.midas.pipelines.tokenizer.Bpe;
import dev.midas.pipelines.tokenizer.BpeModel;
import dev.midas.pipelines.tokenizer.BpeTrainer;
import dev.midas.pipelines.tokenizer.PreTokenizer;
import dev.midas.pipelines.tokenizer.TokenizerJson;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.junit.jupiter.api.Test;

class TokenizerTransformsTest {
  private static final List<String> TEXTS =
      List.of(
          "the cat sat on the mat",
          "the dog sat on the log",
          "a cat and a dog met on the mat",
          "Größe und Maße, naïve café");

  private static List<CleanDocument> docs() {
    List<CleanDocument> out = new ArrayList<>();
    for (int i = 0; i < TEXTS.size(); i++) {
      out.add(new CleanDocument("train", "sha" + i, TEXTS.get(i)));
    }
    return out;
  }

  @Test
  void trainedTokenizerEqualsLearningTheSameCountsInOneProcessAndLoadsInTokenizers() {
    String expected =
        TokenizerJson.write(
            BpeTrainer.train(PreTokenizer.count(TEXTS), 300, 2, BpeModel.DEFAULT_EOS));
    TestPipeline p = TestingPipelines.create();
    PCollectionTuple trained =
        p.apply(Create.of(docs())).apply(new TrainTokenizerTransform(300, 1000, 2, 1, 1.0, 7, 3));
    PAssert.thatSingleton(trained.get(TrainTokenizerTransform.TOKENIZER)).isEqualTo(expected);
    p.run().waitUntilFinish();
    try (Bpe bpe = Bpe.fromJson(expected)) {
      assertThat(bpe.vocabSize()).isGreaterThan(257);
      assertThat(bpe.decode(bpe.encode(TEXTS.get(3)))).isEqualTo(TEXTS.get(3));
    }
  }

  @Test
  void rarePreTokensArePrunedAndOnlyTheTopNAreTrainedOnAndBothAreCounted() {
    Map<String, Long> all = PreTokenizer.count(TEXTS);
    // What the transform must keep: count >= 2, then the 5 most frequent (ties: smaller word).
    Map<String, Long> kept = new HashMap<>();
    all.entrySet().stream()
        .filter(e -> e.getValue() >= 2)
        .sorted(
            Map.Entry.<String, Long>comparingByValue()
                .reversed()
                .thenComparing(Map.Entry.comparingByKey()))
        .limit(5)
        .forEach(e -> kept.put(e.getKey(), e.getValue()));
    long candidates = all.values().stream().filter(n -> n >= 2).count();
    assertThat(candidates).isGreaterThan(5).isLessThan(all.size());
    String expected = TokenizerJson.write(BpeTrainer.train(kept, 300, 2, BpeModel.DEFAULT_EOS));

    TestPipeline p = TestingPipelines.create();
    PCollectionTuple trained =
        p.apply(Create.of(docs())).apply(new TrainTokenizerTransform(300, 5, 2, 2, 1.0, 7, 4));
    PAssert.thatSingleton(trained.get(TrainTokenizerTransform.TOKENIZER)).isEqualTo(expected);
    PAssert.that(trained.get(TrainTokenizerTransform.STATS).apply(Sum.longsPerKey()))
        .containsInAnyOrder(
            KV.of(TrainTokenizerTransform.DISTINCT, (long) all.size()),
            KV.of(TrainTokenizerTransform.CANDIDATES, candidates),
            KV.of(TrainTokenizerTransform.TRAINED, 5L),
            KV.of(TrainTokenizerTransform.SAMPLED, (long) TEXTS.size()));
    p.run().waitUntilFinish();
  }

  @Test
  void aSampleCountsTheDocumentsItsSeededHashPicksAndNoOthers() {
    List<String> sampled = new ArrayList<>();
    for (CleanDocument d : docs()) {
      if (TrainTokenizerTransform.sampled(3, d.sha256(), 0.5)) {
        sampled.add(d.text());
      }
    }
    assertThat(sampled).isNotEmpty().hasSizeLessThan(TEXTS.size());
    String expected =
        TokenizerJson.write(
            BpeTrainer.train(PreTokenizer.count(sampled), 300, 1, BpeModel.DEFAULT_EOS));
    TestPipeline p = TestingPipelines.create();
    PCollectionTuple trained =
        p.apply(Create.of(docs())).apply(new TrainTokenizerTransform(300, 1000, 1, 1, 0.5, 3, 2));
    PAssert.thatSingleton(trained.get(TrainTokenizerTransform.TOKENIZER)).isEqualTo(expected);
    p.run().waitUntilFinish();
  }

  @Test
  void everyDocumentEndsWithTheEndOfTextTokenAndDecodesBack() {
    String json =
        TokenizerJson.write(
            BpeTrainer.train(PreTokenizer.count(TEXTS), 300, 2, BpeModel.DEFAULT_EOS));
    TestPipeline p = TestingPipelines.create();
    PCollectionView<String> view = p.apply("Json", Create.of(json)).apply(View.asSingleton());
    PCollection<TokenizedDocument> tokenized =
        p.apply("Docs", Create.of(docs())).apply(new TokenizeTransform(view));
    PAssert.that(tokenized)
        .satisfies(
            all -> {
              int n = 0;
              try (Bpe bpe = Bpe.fromJson(json)) {
                for (TokenizedDocument d : all) {
                  int[] t = d.tokens();
                  assertThat(t[t.length - 1]).isEqualTo(bpe.eosId());
                  String text = TEXTS.get(Integer.parseInt(d.sha256().substring(3)));
                  assertThat(bpe.decode(t)).isEqualTo(text + BpeModel.DEFAULT_EOS);
                  n++;
                }
              }
              assertThat(n).isEqualTo(TEXTS.size());
              return null;
            });
    p.run().waitUntilFinish();
  }
}
