package dev.midas.pipelines.preprocess;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midas.pipelines.dataset.DatasetLayout;
import dev.midas.pipelines.dataset.ShardFile;
import dev.midas.pipelines.dataset.StableHash;
import dev.midas.pipelines.testing.TestingPipelines;
import dev.midas.proto.TokenSequence;
import dev.midas.stacking.data.TfRecordReader;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackAndWriteTransformsTest {
  @TempDir Path dir;

  private static TokenizedDocument doc(String sha, int from, int n) {
    int[] t = new int[n];
    for (int i = 0; i < n; i++) {
      t[i] = from + i;
    }
    return new TokenizedDocument("train", sha, t);
  }

  private static final Sizing ONE_BUCKET = new Sizing(1, 1, 1, 1);

  @Test
  void documentsAreJoinedIntoWindowsOfSeqLenPlusOneInBoundedMemory() {
    List<TokenizedDocument> docs = List.of(doc("a", 100, 7), doc("b", 200, 9), doc("c", 300, 5));
    TestPipeline p = TestingPipelines.create();
    // 40 bytes of sort memory: the bucket's sort spills to disk after every document or two.
    PCollectionTuple packed =
        p.apply("Docs", Create.of(docs)).apply(new PackSequencesTransform(4, 7, ONE_BUCKET, 40));
    // 21 distinct tokens in one bucket: four windows of 5, one token left over.
    PAssert.that(packed.get(PackSequencesTransform.SEQUENCES).apply(Count.globally()))
        .containsInAnyOrder(4L);
    PAssert.that(packed.get(PackSequencesTransform.SEQUENCES))
        .satisfies(
            seqs -> {
              List<Integer> all = new ArrayList<>();
              for (PackedSequence s : seqs) {
                assertThat(s.tokens()).hasSize(5);
                Arrays.stream(s.tokens()).forEach(all::add);
              }
              assertThat(all).doesNotHaveDuplicates();
              return null;
            });
    PAssert.that(packed.get(PackSequencesTransform.STATS).apply(Sum.longsPerKey()))
        .containsInAnyOrder(
            KV.of("train.documents", 3L),
            KV.of("train.sequences", 4L),
            KV.of("tail_tokens", 1L),
            KV.of(PackSequencesTransform.BUCKETS, 1L),
            KV.of(PackSequencesTransform.BUCKET_TOKENS_MIN, 21L),
            KV.of(PackSequencesTransform.BUCKET_TOKENS_MAX, 21L));
    p.run().waitUntilFinish();
  }

  @Test
  void eachShardHoldsItsWindowsInKeyOrderAsTfRecords() throws Exception {
    DatasetLayout layout = new DatasetLayout(dir.toString(), "d", "v1", "run");
    List<PackedSequence> seqs = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      seqs.add(new PackedSequence("train", StableHash.of(1, "w", i), new int[] {i, i + 1, i + 2}));
    }
    TestPipeline p = TestingPipelines.create();
    // Three shards; 100 bytes of sort memory make each shard's sort spill and merge runs.
    PCollection<ShardFile> files =
        p.apply("Seqs", Create.of(seqs))
            .apply(new WriteShardsTransform(layout, new Sizing(3, 1, 1, 1), 100));
    PAssert.that(files)
        .satisfies(
            shards -> {
              long total = 0;
              for (ShardFile f : shards) {
                assertThat(f.shards()).isEqualTo(3);
                assertThat(f.path()).isEqualTo(DatasetLayout.shardName("train", f.shard(), 3));
                total += f.sequences();
              }
              assertThat(total).isEqualTo(40);
              return null;
            });
    p.run().waitUntilFinish();

    long previous = 0;
    int records = 0;
    Path shard0 = dir.resolve("data/d/v1/run-run/train-00000-of-00003.tfrecord");
    try (InputStream in = Files.newInputStream(shard0)) {
      TfRecordReader reader = new TfRecordReader(in, shard0.toString());
      for (byte[] r = reader.next(); r != null; r = reader.next()) {
        int first = TokenSequence.parseFrom(r).getTokens(0);
        long key = StableHash.of(1, "w", first);
        assertThat(Math.floorMod(key, 3)).isZero();
        assertThat(Long.compareUnsigned(key, previous)).isPositive();
        previous = key;
        records++;
      }
    }
    assertThat(records).isPositive();
  }
}
