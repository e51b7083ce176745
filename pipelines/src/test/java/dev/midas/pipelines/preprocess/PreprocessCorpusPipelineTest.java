package dev.midas.pipelines.preprocess;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midas.pipelines.shards.TokenShards;
import dev.midas.pipelines.testing.TestingOptions;
import dev.midas.pipelines.tokenizer.Bpe;
import dev.midas.proto.DatasetManifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreprocessCorpusPipelineTest {
  @TempDir Path out;

  @Test
  void brownSampleBecomesVerifiedShardsOfSeqLenPlusOneTokens() throws Exception {
    DatasetManifest m = PreprocessCorpusPipeline.run(TestingOptions.brown(out));
    Path dir = out.resolve("data/brown/v1");
    assertThat(m.getKind()).isEqualTo("tokens");
    assertThat(m.getSplits(0).getName()).isEqualTo("train");
    assertThat(m.getSplits(0).getShards()).isGreaterThan(1);
    assertThat(m.getSplits(1).getSequences()).isPositive();
    List<int[]> seqs = new ArrayList<>();
    TokenShards shards = TokenShards.open(dir);
    shards.forEach("train", seqs::add);
    assertThat(seqs).hasSize((int) m.getSplits(0).getSequences());
    assertThat(seqs).allSatisfy(s -> assertThat(s).hasSize(65));
    try (Bpe bpe = Bpe.load(dir.resolve("tokenizer.json"))) {
      assertThat(bpe.sha256()).isEqualTo(m.getTokenizerSha256());
      System.out.println(bpe.decode(seqs.get(0)));
    }
    System.out.println(Files.readString(dir.resolve("MANIFEST")));
  }
}
