package dev.midas.pipelines.preprocess;

import dev.midas.pipelines.corpus.BoundedReader;
import dev.midas.pipelines.corpus.CleaningEvent;
import dev.midas.pipelines.corpus.CleaningPolicy;
import dev.midas.pipelines.corpus.InputFormat;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.util.List;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Distinct;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Files in (as the driver matched them), raw documents out, never holding more than {@code
 * maxDocumentBytes} of one document: over-long ones are dropped or truncated right here and
 * reported on {@link #EVENTS}, like unreadable files.
 *
 * <p>Files are matched and opened through Beam's FileIO. Line formats (JSONL, LINES) in
 * uncompressed files on a seekable store are split into byte ranges of {@code rangeBytes}, each
 * reading the lines that start inside it, so one big file is read by every worker; whole-file
 * formats and compressed files ({@code .gz}, ...) are read whole. Ranges are redistributed before
 * reading, so they spread over all workers whatever the file sizes.
 *
 * <p>A file that cannot be read (gone, or failing part way) counts as {@code unreadable} once,
 * however many of its ranges failed; the documents read from it before a failure are kept.
 */
public class ReadDocumentsTransform extends PTransform<PBegin, PCollectionTuple> {
  public static final TupleTag<byte[]> DOCUMENTS = new TupleTag<>() {};
  public static final TupleTag<String> EVENTS = new TupleTag<>() {};
  static final TupleTag<String> FAILED_FILES = new TupleTag<>() {};

  private final List<String> files;
  private final CleaningPolicy policy;
  private final long rangeBytes;

  /** Reads line-format files in ranges of {@link Sizing#MAX_RANGE_BYTES}. */
  public ReadDocumentsTransform(List<String> files, CleaningPolicy policy) {
    this(files, policy, Sizing.MAX_RANGE_BYTES);
  }

  /**
   * @param rangeBytes the byte range line-format files are split into ({@link Sizing#rangeBytes})
   */
  public ReadDocumentsTransform(List<String> files, CleaningPolicy policy, long rangeBytes) {
    if (rangeBytes < 1) {
      throw new IllegalArgumentException("rangeBytes " + rangeBytes + " must be >= 1");
    }
    this.files = List.copyOf(files);
    this.policy = policy;
    this.rangeBytes = rangeBytes;
  }

  /** A byte range of a file; {@code end} is {@link Long#MAX_VALUE} for a file read whole. */
  record FileRange(String file, long start, long end, Compression compression)
      implements Serializable {
    boolean whole() {
      return start == 0 && end == Long.MAX_VALUE;
    }
  }

  @Override
  public PCollectionTuple expand(PBegin begin) {
    return begin
        .apply("Files", Create.of(files).withCoder(StringUtf8Coder.of()))
        .apply("Match", FileIO.matchAll())
        .apply("Open", FileIO.readMatches().withCompression(Compression.AUTO))
        .apply("SplitRanges", ParDo.of(new SplitRangesFn(policy.format(), rangeBytes)))
        .setCoder(SerializableCoder.of(FileRange.class))
        .apply("Spread", Reshuffle.viaRandomKey())
        .apply("ReadRanges", new ReadRanges(policy));
  }

  /**
   * Ranges in, {@link #DOCUMENTS} and {@link #EVENTS} out; the files any range failed to read are
   * counted as {@code unreadable} once each.
   */
  static class ReadRanges extends PTransform<PCollection<FileRange>, PCollectionTuple> {
    private final CleaningPolicy policy;

    ReadRanges(CleaningPolicy policy) {
      this.policy = policy;
    }

    @Override
    public PCollectionTuple expand(PCollection<FileRange> ranges) {
      PCollectionTuple read =
          ranges.apply(
              "Read",
              ParDo.of(new ReadRangeFn(policy))
                  .withOutputTags(DOCUMENTS, TupleTagList.of(List.of(EVENTS, FAILED_FILES))));
      PCollection<String> unreadable =
          read.get(FAILED_FILES)
              .setCoder(StringUtf8Coder.of())
              .apply("OncePerFile", Distinct.create())
              .apply("CountUnreadable", ParDo.of(new UnreadableFn()));
      PCollection<String> events =
          PCollectionList.of(read.get(EVENTS))
              .and(unreadable)
              .apply("AllReadEvents", Flatten.pCollections());
      return PCollectionTuple.of(DOCUMENTS, read.get(DOCUMENTS)).and(EVENTS, events);
    }
  }

  /** One {@code unreadable} event (and counter step) per failed file. */
  static class UnreadableFn extends DoFn<String, String> {
    @ProcessElement
    public void process(@Element String file, OutputReceiver<String> out) {
      CleaningEvents.emit(out, CleaningEvent.UNREADABLE);
    }
  }

  /** Cuts a splittable file into ranges; everything else is one whole-file range. */
  static class SplitRangesFn extends DoFn<FileIO.ReadableFile, FileRange> {
    private final InputFormat format;
    private final long rangeBytes;

    SplitRangesFn(InputFormat format, long rangeBytes) {
      this.format = format;
      this.rangeBytes = rangeBytes;
    }

    @ProcessElement
    public void process(@Element FileIO.ReadableFile file, OutputReceiver<FileRange> out) {
      MatchResult.Metadata md = file.getMetadata();
      String name = md.resourceId().toString();
      boolean lines = format == InputFormat.JSONL || format == InputFormat.LINES;
      if (!lines
          || file.getCompression() != Compression.UNCOMPRESSED
          || !md.isReadSeekEfficient()
          || md.sizeBytes() <= rangeBytes) {
        out.output(new FileRange(name, 0, Long.MAX_VALUE, file.getCompression()));
        return;
      }
      for (long start = 0; start < md.sizeBytes(); start += rangeBytes) {
        out.output(
            new FileRange(
                name,
                start,
                Math.min(md.sizeBytes(), start + rangeBytes),
                Compression.UNCOMPRESSED));
      }
    }
  }

  /** Reads one range (or whole file) into documents with bounded memory. */
  static class ReadRangeFn extends DoFn<FileRange, byte[]> {
    private static final Logger LOG = LoggerFactory.getLogger(ReadRangeFn.class);
    private final Counter ranges = Metrics.counter(ReadRangeFn.class, "ranges");
    private final Counter documents = Metrics.counter(ReadRangeFn.class, "documents_read");
    private final CleaningPolicy policy;

    ReadRangeFn(CleaningPolicy policy) {
      this.policy = policy;
    }

    @ProcessElement
    public void process(@Element FileRange range, MultiOutputReceiver out) {
      ranges.inc();
      int max = policy.maxDocumentBytes();
      ResourceId id = FileSystems.matchNewResource(range.file(), false);
      Runnable tooLong = () -> CleaningEvents.emit(out, EVENTS, CleaningEvent.TOO_LONG);
      try {
        if (!range.whole()) {
          try (SeekableByteChannel channel = (SeekableByteChannel) FileSystems.open(id)) {
            long from = Math.max(0, range.start() - 1);
            channel.position(from);
            InputStream in = new BufferedInputStream(Channels.newInputStream(channel), 1 << 16);
            long at = range.start() == 0 ? 0 : from + BoundedReader.skipPartialLine(in);
            BoundedReader.readLines(in, range.end() - at, max, line -> emit(out, line), tooLong);
          }
          return;
        }
        try (InputStream in =
            Channels.newInputStream(range.compression().readDecompressed(FileSystems.open(id)))) {
          if (policy.format() == InputFormat.JSONL || policy.format() == InputFormat.LINES) {
            BoundedReader.readLines(in, max, line -> emit(out, line), tooLong);
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
        }
      } catch (IOException e) {
        LOG.warn(
            "cannot read {}{}: {}",
            range.file(),
            range.whole() ? "" : " (bytes " + range.start() + "-" + range.end() + ")",
            e.toString());
        out.get(FAILED_FILES).output(range.file());
      }
    }

    private void emit(MultiOutputReceiver out, byte[] document) {
      documents.inc();
      out.get(DOCUMENTS).output(document);
    }
  }
}
