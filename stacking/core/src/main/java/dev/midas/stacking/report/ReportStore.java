package dev.midas.stacking.report;

import dev.midas.checkpoint.CheckpointMeta;
import dev.midas.plan.layout.RunLayout;
import dev.midas.proto.FileEntry;
import dev.midas.proto.ReportManifest;
import dev.midas.stacking.results.DemoResults;
import dev.midas.store.ObjectStore;
import dev.midas.store.artifact.ArtifactExistsException;
import dev.midas.store.artifact.ArtifactWriter;
import dev.midas.store.artifact.CorruptArtifactException;
import dev.midas.store.artifact.ManifestReader;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reports in the object store: a report folder is committed like a checkpoint (every file with its
 * size and SHA-256, the {@code MANIFEST} last and create-only), so a half-uploaded report is never
 * read as a whole one, and its {@code results.json} is read back verified.
 */
public final class ReportStore {
  public static final int FORMAT_VERSION = 1;

  private ReportStore() {}

  /**
   * Uploads {@code files} into {@code prefix} and commits them with {@code manifest}.
   *
   * @return the committed manifest; the one already there when another writer committed first
   */
  public static ReportManifest commit(
      ObjectStore store, String prefix, List<Path> files, ReportManifest.Builder manifest)
      throws IOException {
    ManifestReader reader = new ManifestReader(store);
    String key = RunLayout.manifestKey(prefix);
    try {
      ArtifactWriter writer = new ArtifactWriter(store, prefix);
      for (Path f : files) {
        writer.write(f.getFileName().toString(), Files.readAllBytes(f));
      }
      writer.commit(
          manifest
              .setFormatVersion(FORMAT_VERSION)
              .setCodeVersion(CheckpointMeta.currentCodeVersion()));
    } catch (ArtifactExistsException e) {
      // Committed by an earlier attempt that ended before it could report: that one stands.
    }
    return reader.read(key, ReportManifest.getDefaultInstance());
  }

  /** The results of the report committed in {@code prefix}, verified against its manifest. */
  public static DemoResults results(ObjectStore store, String prefix) throws IOException {
    ManifestReader reader = new ManifestReader(store);
    String key = RunLayout.manifestKey(prefix);
    ReportManifest m = reader.read(key, ReportManifest.getDefaultInstance());
    FileEntry entry =
        m.getFilesList().stream()
            .filter(f -> f.getPath().equals(ResultsJson.FILE))
            .findFirst()
            .orElseThrow(
                () ->
                    new CorruptArtifactException(
                        store.uri(key).toString(), ResultsJson.FILE, "is not listed"));
    byte[] json;
    try (InputStream in = reader.openVerified(key, entry)) {
      json = in.readAllBytes();
      ManifestReader.drain(in);
    }
    return ResultsJson.read(json, store.uri(prefix + ResultsJson.FILE).toString());
  }

  /** Copies a committed report into a local folder (verified), for the terminal's user. */
  public static void download(ObjectStore store, String prefix, Path dir) throws IOException {
    ManifestReader reader = new ManifestReader(store);
    String key = RunLayout.manifestKey(prefix);
    ReportManifest m = reader.read(key, ReportManifest.getDefaultInstance());
    Files.createDirectories(dir);
    for (FileEntry f : m.getFilesList()) {
      if (f.getPath().contains("/") || f.getPath().startsWith(".")) {
        throw new CorruptArtifactException(
            store.uri(key).toString(), f.getPath(), "is not a plain file name of a report");
      }
      try (InputStream in = reader.openVerified(key, f)) {
        Files.write(dir.resolve(f.getPath()), in.readAllBytes());
        ManifestReader.drain(in);
      }
    }
  }

  /** The URI of a report's Markdown file. */
  public static URI reportUri(ObjectStore store, String prefix) {
    return store.uri(prefix + DemoReportWriter.REPORT);
  }
}
