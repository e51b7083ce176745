package dev.midas.pipelines.preprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.midas.pipelines.corpus.BrownText;
import dev.midas.pipelines.dataset.DatasetConflictException;
import dev.midas.pipelines.dataset.NoInputException;
import dev.midas.pipelines.testing.TestingCorpus;
import dev.midas.pipelines.testing.TestingOptions;
import dev.midas.pipelines.testing.TestingShards;
import dev.midas.pipelines.tokenizer.Bpe;
import dev.midas.proto.DatasetManifest;
import dev.midas.proto.SplitStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreprocessCorpusPipelineTest {
  @TempDir static Path out;
  private static DatasetManifest manifest;
  private static Path dir;

  @BeforeAll
  static void preprocessBrownSample() {
    manifest = PreprocessCorpusPipeline.run(TestingOptions.brown(out));
    dir = out.resolve("data/brown/v1");
  }

  /** Where the committed tokenizer.json is: in the folder of the run that committed. */
  private static Path tokenizerFile() {
    return manifest.getFilesList().stream()
        .filter(f -> f.getPath().endsWith("/tokenizer.json"))
        .map(f -> dir.resolve(f.getPath()))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void manifestDescribesSplitsTokenizerAndEveryShard() throws Exception {
    assertThat(manifest.getKind()).isEqualTo("tokens");
    assertThat(manifest.getFormat()).isEqualTo("tfrecord/TokenSequence");
    assertThat(manifest.getSeqLen()).isEqualTo(64);
    assertThat(manifest.getEosId()).isZero();
    assertThat(manifest.getSplitsList())
        .extracting(SplitStats::getName)
        .containsExactly("train", "validation");
    SplitStats train = manifest.getSplits(0);
    assertThat(train.getShards()).isGreaterThan(1);
    assertThat(train.getTokens()).isEqualTo(train.getSequences() * 65);
    assertThat(train.getDocuments() + manifest.getSplits(1).getDocuments()).isEqualTo(20);
    assertThat(manifest.getFilesCount())
        .isEqualTo(1 + train.getShards() + manifest.getSplits(1).getShards());
    assertThat(manifest.getContentSha256()).hasSize(64);
    assertThat(manifest.getStatsMap())
        .containsKeys(
            "tokenizer.pretokens_under_min_count",
            "tokenizer.pretokens_over_max_words",
            "pack.bucket_tokens.min",
            "pack.bucket_tokens.max",
            "shard.train.bytes.min",
            "shard.train.bytes.max",
            "shard.validation.sequences.max");
    Map<String, Long> stats = manifest.getStatsMap();
    assertThat(stats.get("tokenizer.pretokens_distinct"))
        .isEqualTo(
            stats.get("tokenizer.pretokens_under_min_count")
                + stats.get("tokenizer.pretokens_at_min_count"))
        .isGreaterThan(stats.get("tokenizer.pretokens_trained"));
    assertThat(stats.get("tokenizer.pretokens_under_min_count")).isPositive();
    assertThat(stats.get("shard.train.bytes.max")).isPositive();
    try (Bpe bpe = Bpe.load(tokenizerFile())) {
      assertThat(bpe.sha256()).isEqualTo(manifest.getTokenizerSha256());
      assertThat(bpe.vocabSize()).isEqualTo(manifest.getVocabSize());
    }
  }

  @Test
  void everyRecordIsSeqLenPlusOneTokensOfBrownText() throws Exception {
    List<int[]> seqs = TestingShards.windows(dir, "train"); // verifies every shard's SHA-256
    assertThat(seqs).hasSize((int) manifest.getSplits(0).getSequences());
    assertThat(seqs).allSatisfy(s -> assertThat(s).hasSize(65));
    List<String> documents = new ArrayList<>();
    for (String tagged : TestingCorpus.brownSamples(20)) {
      documents.add(BrownText.untag(tagged));
    }
    String corpus = String.join("\u0000", documents);
    try (Bpe bpe = Bpe.load(tokenizerFile())) {
      for (int[] seq : seqs.subList(0, 50)) {
        // A window is a cut through documents joined by <|endoftext|>: each piece is exact text.
        for (String piece : bpe.decode(seq).split("<\\|endoftext\\|>", -1)) {
          assertThat(corpus).contains(piece);
        }
      }
    }
  }

  @Test
  void rerunIntoTheSameOutputReproducesItAndLeavesItUntouched() throws Exception {
    long stamp = Files.getLastModifiedTime(dir.resolve("MANIFEST")).toMillis();
    DatasetManifest again =
        PreprocessCorpusPipeline.run(TestingOptions.brown(out, "--tokenizer=" + tokenizerFile()));
    assertThat(again).isEqualTo(manifest);
    assertThat(Files.getLastModifiedTime(dir.resolve("MANIFEST")).toMillis()).isEqualTo(stamp);
  }

  @Test
  void rerunWithOtherSettingsIsRefusedAndTheDatasetStays() throws Exception {
    assertThatThrownBy(
            () ->
                PreprocessCorpusPipeline.run(
                    TestingOptions.brown(out, "--seed=99", "--tokenizer=" + tokenizerFile())))
        .isInstanceOf(DatasetConflictException.class)
        .hasMessageContaining("dataset brown/v1 at ")
        .hasMessageContaining("already exists")
        .hasMessageContaining("with different content");
    assertThat(TestingShards.manifest(dir)).isEqualTo(manifest);
  }

  @Test
  void ifExistsFailRefusesBeforeRunning() {
    assertThatThrownBy(
            () -> PreprocessCorpusPipeline.run(TestingOptions.brown(out, "--ifExists=FAIL")))
        .isInstanceOf(DatasetConflictException.class)
        .hasMessageContaining("--ifExists=FAIL");
  }

  @Test
  void anInputPatternMatchingNothingIsNamed() {
    assertThatThrownBy(
            () ->
                PreprocessCorpusPipeline.run(
                    TestingOptions.preprocess(
                        "--input=" + out + "/nothing-*.txt", "--output=" + out)))
        .isInstanceOf(NoInputException.class)
        .hasMessageContaining("nothing-*.txt' matches no file");
  }
}
