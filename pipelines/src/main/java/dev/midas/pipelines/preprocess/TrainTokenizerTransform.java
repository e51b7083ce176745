package dev.midas.pipelines.preprocess;

import dev.midas.pipelines.dataset.StableHash;
import dev.midas.pipelines.tokenizer.BpeModel;
import dev.midas.pipelines.tokenizer.BpeTrainer;
import dev.midas.pipelines.tokenizer.PreTokenizer;
import dev.midas.pipelines.tokenizer.TokenizerJson;
import java.io.Serializable;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.MapCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Top;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains the byte-level BPE tokenizer without a single-key funnel. Pre-tokens are counted keyed by
 * the pre-token's hash bucket ({@code countBuckets} of them, growing with the input): each worker
 * sums its own counts per bucket before the shuffle (combiner lifting), the totals of a bucket meet
 * on one worker, which prunes the pre-tokens under {@code minCount} and keeps its {@code maxWords}
 * most frequent; Beam's {@code Top} then keeps the {@code maxWords} most frequent overall with a
 * bounded heap per worker before one merge. So the buckets spread over all workers and no task
 * holds more than one bucket's counts or the kept vocabulary. Buckets rather than one key per
 * pre-token because the DirectRunner pays a bundle for every key (about 5 ms: minutes for the
 * hundreds of thousands of pre-tokens of a mid-sized corpus). With {@code sample} below 1 only that
 * fraction of the documents (chosen by a seeded hash of their content) is counted; every document
 * is still tokenized.
 *
 * <p>Outputs {@link #TOKENIZER} (the {@code tokenizer.json} text, once) and {@link #STATS}: {@value
 * #DISTINCT}, {@value #CANDIDATES} (at or over the minimum count), {@value #TRAINED} and {@value
 * #SAMPLED}.
 */
public class TrainTokenizerTransform
    extends PTransform<PCollection<CleanDocument>, PCollectionTuple> {
  public static final TupleTag<String> TOKENIZER = new TupleTag<>() {};
  public static final TupleTag<KV<String, Long>> STATS = new TupleTag<>() {};
  public static final String DISTINCT = "tokenizer.pretokens_distinct";
  public static final String CANDIDATES = "tokenizer.pretokens_at_min_count";
  public static final String TRAINED = "tokenizer.pretokens_trained";
  public static final String SAMPLED = "tokenizer.documents_counted";
  static final TupleTag<KV<String, Long>> KEPT = new TupleTag<>() {};
  static final Coder<Map<String, Long>> COUNTS =
      MapCoder.of(StringUtf8Coder.of(), VarLongCoder.of());

  private final int vocabSize;
  private final int maxWords;
  private final int minPairCount;
  private final long minCount;
  private final double sample;
  private final long seed;
  private final int countBuckets;

  /**
   * @param minCount pre-tokens seen fewer times are not trained on
   * @param sample fraction of documents counted, in (0, 1]
   * @param countBuckets how many keys the counts are spread over (the result does not depend on it)
   */
  public TrainTokenizerTransform(
      int vocabSize,
      int maxWords,
      int minPairCount,
      long minCount,
      double sample,
      long seed,
      int countBuckets) {
    if (vocabSize < BpeTrainer.BASE_VOCAB) {
      throw new IllegalArgumentException(
          "vocabSize " + vocabSize + " is below " + BpeTrainer.BASE_VOCAB + " (EOS + 256 bytes)");
    }
    if (!(sample > 0 && sample <= 1)) {
      throw new IllegalArgumentException("--tokenizerSample " + sample + " must be in (0, 1]");
    }
    if (maxWords < 1) {
      throw new IllegalArgumentException("--tokenizerMaxWords " + maxWords + " must be >= 1");
    }
    this.vocabSize = vocabSize;
    this.maxWords = maxWords;
    this.minPairCount = minPairCount;
    this.minCount = minCount;
    this.sample = sample;
    this.seed = seed;
    this.countBuckets = Math.max(1, countBuckets);
  }

  /** Whether a document (by content hash) is in the tokenizer's sample. */
  static boolean sampled(long seed, String sha256, double sample) {
    return sample >= 1
        || (StableHash.of(seed, "tokenizer-sample", sha256) >>> 11) * 0x1.0p-53 < sample;
  }

  @Override
  public PCollectionTuple expand(PCollection<CleanDocument> docs) {
    double fraction = sample;
    long s = seed;
    PCollection<CleanDocument> counted =
        docs.apply("Sample", Filter.by(d -> sampled(s, d.sha256(), fraction)));
    PCollectionTuple pruned =
        counted
            .apply("PreTokenize", ParDo.of(new PreTokenizeFn(countBuckets)))
            .setCoder(KvCoder.of(VarIntCoder.of(), COUNTS))
            .apply("SumByBucket", Combine.perKey(new MergeCountsFn()))
            .apply(
                "Prune",
                ParDo.of(new PruneFn(minCount, maxWords))
                    .withOutputTags(KEPT, TupleTagList.of(STATS)));
    PCollection<List<KV<String, Long>>> top =
        pruned.get(KEPT).apply("TopN", Top.of(maxWords, new ByCountThenWord()));
    PCollection<String> json =
        top.apply("LearnMerges", ParDo.of(new LearnMergesFn(vocabSize, minPairCount)));
    PCollection<KV<String, Long>> stats =
        PCollectionList.of(pruned.get(STATS))
            .and(count(counted, "CountSampled", SAMPLED))
            .and(
                top.apply(
                    "CountTrained",
                    MapElements.into(
                            TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.longs()))
                        .via(words -> KV.of(TRAINED, (long) words.size()))))
            .apply("TokenizerStats", Flatten.pCollections());
    return PCollectionTuple.of(TOKENIZER, json).and(STATS, stats);
  }

  private static <T> PCollection<KV<String, Long>> count(
      PCollection<T> items, String name, String key) {
    return items
        .apply(name, Count.globally())
        .apply(
            name + "Stat",
            MapElements.into(
                    TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.longs()))
                .via(n -> KV.of(key, n)));
  }

  /**
   * Counts pre-tokens over a bundle in a bounded map and emits them as one map per bucket when the
   * bundle ends or the map passes {@value #FLUSH_WORDS} words: the first level of the combine, far
   * fewer and smaller elements than one per occurrence.
   */
  static class PreTokenizeFn extends DoFn<CleanDocument, KV<Integer, Map<String, Long>>> {
    static final int FLUSH_WORDS = 100_000;
    private final int buckets;
    private transient Map<String, Long> counts;

    PreTokenizeFn(int buckets) {
      this.buckets = buckets;
    }

    static int bucketOf(String preToken, int buckets) {
      return Math.floorMod(preToken.hashCode() * 0x9E3779B1, buckets);
    }

    @StartBundle
    public void startBundle() {
      counts = new HashMap<>();
    }

    @ProcessElement
    public void process(
        @Element CleanDocument doc, OutputReceiver<KV<Integer, Map<String, Long>>> out) {
      PreTokenizer.split(doc.text(), t -> counts.merge(t, 1L, Long::sum));
      if (counts.size() > FLUSH_WORDS) {
        flush(kv -> out.output(kv));
      }
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext c) {
      flush(kv -> c.output(kv, GlobalWindow.INSTANCE.maxTimestamp(), GlobalWindow.INSTANCE));
    }

    private void flush(java.util.function.Consumer<KV<Integer, Map<String, Long>>> out) {
      Map<Integer, Map<String, Long>> byBucket = new HashMap<>();
      counts.forEach(
          (w, n) -> byBucket.computeIfAbsent(bucketOf(w, buckets), b -> new HashMap<>()).put(w, n));
      byBucket.forEach((b, m) -> out.accept(KV.of(b, m)));
      counts = new HashMap<>();
    }
  }

  /** Sums one bucket's counts, merging into the first accumulator instead of copying maps. */
  static class MergeCountsFn
      extends Combine.CombineFn<Map<String, Long>, Map<String, Long>, Map<String, Long>> {
    @Override
    public Map<String, Long> createAccumulator() {
      return new HashMap<>();
    }

    @Override
    public Map<String, Long> addInput(Map<String, Long> acc, Map<String, Long> input) {
      input.forEach((k, v) -> acc.merge(k, v, Long::sum));
      return acc;
    }

    @Override
    public Map<String, Long> mergeAccumulators(Iterable<Map<String, Long>> accumulators) {
      Map<String, Long> merged = null;
      for (Map<String, Long> a : accumulators) {
        if (merged == null) {
          merged = a;
        } else {
          for (Map.Entry<String, Long> e : a.entrySet()) {
            merged.merge(e.getKey(), e.getValue(), Long::sum);
          }
        }
      }
      return merged == null ? new HashMap<>() : merged;
    }

    @Override
    public Map<String, Long> extractOutput(Map<String, Long> acc) {
      return acc;
    }

    @Override
    public Coder<Map<String, Long>> getAccumulatorCoder(
        CoderRegistry registry, Coder<Map<String, Long>> inputCoder) {
      return COUNTS;
    }

    @Override
    public Coder<Map<String, Long>> getDefaultOutputCoder(
        CoderRegistry registry, Coder<Map<String, Long>> inputCoder) {
      return COUNTS;
    }
  }

  /**
   * One bucket's totals: counts its distinct pre-tokens, drops those under the minimum count and
   * passes on at most {@code maxWords} of the rest (its most frequent), which is all the global top
   * can use from it.
   */
  static class PruneFn extends DoFn<KV<Integer, Map<String, Long>>, KV<String, Long>> {
    private final Counter distinct = Metrics.counter(PruneFn.class, "pretokens_distinct");
    private final Counter underMin = Metrics.counter(PruneFn.class, "pretokens_under_min_count");
    private final long minCount;
    private final int maxWords;

    PruneFn(long minCount, int maxWords) {
      this.minCount = minCount;
      this.maxWords = maxWords;
    }

    @ProcessElement
    public void process(@Element KV<Integer, Map<String, Long>> bucket, MultiOutputReceiver out) {
      ByCountThenWord order = new ByCountThenWord();
      PriorityQueue<KV<String, Long>> kept = new PriorityQueue<>(order); // least wanted first
      long candidates = 0;
      for (Map.Entry<String, Long> w : bucket.getValue().entrySet()) {
        if (w.getValue() < minCount) {
          continue;
        }
        candidates++;
        KV<String, Long> kv = KV.of(w.getKey(), w.getValue());
        if (kept.size() < maxWords) {
          kept.add(kv);
        } else if (order.compare(kv, kept.peek()) > 0) {
          kept.poll();
          kept.add(kv);
        }
      }
      long all = bucket.getValue().size();
      distinct.inc(all);
      underMin.inc(all - candidates);
      kept.forEach(kv -> out.get(KEPT).output(kv));
      out.get(STATS).output(KV.of(DISTINCT, all));
      out.get(STATS).output(KV.of(CANDIDATES, candidates));
    }
  }

  /** Higher count first; among equal counts the smaller word, so the cut is deterministic. */
  static class ByCountThenWord implements Comparator<KV<String, Long>>, Serializable {
    @Override
    public int compare(KV<String, Long> a, KV<String, Long> b) {
      int byCount = Long.compare(a.getValue(), b.getValue());
      return byCount != 0 ? byCount : b.getKey().compareTo(a.getKey());
    }
  }

  /** Learns the merges from the kept pre-token counts and emits the tokenizer.json text. */
  static class LearnMergesFn extends DoFn<List<KV<String, Long>>, String> {
    private static final Logger LOG = LoggerFactory.getLogger(LearnMergesFn.class);
    private final Counter merges = Metrics.counter(LearnMergesFn.class, "merges");
    private final int vocabSize;
    private final int minPairCount;

    LearnMergesFn(int vocabSize, int minPairCount) {
      this.vocabSize = vocabSize;
      this.minPairCount = minPairCount;
    }

    @ProcessElement
    public void process(@Element List<KV<String, Long>> kept, OutputReceiver<String> out) {
      Map<String, Long> counts = new HashMap<>(kept.size() * 2);
      for (KV<String, Long> w : kept) {
        counts.put(w.getKey(), w.getValue());
      }
      long start = System.nanoTime();
      BpeModel model = BpeTrainer.train(counts, vocabSize, minPairCount, BpeModel.DEFAULT_EOS);
      merges.inc(model.merges().size());
      LOG.info(
          "tokenizer: {} merges from {} pre-tokens in {} ms (vocabulary {})",
          model.merges().size(),
          counts.size(),
          (System.nanoTime() - start) / 1_000_000,
          model.vocabSize());
      out.output(TokenizerJson.write(model));
    }
  }
}
