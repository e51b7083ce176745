package dev.midas.pipelines.preprocess;

import dev.midas.pipelines.dataset.DatasetLayout;
import dev.midas.pipelines.dataset.ShardFile;
import dev.midas.pipelines.dataset.TfRecordFiles;
import dev.midas.pipelines.sorting.SpillingSorter;
import dev.midas.proto.FileEntry;
import dev.midas.proto.TokenSequence;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Iterator;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * The global shuffle and the shard files: each window goes to shard {@code key mod shards} of its
 * split and is written there in key order, as one TFRecord (standard framing, Beam's TFRecordIO
 * sink) holding a serialized {@code TokenSequence} (token ids as packed varints). A shard is sorted
 * in bounded memory, spilling to local disk past {@code sortMemoryBytes}, and streamed to its file
 * in this run's folder, so memory does not grow with the shard's size.
 */
public class WriteShardsTransform
    extends PTransform<PCollection<PackedSequence>, PCollection<ShardFile>> {
  private final DatasetLayout layout;
  private final Sizing sizing;
  private final long sortMemoryBytes;

  public WriteShardsTransform(DatasetLayout layout, Sizing sizing, long sortMemoryBytes) {
    this.layout = layout;
    this.sizing = sizing;
    this.sortMemoryBytes = sortMemoryBytes;
  }

  @Override
  public PCollection<ShardFile> expand(PCollection<PackedSequence> sequences) {
    return sequences
        .apply("AssignShard", ParDo.of(new AssignShardFn(sizing)))
        .apply("GroupShards", GroupByKey.create())
        .apply("Write", ParDo.of(new WriteShardFn(layout, sortMemoryBytes)));
  }

  /** Keys a window by {@code <split>/<shard>/<shards>}. */
  static class AssignShardFn extends DoFn<PackedSequence, KV<String, PackedSequence>> {
    private final Sizing sizing;

    AssignShardFn(Sizing sizing) {
      this.sizing = sizing;
    }

    @ProcessElement
    public void process(
        @Element PackedSequence seq, OutputReceiver<KV<String, PackedSequence>> out) {
      int shards = sizing.shards(seq.split());
      out.output(KV.of(seq.split() + "/" + Math.floorMod(seq.key(), shards) + "/" + shards, seq));
    }
  }

  /** Sorts one shard's windows by key and streams them to the file. */
  static class WriteShardFn extends DoFn<KV<String, Iterable<PackedSequence>>, ShardFile> {
    private final Counter bytes = Metrics.counter(WriteShardFn.class, "bytes_written");
    private final Counter spilled = Metrics.counter(WriteShardFn.class, "shards_spilled");
    private final DatasetLayout layout;
    private final long sortMemoryBytes;

    WriteShardFn(DatasetLayout layout, long sortMemoryBytes) {
      this.layout = layout;
      this.sortMemoryBytes = sortMemoryBytes;
    }

    @ProcessElement
    public void process(
        @Element KV<String, Iterable<PackedSequence>> shard, OutputReceiver<ShardFile> out)
        throws IOException {
      String[] key = shard.getKey().split("/");
      String split = key[0];
      int index = Integer.parseInt(key[1]);
      int shards = Integer.parseInt(key[2]);
      String name = DatasetLayout.shardName(split, index, shards);
      try (SpillingSorter sorter = SpillingSorter.inTempDir(sortMemoryBytes)) {
        for (PackedSequence s : shard.getValue()) {
          sorter.add(
              ByteBuffer.allocate(8).putLong(s.key()).array(),
              CoderUtils.encodeToByteArray(IntArrayCoder.of(), s.tokens()));
        }
        if (sorter.runs() > 0) {
          spilled.inc();
        }
        Iterator<SpillingSorter.Entry> sorted = sorter.sorted();
        long[] records = {0};
        Iterable<byte[]> serialized =
            () ->
                new Iterator<>() {
                  @Override
                  public boolean hasNext() {
                    return sorted.hasNext();
                  }

                  @Override
                  public byte[] next() {
                    records[0]++;
                    return toRecord(sorted.next().value());
                  }
                };
        FileEntry entry = TfRecordFiles.write(layout.runDir(), name, serialized);
        bytes.inc(entry.getSize());
        out.output(
            new ShardFile(
                split,
                index,
                shards,
                entry.getPath(),
                entry.getSize(),
                entry.getSha256(),
                records[0]));
      }
    }

    private static byte[] toRecord(byte[] encodedTokens) {
      try {
        int[] tokens = CoderUtils.decodeFromByteArray(IntArrayCoder.of(), encodedTokens);
        TokenSequence.Builder record = TokenSequence.newBuilder();
        for (int t : tokens) {
          record.addTokens(t);
        }
        return record.build().toByteArray();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
