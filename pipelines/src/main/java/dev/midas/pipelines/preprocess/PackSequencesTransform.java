package dev.midas.pipelines.preprocess;

import dev.midas.pipelines.corpus.CleaningEvent;
import dev.midas.pipelines.dataset.StableHash;
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
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Joins documents (each already ending in the end-of-text token) into one stream per bucket and
 * cuts it into windows of {@code seqLen + 1} tokens. Documents go to buckets by a seeded hash and
 * are ordered inside a bucket by another, so the packing is random but identical on every runner;
 * exact duplicates meet in the same bucket and are dropped there. The tokens left over at the end
 * of a bucket (less than one window) are counted, not written.
 */
public class PackSequencesTransform
    extends PTransform<PCollection<TokenizedDocument>, PCollectionTuple> {
  public static final TupleTag<PackedSequence> SEQUENCES = new TupleTag<>() {};

  /** Counts by key: {@code <split>.documents}, {@code <split>.sequences}, drop reasons. */
  public static final TupleTag<KV<String, Long>> STATS = new TupleTag<>() {};

  public static final String TAIL_TOKENS = "tail_tokens";

  private final int seqLen;
  private final long seed;
  private final long shardTokens;
  private final boolean dedupe;
  private final PCollectionView<Map<String, Long>> splitTokens;

  public PackSequencesTransform(
      int seqLen,
      long seed,
      long shardTokens,
      boolean dedupe,
      PCollectionView<Map<String, Long>> splitTokens) {
    if (seqLen < 1) {
      throw new IllegalArgumentException("seqLen " + seqLen + " must be >= 1");
    }
    this.seqLen = seqLen;
    this.seed = seed;
    this.shardTokens = shardTokens;
    this.dedupe = dedupe;
    this.splitTokens = splitTokens;
  }

  @Override
  public PCollectionTuple expand(PCollection<TokenizedDocument> docs) {
    return docs.apply(
            "AssignBucket",
            ParDo.of(new AssignBucketFn(seed, shardTokens, splitTokens))
                .withSideInputs(splitTokens))
        .apply("GroupBuckets", GroupByKey.create())
        .apply(
            "Pack",
            ParDo.of(new PackFn(seqLen, seed, dedupe))
                .withOutputTags(SEQUENCES, TupleTagList.of(STATS)));
  }

  /** Keys a document by {@code <split>/<bucket>}; a split has as many buckets as shards. */
  static class AssignBucketFn extends DoFn<TokenizedDocument, KV<String, TokenizedDocument>> {
    private final long seed;
    private final long shardTokens;
    private final PCollectionView<Map<String, Long>> splitTokens;

    AssignBucketFn(long seed, long shardTokens, PCollectionView<Map<String, Long>> splitTokens) {
      this.seed = seed;
      this.shardTokens = shardTokens;
      this.splitTokens = splitTokens;
    }

    @ProcessElement
    public void process(
        @Element TokenizedDocument doc,
        ProcessContext c,
        OutputReceiver<KV<String, TokenizedDocument>> out) {
      int buckets = Splits.shards(c.sideInput(splitTokens).get(doc.split()), shardTokens);
      long bucket = Math.floorMod(StableHash.of(seed, "bucket", doc.sha256()), buckets);
      out.output(KV.of(doc.split() + "/" + bucket, doc));
    }
  }

  /** Orders, de-duplicates, joins and cuts one bucket. */
  static class PackFn extends DoFn<KV<String, Iterable<TokenizedDocument>>, PackedSequence> {
    private final Counter duplicates = Metrics.counter(CleaningEvents.NAMESPACE, "duplicate");
    private final Counter sequences = Metrics.counter(PackFn.class, "sequences");
    private final int seqLen;
    private final long seed;
    private final boolean dedupe;

    PackFn(int seqLen, long seed, boolean dedupe) {
      this.seqLen = seqLen;
      this.seed = seed;
      this.dedupe = dedupe;
    }

    private record Keyed(long key, TokenizedDocument doc) {}

    @ProcessElement
    public void process(
        @Element KV<String, Iterable<TokenizedDocument>> bucket, MultiOutputReceiver out) {
      String split = bucket.getKey().substring(0, bucket.getKey().indexOf('/'));
      List<Keyed> docs = new ArrayList<>();
      for (TokenizedDocument d : bucket.getValue()) {
        docs.add(new Keyed(StableHash.of(seed, "order", d.sha256()), d));
      }
      docs.sort(Comparator.comparingLong(Keyed::key).thenComparing(k -> k.doc().sha256()));
      int[] stream = new int[1024];
      int length = 0;
      long kept = 0;
      long dropped = 0;
      String previous = null;
      for (Keyed k : docs) {
        if (dedupe && k.doc().sha256().equals(previous)) {
          dropped++;
          continue;
        }
        previous = k.doc().sha256();
        int[] t = k.doc().tokens();
        if (length + t.length > stream.length) {
          stream = Arrays.copyOf(stream, Math.max(stream.length * 2, length + t.length));
        }
        System.arraycopy(t, 0, stream, length, t.length);
        length += t.length;
        kept++;
      }
      int window = seqLen + 1;
      int windows = length / window;
      for (int i = 0; i < windows; i++) {
        long key = StableHash.of(seed, "window", bucket.getKey(), i);
        int[] tokens = Arrays.copyOfRange(stream, i * window, (i + 1) * window);
        out.get(SEQUENCES).output(new PackedSequence(split, key, tokens));
      }
      sequences.inc(windows);
      duplicates.inc(dropped);
      out.get(STATS).output(KV.of(split + ".documents", kept));
      out.get(STATS).output(KV.of(split + ".sequences", (long) windows));
      out.get(STATS).output(KV.of(CleaningEvent.DUPLICATE.key(), dropped));
      out.get(STATS).output(KV.of(TAIL_TOKENS, (long) (length - windows * window)));
    }
  }
}
