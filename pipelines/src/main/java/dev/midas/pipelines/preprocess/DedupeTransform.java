package dev.midas.pipelines.preprocess;

import dev.midas.pipelines.corpus.CleaningEvent;
import dev.midas.pipelines.sorting.SpillingSorter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Keeps one copy of each distinct document (by content hash) and counts the rest as {@code
 * duplicate}, before the tokenizer is trained on them. Documents are grouped into {@code buckets}
 * by their hash (about 4 MiB of input each, see {@link Sizing#dedupeBuckets}); a bucket is sorted
 * by hash in bounded memory and streamed on, so copies meet and all but the first are dropped. The
 * grouping is also the redistribution after reading: documents leave it spread over every worker,
 * whatever file or range they came from. With {@code dedupe} off the documents are only
 * redistributed.
 *
 * <p>Buckets rather than one key per document: the DirectRunner makes a bundle of every key, and a
 * bundle per document downstream would make its later groupings copy their state once per document.
 */
public class DedupeTransform extends PTransform<PCollection<CleanDocument>, PCollectionTuple> {
  public static final TupleTag<CleanDocument> UNIQUE = new TupleTag<>() {};
  public static final TupleTag<KV<String, Long>> STATS = new TupleTag<>() {};

  private final boolean dedupe;
  private final int buckets;
  private final long sortMemoryBytes;

  public DedupeTransform(boolean dedupe, int buckets, long sortMemoryBytes) {
    this.dedupe = dedupe;
    this.buckets = Math.max(1, buckets);
    this.sortMemoryBytes = sortMemoryBytes;
  }

  @Override
  public PCollectionTuple expand(PCollection<CleanDocument> docs) {
    int n = buckets;
    return docs.apply(
            "ByHashBucket",
            MapElements.into(
                    TypeDescriptors.kvs(
                        TypeDescriptors.integers(), TypeDescriptor.of(CleanDocument.class)))
                .via(d -> KV.of(bucketOf(d.sha256(), n), d)))
        .apply("GroupBuckets", GroupByKey.create())
        .apply(
            "KeepOne",
            ParDo.of(new KeepOneFn(dedupe, sortMemoryBytes))
                .withOutputTags(UNIQUE, TupleTagList.of(STATS)));
  }

  /** The bucket of a content hash: its bits 64-95, so it is independent of the split's bits. */
  static int bucketOf(String sha256, int buckets) {
    return (int) Math.floorMod(Long.parseLong(sha256.substring(16, 24), 16), (long) buckets);
  }

  /** Sorts one bucket by content hash and passes on the first copy of each document. */
  static class KeepOneFn extends DoFn<KV<Integer, Iterable<CleanDocument>>, CleanDocument> {
    private final Counter duplicates = Metrics.counter(CleaningEvents.NAMESPACE, "duplicate");
    private final boolean dedupe;
    private final long sortMemoryBytes;

    KeepOneFn(boolean dedupe, long sortMemoryBytes) {
      this.dedupe = dedupe;
      this.sortMemoryBytes = sortMemoryBytes;
    }

    @ProcessElement
    public void process(
        @Element KV<Integer, Iterable<CleanDocument>> bucket, MultiOutputReceiver out)
        throws IOException {
      if (!dedupe) {
        bucket.getValue().forEach(d -> out.get(UNIQUE).output(d));
        return;
      }
      long dropped = 0;
      try (SpillingSorter sorter = SpillingSorter.inTempDir(sortMemoryBytes)) {
        for (CleanDocument d : bucket.getValue()) {
          sorter.add(
              d.sha256().getBytes(StandardCharsets.US_ASCII),
              CoderUtils.encodeToByteArray(CleanDocument.Coder.of(), d));
        }
        byte[] previous = null;
        for (Iterator<SpillingSorter.Entry> it = sorter.sorted(); it.hasNext(); ) {
          SpillingSorter.Entry e = it.next();
          if (previous != null && Arrays.equals(previous, e.key())) {
            dropped++;
            continue;
          }
          previous = e.key();
          out.get(UNIQUE)
              .output(CoderUtils.decodeFromByteArray(CleanDocument.Coder.of(), e.value()));
        }
      }
      if (dropped > 0) {
        duplicates.inc(dropped);
        out.get(STATS).output(KV.of(CleaningEvent.DUPLICATE.key(), dropped));
      }
    }
  }
}
