package dev.midas.pipelines.preprocess;

import dev.midas.pipelines.corpus.BoundedReader;
import dev.midas.pipelines.corpus.CleaningEvent;
import dev.midas.pipelines.corpus.CleaningPolicy;
import dev.midas.pipelines.corpus.InputFormat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.util.List;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Files or globs in, raw documents out (whole files, or JSONL lines), never holding more than
 * {@code maxDocumentBytes} of one document: over-long ones are dropped or truncated right here and
 * reported on {@link #EVENTS}, like unreadable files.
 */
public class ReadDocumentsTransform extends PTransform<PBegin, PCollectionTuple> {
  public static final TupleTag<byte[]> DOCUMENTS = new TupleTag<>() {};
  public static final TupleTag<String> EVENTS = new TupleTag<>() {};

  private final List<String> patterns;
  private final CleaningPolicy policy;

  public ReadDocumentsTransform(List<String> patterns, CleaningPolicy policy) {
    this.patterns = List.copyOf(patterns);
    this.policy = policy;
  }

  @Override
  public PCollectionTuple expand(PBegin begin) {
    return begin
        .apply("Patterns", Create.of(patterns))
        .apply("Match", FileIO.matchAll().withEmptyMatchTreatment(EmptyMatchTreatment.DISALLOW))
        .apply("Open", FileIO.readMatches())
        .apply(
            "Read",
            ParDo.of(new ReadDocumentsFn(policy))
                .withOutputTags(DOCUMENTS, TupleTagList.of(EVENTS)));
  }

  /** Reads one file into documents with bounded memory. */
  static class ReadDocumentsFn extends DoFn<FileIO.ReadableFile, byte[]> {
    private static final Logger LOG = LoggerFactory.getLogger(ReadDocumentsFn.class);
    private final Counter files = Metrics.counter(ReadDocumentsFn.class, "files");
    private final Counter documents = Metrics.counter(ReadDocumentsFn.class, "documents_read");
    private final CleaningPolicy policy;

    ReadDocumentsFn(CleaningPolicy policy) {
      this.policy = policy;
    }

    @ProcessElement
    public void process(@Element FileIO.ReadableFile file, MultiOutputReceiver out) {
      files.inc();
      int max = policy.maxDocumentBytes();
      try (InputStream in = Channels.newInputStream(file.open())) {
        if (policy.format() == InputFormat.JSONL) {
          BoundedReader.readLines(
              in,
              max,
              line -> emit(out, line),
              () -> CleaningEvents.emit(out, EVENTS, CleaningEvent.TOO_LONG));
          return;
        }
        BoundedReader.Whole whole = BoundedReader.readWhole(in, max, policy.truncateTooLong());
        if (whole.tooLong()) {
          CleaningEvents.emit(
              out,
              EVENTS,
              whole.bytes() == null ? CleaningEvent.TOO_LONG : CleaningEvent.TRUNCATED_TOO_LONG);
        }
        if (whole.bytes() != null) {
          emit(out, whole.bytes());
        }
      } catch (IOException e) {
        LOG.warn("cannot read {}: {}", file.getMetadata().resourceId(), e.toString());
        CleaningEvents.emit(out, EVENTS, CleaningEvent.UNREADABLE);
      }
    }

    private void emit(MultiOutputReceiver out, byte[] document) {
      documents.inc();
      out.get(DOCUMENTS).output(document);
    }
  }
}
