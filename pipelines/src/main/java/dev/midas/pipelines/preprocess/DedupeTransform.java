package dev.midas.pipelines.preprocess;

import dev.midas.pipelines.corpus.CleaningEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Keeps one copy of each distinct document (by content hash) and counts the rest as {@code
 * duplicate}, before the tokenizer is trained on them. The grouping by hash is also the
 * redistribution after reading: documents leave it spread over every worker by hash, whatever file
 * or range they came from. Copies are combined where they are read first (combiner lifting), so a
 * duplicate crosses the network at most once per worker. With {@code dedupe} off the documents are
 * only redistributed.
 */
public class DedupeTransform extends PTransform<PCollection<CleanDocument>, PCollectionTuple> {
  public static final TupleTag<CleanDocument> UNIQUE = new TupleTag<>() {};
  public static final TupleTag<KV<String, Long>> STATS = new TupleTag<>() {};

  private final boolean dedupe;

  public DedupeTransform(boolean dedupe) {
    this.dedupe = dedupe;
  }

  @Override
  public PCollectionTuple expand(PCollection<CleanDocument> docs) {
    if (!dedupe) {
      PCollection<CleanDocument> spread = docs.apply("Spread", Reshuffle.viaRandomKey());
      return PCollectionTuple.of(UNIQUE, spread)
          .and(
              STATS,
              docs.getPipeline()
                  .apply(
                      "NoDuplicates",
                      Create.empty(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()))));
    }
    return docs.apply(
            "ByHash",
            MapElements.into(
                    TypeDescriptors.kvs(
                        TypeDescriptors.strings(), TypeDescriptor.of(CleanDocument.class)))
                .via(d -> KV.of(d.sha256(), d)))
        .apply("KeepOne", Combine.perKey(new KeepOneFn()))
        .apply("Unique", ParDo.of(new EmitFn()).withOutputTags(UNIQUE, TupleTagList.of(STATS)));
  }

  /** A document and how many copies of it were seen. */
  record Copies(CleanDocument doc, long copies) {}

  /** Keeps the first copy; all copies are the same text, so which one is kept does not matter. */
  static class KeepOneFn extends Combine.CombineFn<CleanDocument, Copies, Copies> {
    @Override
    public Copies createAccumulator() {
      return new Copies(null, 0);
    }

    @Override
    public Copies addInput(Copies acc, CleanDocument doc) {
      return new Copies(acc.doc() == null ? doc : acc.doc(), acc.copies() + 1);
    }

    @Override
    public Copies mergeAccumulators(Iterable<Copies> accs) {
      CleanDocument doc = null;
      long copies = 0;
      for (Copies a : accs) {
        if (doc == null) {
          doc = a.doc();
        }
        copies += a.copies();
      }
      return new Copies(doc, copies);
    }

    @Override
    public Copies extractOutput(Copies acc) {
      return acc;
    }

    @Override
    public Coder<Copies> getAccumulatorCoder(CoderRegistry r, Coder<CleanDocument> in) {
      return new CopiesCoder();
    }

    @Override
    public Coder<Copies> getDefaultOutputCoder(CoderRegistry r, Coder<CleanDocument> in) {
      return new CopiesCoder();
    }
  }

  /** Emits the kept copy and counts the dropped ones. */
  static class EmitFn extends DoFn<KV<String, Copies>, CleanDocument> {
    private final Counter duplicates = Metrics.counter(CleaningEvents.NAMESPACE, "duplicate");

    @ProcessElement
    public void process(@Element KV<String, Copies> doc, MultiOutputReceiver out) {
      out.get(UNIQUE).output(doc.getValue().doc());
      long dropped = doc.getValue().copies() - 1;
      if (dropped > 0) {
        duplicates.inc(dropped);
        out.get(STATS).output(KV.of(CleaningEvent.DUPLICATE.key(), dropped));
      }
    }
  }

  /** A flag for the empty accumulator, the document, the count. */
  static class CopiesCoder extends CustomCoder<Copies> {
    @Override
    public void encode(Copies c, OutputStream out) throws IOException {
      out.write(c.doc() == null ? 0 : 1);
      if (c.doc() != null) {
        CleanDocument.Coder.of().encode(c.doc(), out);
      }
      VarLongCoder.of().encode(c.copies(), out);
    }

    @Override
    public Copies decode(InputStream in) throws IOException {
      CleanDocument doc = in.read() == 1 ? CleanDocument.Coder.of().decode(in) : null;
      return new Copies(doc, VarLongCoder.of().decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
