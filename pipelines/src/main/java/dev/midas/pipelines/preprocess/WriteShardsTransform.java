package dev.midas.pipelines.preprocess;

import dev.midas.pipelines.dataset.DatasetLayout;
import dev.midas.pipelines.dataset.ShardFile;
import dev.midas.pipelines.dataset.TfRecordFiles;
import dev.midas.proto.FileEntry;
import dev.midas.proto.TokenSequence;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * The global shuffle and the shard files: each window goes to shard {@code key mod shards} of its
 * split and is written there in key order, as one TFRecord (standard framing, Beam's TFRecordIO
 * sink) holding a serialized {@code TokenSequence}. Files land in the run's temporary folder; the
 * commit moves them.
 */
public class WriteShardsTransform
    extends PTransform<PCollection<PackedSequence>, PCollection<ShardFile>> {
  private final DatasetLayout layout;
  private final long shardTokens;
  private final PCollectionView<Map<String, Long>> splitTokens;

  public WriteShardsTransform(
      DatasetLayout layout, long shardTokens, PCollectionView<Map<String, Long>> splitTokens) {
    this.layout = layout;
    this.shardTokens = shardTokens;
    this.splitTokens = splitTokens;
  }

  @Override
  public PCollection<ShardFile> expand(PCollection<PackedSequence> sequences) {
    return sequences
        .apply(
            "AssignShard",
            ParDo.of(new AssignShardFn(shardTokens, splitTokens)).withSideInputs(splitTokens))
        .apply("GroupShards", GroupByKey.create())
        .apply("Write", ParDo.of(new WriteShardFn(layout)));
  }

  /** Keys a window by {@code <split>/<shard>/<shards>}. */
  static class AssignShardFn extends DoFn<PackedSequence, KV<String, PackedSequence>> {
    private final long shardTokens;
    private final PCollectionView<Map<String, Long>> splitTokens;

    AssignShardFn(long shardTokens, PCollectionView<Map<String, Long>> splitTokens) {
      this.shardTokens = shardTokens;
      this.splitTokens = splitTokens;
    }

    @ProcessElement
    public void process(
        @Element PackedSequence seq,
        ProcessContext c,
        OutputReceiver<KV<String, PackedSequence>> out) {
      int shards = Splits.shards(c.sideInput(splitTokens).get(seq.split()), shardTokens);
      out.output(KV.of(seq.split() + "/" + Math.floorMod(seq.key(), shards) + "/" + shards, seq));
    }
  }

  /** Sorts one shard's windows by key and writes the file. */
  static class WriteShardFn extends DoFn<KV<String, Iterable<PackedSequence>>, ShardFile> {
    private final Counter bytes = Metrics.counter(WriteShardFn.class, "bytes_written");
    private final DatasetLayout layout;

    WriteShardFn(DatasetLayout layout) {
      this.layout = layout;
    }

    @ProcessElement
    public void process(
        @Element KV<String, Iterable<PackedSequence>> shard, OutputReceiver<ShardFile> out)
        throws IOException {
      String[] key = shard.getKey().split("/");
      String split = key[0];
      int index = Integer.parseInt(key[1]);
      int shards = Integer.parseInt(key[2]);
      List<PackedSequence> seqs = new ArrayList<>();
      shard.getValue().forEach(seqs::add);
      seqs.sort(
          Comparator.comparingLong(PackedSequence::key)
              .thenComparing(PackedSequence::tokens, Arrays::compare));
      String name = DatasetLayout.shardName(split, index, shards);
      List<byte[]> records = new ArrayList<>(seqs.size());
      for (PackedSequence s : seqs) {
        TokenSequence.Builder record = TokenSequence.newBuilder();
        for (int t : s.tokens()) {
          record.addTokens(t);
        }
        records.add(record.build().toByteArray());
      }
      FileEntry entry = TfRecordFiles.write(layout.tempDir(), name, records);
      bytes.inc(entry.getSize());
      out.output(
          new ShardFile(
              split, index, shards, name, entry.getSize(), entry.getSha256(), seqs.size()));
    }
  }
}
