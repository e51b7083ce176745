package dev.midas.pipelines.dataset;

import dev.midas.proto.DatasetManifest;
import dev.midas.proto.FileEntry;
import dev.midas.store.ObjectStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions.StandardMoveOptions;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits a run's files where they were written (the run's own folder) by publishing the MANIFEST
 * with a create-only write (S3 {@code If-None-Match: *}, a hard link on local disks): nothing is
 * copied or renamed. A dataset exists only once its MANIFEST does, so the run's files are verified
 * in place first (every one present with the size it was written with). If the MANIFEST exists
 * already, or another run creates it first, this run either reproduced it (same content hash: the
 * dataset is left untouched) or is refused; either way it deletes its own folder's files.
 *
 * <p>Once a version's MANIFEST is in place, every other run folder of that version is garbage: the
 * MANIFEST is never replaced, so no other run's files can ever become the dataset. Such a folder is
 * a crashed run's leftovers, or belongs to a run still going that will find the MANIFEST and delete
 * its own files. Each commit removes those that nothing has written to for {@link #STALE_AFTER_MS}
 * (an hour), so a crashed run's files go with the next commit of its version while a run that is
 * still writing is left alone.
 */
public final class DatasetCommitter {
  private static final Logger LOG = LoggerFactory.getLogger(DatasetCommitter.class);

  /** How long a run folder must have gone unwritten before a commit removes it. */
  public static final long STALE_AFTER_MS = 3_600_000;

  private DatasetCommitter() {}

  /** The outcome: the manifest now in place, and whether this run wrote it. */
  public record Commit(DatasetManifest manifest, boolean written) {}

  /**
   * @param files every file of the dataset, named as written into {@code layout.runDir()}
   * @param manifest the manifest without files and content hash; both are filled in here
   */
  public static Commit commit(
      DatasetLayout layout, List<FileEntry> files, DatasetManifest.Builder manifest)
      throws IOException {
    List<FileEntry> sorted = new ArrayList<>(files);
    sorted.sort(Comparator.comparing(FileEntry::getPath));
    List<FileEntry> listed = new ArrayList<>();
    for (FileEntry f : sorted) {
      listed.add(f.toBuilder().setPath(layout.runFolder() + "/" + f.getPath()).build());
    }
    DatasetManifest full =
        manifest.clearFiles().addAllFiles(listed).setContentSha256(contentSha256(sorted)).build();

    if (!exists(layout.manifest())) {
      verify(layout.runDir(), sorted);
      byte[] json = ManifestJson.print(full).getBytes(StandardCharsets.UTF_8);
      boolean created;
      try (ObjectStore store = layout.store().open(layout.root())) {
        created = store.putIfAbsent(layout.manifestKey(), json);
      }
      if (created) {
        LOG.info(
            "committed {} ({} files in {}, content {})",
            layout.manifest(),
            sorted.size(),
            layout.runFolder(),
            full.getContentSha256());
        StaleRuns.remove(layout, full, System.currentTimeMillis() - STALE_AFTER_MS);
        return new Commit(full, true);
      }
    }
    // Another run's MANIFEST is in place: this run's files are not the dataset either way.
    DatasetManifest existing = ManifestJson.read(layout.manifest());
    deleteOwn(layout, sorted);
    StaleRuns.remove(layout, existing, System.currentTimeMillis() - STALE_AFTER_MS);
    if (existing.getContentSha256().equals(full.getContentSha256())) {
      LOG.info(
          "{} already holds this dataset (content {}): unchanged",
          layout.finalDir(),
          full.getContentSha256());
      return new Commit(existing, false);
    }
    throw new DatasetConflictException(
        layout.describe()
            + " already exists with different content (existing "
            + existing.getContentSha256()
            + ", this run "
            + full.getContentSha256()
            + "); refusing to overwrite it: choose another --version");
  }

  /**
   * SHA-256 over {@code name sha256\n} of every file in name order, names as written in the run's
   * folder: equal for byte-identical outputs, whichever runner or run wrote them.
   */
  public static String contentSha256(List<FileEntry> sortedFiles) {
    MessageDigest digest = Sha256.newDigest();
    for (FileEntry f : sortedFiles) {
      digest.update((f.getPath() + " " + f.getSha256() + "\n").getBytes(StandardCharsets.UTF_8));
    }
    return Sha256.hex(digest);
  }

  public static boolean exists(ResourceId file) throws IOException {
    return !PipelineRuns.match(file.toString()).isEmpty();
  }

  private static void verify(ResourceId dir, List<FileEntry> files) throws IOException {
    Map<String, Long> present = list(dir);
    for (FileEntry f : files) {
      Long size = present.get(f.getPath());
      if (size == null || size != f.getSize()) {
        throw new IncompleteDatasetException(
            f.getPath()
                + " in "
                + dir
                + (size == null
                    ? " is missing"
                    : " has " + size + " bytes, expected " + f.getSize())
                + "; no MANIFEST written");
      }
    }
  }

  private static Map<String, Long> list(ResourceId dir) throws IOException {
    Map<String, Long> out = new HashMap<>();
    String glob = dir.resolve("*", StandardResolveOptions.RESOLVE_FILE).toString();
    for (MatchResult.Metadata md : PipelineRuns.match(glob)) {
      if (!md.resourceId().isDirectory()) {
        out.put(md.resourceId().getFilename(), md.sizeBytes());
      }
    }
    return out;
  }

  private static void deleteOwn(DatasetLayout layout, List<FileEntry> files) throws IOException {
    List<ResourceId> ids = new ArrayList<>();
    for (FileEntry f : files) {
      ids.add(layout.runDir().resolve(f.getPath(), StandardResolveOptions.RESOLVE_FILE));
    }
    FileSystems.delete(ids, StandardMoveOptions.IGNORE_MISSING_FILES);
    StaleRuns.removeFolder(layout.runDir());
  }
}
