package dev.midas.pipelines.preprocess;

import dev.midas.pipelines.dataset.StableHash;
import dev.midas.pipelines.sorting.SpillingSorter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Joins documents (each already ending in the end-of-text token) into one stream per bucket and
 * cuts it into windows of {@code seqLen + 1} tokens. Documents go to buckets by a seeded hash and
 * are ordered inside a bucket by another, so the packing is random but identical on every runner. A
 * bucket is sorted in bounded memory (spilling past {@code sortMemoryBytes}) and streamed into
 * windows, so no task holds a bucket. The tokens left over at the end of a bucket (less than one
 * window) are counted, not written.
 */
public class PackSequencesTransform
    extends PTransform<PCollection<TokenizedDocument>, PCollectionTuple> {
  public static final TupleTag<PackedSequence> SEQUENCES = new TupleTag<>() {};

  /**
   * Counts by key: {@code <split>.documents}, {@code <split>.sequences}, {@value #TAIL_TOKENS},
   * {@value #BUCKETS} and the smallest and largest bucket in tokens.
   */
  public static final TupleTag<KV<String, Long>> STATS = new TupleTag<>() {};

  public static final String TAIL_TOKENS = "tail_tokens";
  public static final String BUCKETS = "pack.buckets";
  public static final String BUCKET_TOKENS_MIN = "pack.bucket_tokens.min";
  public static final String BUCKET_TOKENS_MAX = "pack.bucket_tokens.max";

  private final int seqLen;
  private final long seed;
  private final Sizing sizing;
  private final long sortMemoryBytes;

  public PackSequencesTransform(int seqLen, long seed, Sizing sizing, long sortMemoryBytes) {
    if (seqLen < 1) {
      throw new IllegalArgumentException("seqLen " + seqLen + " must be >= 1");
    }
    this.seqLen = seqLen;
    this.seed = seed;
    this.sizing = sizing;
    this.sortMemoryBytes = sortMemoryBytes;
  }

  @Override
  public PCollectionTuple expand(PCollection<TokenizedDocument> docs) {
    return docs.apply("AssignBucket", ParDo.of(new AssignBucketFn(seed, sizing)))
        .apply("GroupBuckets", GroupByKey.create())
        .apply(
            "Pack",
            ParDo.of(new PackFn(seqLen, seed, sortMemoryBytes))
                .withOutputTags(SEQUENCES, TupleTagList.of(STATS)));
  }

  /** Keys a document by {@code <split>/<bucket>}. */
  static class AssignBucketFn extends DoFn<TokenizedDocument, KV<String, TokenizedDocument>> {
    private final long seed;
    private final Sizing sizing;

    AssignBucketFn(long seed, Sizing sizing) {
      this.seed = seed;
      this.sizing = sizing;
    }

    @ProcessElement
    public void process(
        @Element TokenizedDocument doc, OutputReceiver<KV<String, TokenizedDocument>> out) {
      long bucket =
          Math.floorMod(StableHash.of(seed, "bucket", doc.sha256()), sizing.buckets(doc.split()));
      out.output(KV.of(doc.split() + "/" + bucket, doc));
    }
  }

  /** Orders, joins and cuts one bucket. */
  static class PackFn extends DoFn<KV<String, Iterable<TokenizedDocument>>, PackedSequence> {
    private final Counter sequences = Metrics.counter(PackFn.class, "sequences");
    private final Counter spilled = Metrics.counter(PackFn.class, "buckets_spilled");
    private final Distribution bucketTokens = Metrics.distribution(PackFn.class, "bucket_tokens");
    private final int seqLen;
    private final long seed;
    private final long sortMemoryBytes;

    PackFn(int seqLen, long seed, long sortMemoryBytes) {
      this.seqLen = seqLen;
      this.seed = seed;
      this.sortMemoryBytes = sortMemoryBytes;
    }

    @ProcessElement
    public void process(
        @Element KV<String, Iterable<TokenizedDocument>> bucket, MultiOutputReceiver out)
        throws IOException {
      String split = bucket.getKey().substring(0, bucket.getKey().indexOf('/'));
      int window = seqLen + 1;
      int[] current = new int[window];
      int filled = 0;
      long documents = 0;
      long windows = 0;
      long tokens = 0;
      try (SpillingSorter sorter = SpillingSorter.inTempDir(sortMemoryBytes)) {
        for (TokenizedDocument d : bucket.getValue()) {
          sorter.add(
              orderKey(d.sha256()), CoderUtils.encodeToByteArray(IntArrayCoder.of(), d.tokens()));
        }
        if (sorter.runs() > 0) {
          spilled.inc();
        }
        for (Iterator<SpillingSorter.Entry> it = sorter.sorted(); it.hasNext(); ) {
          int[] t = CoderUtils.decodeFromByteArray(IntArrayCoder.of(), it.next().value());
          documents++;
          tokens += t.length;
          for (int from = 0; from < t.length; ) {
            int n = Math.min(window - filled, t.length - from);
            System.arraycopy(t, from, current, filled, n);
            filled += n;
            from += n;
            if (filled == window) {
              long key = StableHash.of(seed, "window", bucket.getKey(), windows);
              out.get(SEQUENCES)
                  .output(new PackedSequence(split, key, Arrays.copyOf(current, window)));
              windows++;
              filled = 0;
            }
          }
        }
      }
      sequences.inc(windows);
      bucketTokens.update(tokens);
      out.get(STATS).output(KV.of(split + ".documents", documents));
      out.get(STATS).output(KV.of(split + ".sequences", windows));
      out.get(STATS).output(KV.of(TAIL_TOKENS, (long) filled));
      out.get(STATS).output(KV.of(BUCKETS, 1L));
      out.get(STATS).output(KV.of(BUCKET_TOKENS_MIN, tokens));
      out.get(STATS).output(KV.of(BUCKET_TOKENS_MAX, tokens));
    }

    /** The seeded order inside a bucket, then the content hash: unique per distinct document. */
    private byte[] orderKey(String sha256) {
      byte[] sha = sha256.getBytes(StandardCharsets.US_ASCII);
      return ByteBuffer.allocate(8 + sha.length)
          .putLong(StableHash.of(seed, "order", sha256))
          .put(sha)
          .array();
    }
  }
}
