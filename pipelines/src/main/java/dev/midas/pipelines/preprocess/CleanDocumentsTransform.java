package dev.midas.pipelines.preprocess;

import dev.midas.pipelines.corpus.CleaningEvent;
import dev.midas.pipelines.corpus.CleaningPolicy;
import dev.midas.pipelines.corpus.DocumentCleaner;
import dev.midas.pipelines.dataset.Sha256;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Raw documents in, clean NFC text out, each assigned to a split by its content hash. Binary
 * content, invalid UTF-8, bad JSON and blank documents are dropped or repaired by the {@link
 * CleaningPolicy} and reported on {@link #EVENTS}.
 */
public class CleanDocumentsTransform extends PTransform<PCollection<byte[]>, PCollectionTuple> {
  public static final TupleTag<CleanDocument> CLEAN = new TupleTag<>() {};
  public static final TupleTag<String> EVENTS = new TupleTag<>() {};

  private final CleaningPolicy policy;
  private final double validationFraction;

  public CleanDocumentsTransform(CleaningPolicy policy, double validationFraction) {
    if (!(validationFraction >= 0 && validationFraction < 1)) {
      throw new IllegalArgumentException(
          "validationFraction " + validationFraction + " must be in [0, 1)");
    }
    this.policy = policy;
    this.validationFraction = validationFraction;
  }

  @Override
  public PCollectionTuple expand(PCollection<byte[]> raw) {
    return raw.apply(
        "Clean",
        ParDo.of(new CleanDocumentsFn(policy, validationFraction))
            .withOutputTags(CLEAN, TupleTagList.of(EVENTS)));
  }

  /** Cleans one document. */
  static class CleanDocumentsFn extends DoFn<byte[], CleanDocument> {
    private final Counter kept = Metrics.counter(CleanDocumentsFn.class, "documents_kept");
    private final DocumentCleaner cleaner;
    private final double validationFraction;

    CleanDocumentsFn(CleaningPolicy policy, double validationFraction) {
      this.cleaner = new DocumentCleaner(policy);
      this.validationFraction = validationFraction;
    }

    @ProcessElement
    public void process(@Element byte[] raw, MultiOutputReceiver out) {
      DocumentCleaner.Cleaned cleaned = cleaner.clean(raw);
      for (CleaningEvent event : cleaned.events()) {
        CleaningEvents.emit(out, EVENTS, event);
      }
      if (cleaned.text() == null) {
        return;
      }
      kept.inc();
      String sha = Sha256.hex(cleaned.text());
      String split = Splits.splitOf(sha, validationFraction);
      out.get(CLEAN).output(new CleanDocument(split, sha, cleaned.text()));
    }
  }
}
