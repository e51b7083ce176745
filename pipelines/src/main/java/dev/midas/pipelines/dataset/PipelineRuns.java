package dev.midas.pipelines.dataset;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;

/** What both pipelines' drivers do around the pipeline: check inputs, run, read results. */
public final class PipelineRuns {
  private PipelineRuns() {}

  /**
   * The files the patterns match, sorted and without duplicates; fails with the pattern's own text
   * if one matches nothing.
   */
  public static List<String> matchInputs(List<String> patterns) throws IOException {
    TreeSet<String> files = new TreeSet<>();
    for (String pattern : patterns) {
      MatchResult m = FileSystems.match(pattern, EmptyMatchTreatment.ALLOW);
      if (m.status() != MatchResult.Status.OK || m.metadata().isEmpty()) {
        throw new NoInputException("--input '" + pattern + "' matches no file");
      }
      for (MatchResult.Metadata md : m.metadata()) {
        if (!md.resourceId().isDirectory()) {
          files.add(md.resourceId().toString());
        }
      }
    }
    return new ArrayList<>(files);
  }

  public static DatasetConflictException alreadyExists(DatasetLayout layout) {
    return new DatasetConflictException(
        "dataset "
            + layout.name()
            + "/"
            + layout.version()
            + " already exists at "
            + layout.finalDir()
            + " and --ifExists=FAIL: choose another --version, or --ifExists=VERIFY to check"
            + " that this run reproduces it");
  }

  /** Runs and waits; a pipeline that ends in any state but DONE is an error. */
  public static void runToCompletion(Pipeline pipeline) {
    PipelineResult result = pipeline.run();
    PipelineResult.State state = result.waitUntilFinish();
    if (state != PipelineResult.State.DONE) {
      throw new IllegalStateException("pipeline ended " + state);
    }
  }

  /** A whole small file (local, file:// or s3://) as UTF-8 text. */
  public static String readText(String spec) throws IOException {
    MatchResult.Metadata file = FileSystems.matchSingleFileSpec(spec);
    try (InputStream in = Channels.newInputStream(FileSystems.open(file.resourceId()))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
