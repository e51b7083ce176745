package dev.midas.pipelines.dataset;

import dev.midas.pipelines.storage.Storage;
import dev.midas.pipelines.storage.StoreAccess;
import dev.midas.proto.DatasetManifest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;

/** What both pipelines' drivers do around the pipeline: check inputs, run, read results. */
public final class PipelineRuns {
  private PipelineRuns() {}

  /** Adds a pipeline's transforms, given where this run writes. */
  public interface Builder {
    void build(Pipeline pipeline, DatasetLayout layout) throws IOException;
  }

  /**
   * Runs one dataset-writing pipeline to completion: configures the file systems, checks that the
   * output is reachable (and, with {@code --ifExists=FAIL}, free), builds, runs, and returns the
   * committed manifest; a step's typed error comes back as itself, whatever the runner wrapped it
   * in.
   */
  public static DatasetManifest run(DatasetOutputOptions options, String dataset, Builder builder) {
    Storage.configure(options);
    DatasetLayout layout =
        new DatasetLayout(
            options.getOutput(),
            dataset,
            options.getVersion(),
            UUID.randomUUID().toString(),
            StoreAccess.from(options));
    try {
      boolean exists = DatasetCommitter.exists(layout.manifest()); // fails fast on a bad store
      if (options.getIfExists() == IfExists.FAIL && exists) {
        throw alreadyExists(layout);
      }
      Pipeline pipeline = Pipeline.create(options);
      builder.build(pipeline, layout);
      runToCompletion(pipeline);
      return ManifestJson.read(layout.manifest());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      throw Failures.unwrap(e);
    }
  }

  /** The input files, sorted, and their total size in bytes. */
  public record Inputs(List<String> files, long bytes) {}

  /**
   * The files the patterns match, sorted and without duplicates; fails with the pattern's own text
   * if one matches nothing.
   */
  public static Inputs matchInputs(List<String> patterns) throws IOException {
    TreeMap<String, Long> files = new TreeMap<>();
    for (String pattern : patterns) {
      List<MatchResult.Metadata> matched = match(pattern);
      if (matched.isEmpty()) {
        throw new NoInputException("--input '" + pattern + "' matches no file");
      }
      for (MatchResult.Metadata md : matched) {
        if (!md.resourceId().isDirectory()) {
          files.put(md.resourceId().toString(), md.sizeBytes());
        }
      }
    }
    long bytes = files.values().stream().mapToLong(Long::longValue).sum();
    return new Inputs(new ArrayList<>(files.keySet()), bytes);
  }

  static DatasetConflictException alreadyExists(DatasetLayout layout) {
    return new DatasetConflictException(
        layout.describe()
            + " already exists and --ifExists=FAIL: choose another --version, or --ifExists=VERIFY to check"
            + " that this run reproduces it");
  }

  /** Runs and waits; a pipeline that ends in any state but DONE is an error. */
  static void runToCompletion(Pipeline pipeline) {
    PipelineResult result = pipeline.run();
    PipelineResult.State state = result.waitUntilFinish();
    if (state != PipelineResult.State.DONE) {
      throw new IllegalStateException("pipeline ended " + state);
    }
  }

  /** What a file pattern matches now; empty when nothing does. */
  static List<MatchResult.Metadata> match(String spec) throws IOException {
    MatchResult m = FileSystems.match(spec, EmptyMatchTreatment.ALLOW);
    return m.status() == MatchResult.Status.OK ? m.metadata() : List.of();
  }

  /** A whole small file (local, file:// or s3://) as UTF-8 text. */
  public static String readText(String spec) throws IOException {
    MatchResult.Metadata file = FileSystems.matchSingleFileSpec(spec);
    try (InputStream in = Channels.newInputStream(FileSystems.open(file.resourceId()))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
