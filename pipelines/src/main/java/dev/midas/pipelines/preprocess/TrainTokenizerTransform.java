package dev.midas.pipelines.preprocess;

import dev.midas.pipelines.tokenizer.BpeModel;
import dev.midas.pipelines.tokenizer.BpeTrainer;
import dev.midas.pipelines.tokenizer.PreTokenizer;
import dev.midas.pipelines.tokenizer.TokenizerJson;
import java.io.Serializable;
import java.util.Comparator;
import java.util.HashMap;
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
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains the byte-level BPE tokenizer: pre-tokens are counted in Beam (per document, then merged in
 * {@value #BUCKETS} hash buckets in parallel), streamed to one worker that keeps the {@code
 * maxWords} most frequent, and the merges are learned from those counts. Out comes the {@code
 * tokenizer.json} text, once.
 */
public class TrainTokenizerTransform
    extends PTransform<PCollection<CleanDocument>, PCollection<String>> {
  // Few keys on purpose: a key per word costs the DirectRunner a bundle per word.
  static final int BUCKETS = 16;
  static final Coder<Map<String, Long>> COUNTS =
      MapCoder.of(StringUtf8Coder.of(), VarLongCoder.of());

  private final int vocabSize;
  private final int maxWords;
  private final int minPairCount;

  public TrainTokenizerTransform(int vocabSize, int maxWords, int minPairCount) {
    if (vocabSize < BpeTrainer.BASE_VOCAB) {
      throw new IllegalArgumentException(
          "vocabSize " + vocabSize + " is below " + BpeTrainer.BASE_VOCAB + " (EOS + 256 bytes)");
    }
    this.vocabSize = vocabSize;
    this.maxWords = maxWords;
    this.minPairCount = minPairCount;
  }

  @Override
  public PCollection<String> expand(PCollection<CleanDocument> docs) {
    return docs.apply("PreTokenize", ParDo.of(new PreTokenizeFn()))
        .setCoder(KvCoder.of(VarIntCoder.of(), COUNTS))
        .apply("MergeCounts", Combine.perKey(new MergeCountsFn()))
        .apply("Counts", Values.create())
        .apply("OneGroup", WithKeys.of("all"))
        .apply("Gather", GroupByKey.create())
        .apply("LearnMerges", ParDo.of(new LearnMergesFn(vocabSize, maxWords, minPairCount)));
  }

  /**
   * Counts pre-tokens across a whole bundle and emits one map per bucket when the bundle ends (or
   * when the bundle's maps grow past {@value #FLUSH_WORDS} words), so the shuffle carries a few
   * maps instead of one element per word occurrence.
   */
  static class PreTokenizeFn extends DoFn<CleanDocument, KV<Integer, Map<String, Long>>> {
    static final int FLUSH_WORDS = 200_000;
    private transient Map<String, Long>[] buckets;
    private transient int words;

    @StartBundle
    public void startBundle() {
      reset();
    }

    @ProcessElement
    public void process(
        @Element CleanDocument doc, OutputReceiver<KV<Integer, Map<String, Long>>> out) {
      PreTokenizer.split(
          doc.text(),
          t -> {
            if (buckets[Math.floorMod(t.hashCode(), BUCKETS)].merge(t, 1L, Long::sum) == 1L) {
              words++;
            }
          });
      if (words > FLUSH_WORDS) {
        for (int b = 0; b < BUCKETS; b++) {
          out.output(KV.of(b, buckets[b]));
        }
        reset();
      }
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext c) {
      for (int b = 0; b < BUCKETS; b++) {
        if (!buckets[b].isEmpty()) {
          c.output(
              KV.of(b, buckets[b]), GlobalWindow.INSTANCE.maxTimestamp(), GlobalWindow.INSTANCE);
        }
      }
      reset();
    }

    @SuppressWarnings("unchecked")
    private void reset() {
      buckets = new Map[BUCKETS];
      for (int b = 0; b < BUCKETS; b++) {
        buckets[b] = new HashMap<>();
      }
      words = 0;
    }
  }

  /** Sums the counts of one bucket's words. */
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
      Map<String, Long> merged = new HashMap<>();
      for (Map<String, Long> a : accumulators) {
        a.forEach((k, v) -> merged.merge(k, v, Long::sum));
      }
      return merged;
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

  /** Higher count first; among equal counts the smaller word, so the cut is deterministic. */
  static class ByCountThenWord implements Comparator<Map.Entry<String, Long>>, Serializable {
    @Override
    public int compare(Map.Entry<String, Long> a, Map.Entry<String, Long> b) {
      int byCount = Long.compare(a.getValue(), b.getValue());
      return byCount != 0 ? byCount : b.getKey().compareTo(a.getKey());
    }
  }

  /**
   * Keeps the {@code maxWords} most frequent pre-tokens in a bounded heap while streaming over all
   * buckets, learns the merges on this one worker and emits the tokenizer.json text.
   */
  static class LearnMergesFn extends DoFn<KV<String, Iterable<Map<String, Long>>>, String> {
    private static final Logger LOG = LoggerFactory.getLogger(LearnMergesFn.class);
    private final Counter merges = Metrics.counter(LearnMergesFn.class, "merges");
    private final int vocabSize;
    private final int maxWords;
    private final int minPairCount;

    LearnMergesFn(int vocabSize, int maxWords, int minPairCount) {
      this.vocabSize = vocabSize;
      this.maxWords = maxWords;
      this.minPairCount = minPairCount;
    }

    @ProcessElement
    public void process(
        @Element KV<String, Iterable<Map<String, Long>>> all, OutputReceiver<String> out) {
      ByCountThenWord order = new ByCountThenWord();
      PriorityQueue<Map.Entry<String, Long>> kept =
          new PriorityQueue<>(order); // least wanted first
      for (Map<String, Long> bucket : all.getValue()) {
        for (Map.Entry<String, Long> w : bucket.entrySet()) {
          if (kept.size() < maxWords) {
            kept.add(Map.entry(w.getKey(), w.getValue()));
          } else if (order.compare(w, kept.peek()) > 0) {
            kept.poll();
            kept.add(Map.entry(w.getKey(), w.getValue()));
          }
        }
      }
      Map<String, Long> counts = new HashMap<>();
      for (Map.Entry<String, Long> w : kept) {
        counts.put(w.getKey(), w.getValue());
      }
      long start = System.nanoTime();
      BpeModel model = BpeTrainer.train(counts, vocabSize, minPairCount, BpeModel.DEFAULT_EOS);
      merges.inc(model.merges().size());
      LOG.info(
          "tokenizer: {} merges from {} distinct pre-tokens in {} ms (vocabulary {})",
          model.merges().size(),
          counts.size(),
          (System.nanoTime() - start) / 1_000_000,
          model.vocabSize());
      out.output(TokenizerJson.write(model));
    }
  }
}
