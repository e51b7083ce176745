package dev.midas.pipelines.preprocess;

import dev.midas.pipelines.corpus.BoundedReader;
import dev.midas.pipelines.corpus.CleaningEvent;
import dev.midas.pipelines.corpus.CleaningPolicy;
import dev.midas.pipelines.corpus.InputFormat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Files in (as the driver matched them), raw documents out (whole files, or JSONL lines), never
 * holding more than {@code maxDocumentBytes} of one document: over-long ones are dropped or
 * truncated right here and reported on {@link #EVENTS}, like unreadable files. Compressed files
 * ({@code .gz}, {@code .bz2}, ...) are read through. Files travel in at most {@value #GROUPS}
 * groups: enough to keep every worker busy, without paying the DirectRunner's per-bundle cost once
 * per file.
 */
public class ReadDocumentsTransform extends PTransform<PBegin, PCollectionTuple> {
  public static final TupleTag<byte[]> DOCUMENTS = new TupleTag<>() {};
  public static final TupleTag<String> EVENTS = new TupleTag<>() {};
  static final int GROUPS = 32;

  private final List<String> files;
  private final CleaningPolicy policy;

  public ReadDocumentsTransform(List<String> files, CleaningPolicy policy) {
    this.files = List.copyOf(files);
    this.policy = policy;
  }

  @Override
  public PCollectionTuple expand(PBegin begin) {
    int n = Math.min(GROUPS, Math.max(1, files.size()));
    List<List<String>> groups = new ArrayList<>();
    for (int g = 0; g < n; g++) {
      groups.add(new ArrayList<>());
    }
    for (int i = 0; i < files.size(); i++) {
      groups.get(i % n).add(files.get(i));
    }
    return begin
        .apply("FileGroups", Create.of(groups).withCoder(ListCoder.of(StringUtf8Coder.of())))
        .apply("Spread", Reshuffle.viaRandomKey())
        .apply(
            "Read",
            ParDo.of(new ReadDocumentsFn(policy))
                .withOutputTags(DOCUMENTS, TupleTagList.of(EVENTS)));
  }

  /** Reads a group of files into documents with bounded memory. */
  static class ReadDocumentsFn extends DoFn<List<String>, byte[]> {
    private static final Logger LOG = LoggerFactory.getLogger(ReadDocumentsFn.class);
    private final Counter files = Metrics.counter(ReadDocumentsFn.class, "files");
    private final Counter documents = Metrics.counter(ReadDocumentsFn.class, "documents_read");
    private final CleaningPolicy policy;

    ReadDocumentsFn(CleaningPolicy policy) {
      this.policy = policy;
    }

    @ProcessElement
    public void process(@Element List<String> group, MultiOutputReceiver out) {
      for (String file : group) {
        read(file, out);
      }
    }

    private void read(String file, MultiOutputReceiver out) {
      files.inc();
      int max = policy.maxDocumentBytes();
      ResourceId id = FileSystems.matchNewResource(file, false);
      try (InputStream in =
          Channels.newInputStream(
              Compression.detect(file).readDecompressed(FileSystems.open(id)))) {
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
        LOG.warn("cannot read {}: {}", file, e.toString());
        CleaningEvents.emit(out, EVENTS, CleaningEvent.UNREADABLE);
      }
    }

    private void emit(MultiOutputReceiver out, byte[] document) {
      documents.inc();
      out.get(DOCUMENTS).output(document);
    }
  }
}
