package dev.midas.pipelines.dataset;

import dev.midas.proto.DatasetManifest;
import dev.midas.proto.FileEntry;
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
 * Commits a run's files from its temporary folder to the dataset folder, MANIFEST last. A dataset
 * exists only once its MANIFEST does, so: the shard set is verified (every file present with the
 * size it was written with) before anything moves; files left in the dataset folder by a crashed
 * commit (no MANIFEST) are removed first, so old and new shards never mix; and if a MANIFEST is
 * already there, the run either reproduced it (same content hash: left untouched) or is refused.
 */
public final class DatasetCommitter {
  private static final Logger LOG = LoggerFactory.getLogger(DatasetCommitter.class);

  private DatasetCommitter() {}

  /** The outcome: the manifest now in place, and whether this run wrote it. */
  public record Commit(DatasetManifest manifest, boolean written) {}

  /**
   * @param files every file of the dataset, as written into {@code layout.tempDir()}
   * @param manifest the manifest without files and content hash; both are filled in here
   */
  public static Commit commit(
      DatasetLayout layout, List<FileEntry> files, DatasetManifest.Builder manifest)
      throws IOException {
    List<FileEntry> sorted = new ArrayList<>(files);
    sorted.sort(Comparator.comparing(FileEntry::getPath));
    verify(layout.tempDir(), sorted, "temporary folder");
    DatasetManifest full =
        manifest.clearFiles().addAllFiles(sorted).setContentSha256(contentSha256(sorted)).build();

    ResourceId manifestFile = layout.manifest();
    if (exists(manifestFile)) {
      DatasetManifest existing = ManifestJson.read(manifestFile);
      deleteAll(layout.tempDir(), sorted);
      removeEmptyDir(layout.tempDir());
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

    removeStrays(layout.finalDir());
    List<ResourceId> from = new ArrayList<>();
    List<ResourceId> to = new ArrayList<>();
    for (FileEntry f : sorted) {
      from.add(layout.tempDir().resolve(f.getPath(), StandardResolveOptions.RESOLVE_FILE));
      to.add(layout.finalDir().resolve(f.getPath(), StandardResolveOptions.RESOLVE_FILE));
    }
    FileSystems.rename(from, to, StandardMoveOptions.IGNORE_MISSING_FILES);
    verify(layout.finalDir(), sorted, "dataset folder");
    byte[] json = ManifestJson.print(full).getBytes(StandardCharsets.UTF_8);
    FileWriter.writeWhole(layout.finalDir(), DatasetLayout.MANIFEST, json);
    removeEmptyDir(layout.tempDir());
    LOG.info(
        "committed {} ({} files, content {})",
        manifestFile,
        sorted.size(),
        full.getContentSha256());
    return new Commit(full, true);
  }

  /**
   * SHA-256 over {@code path sha256\n} of every file in path order: equal for byte-identical
   * outputs, whichever runner wrote them.
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

  private static void verify(ResourceId dir, List<FileEntry> files, String where)
      throws IOException {
    Map<String, Long> present = list(dir);
    for (FileEntry f : files) {
      Long size = present.get(f.getPath());
      if (size == null || size != f.getSize()) {
        throw new IncompleteDatasetException(
            f.getPath()
                + " in the "
                + where
                + " "
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

  private static void removeStrays(ResourceId dir) throws IOException {
    Map<String, Long> strays = list(dir);
    if (strays.isEmpty()) {
      return;
    }
    LOG.warn(
        "removing {} files left in {} by an uncommitted run: {}",
        strays.size(),
        dir,
        strays.keySet());
    List<ResourceId> ids = new ArrayList<>();
    for (String name : strays.keySet()) {
      ids.add(dir.resolve(name, StandardResolveOptions.RESOLVE_FILE));
    }
    FileSystems.delete(ids, StandardMoveOptions.IGNORE_MISSING_FILES);
  }

  private static void removeEmptyDir(ResourceId dir) {
    try {
      FileSystems.delete(List.of(dir), StandardMoveOptions.IGNORE_MISSING_FILES);
    } catch (IOException | RuntimeException e) {
      // Object stores have no folders to remove; a leftover empty local folder is harmless.
    }
  }

  private static void deleteAll(ResourceId dir, List<FileEntry> files) throws IOException {
    List<ResourceId> ids = new ArrayList<>();
    for (FileEntry f : files) {
      ids.add(dir.resolve(f.getPath(), StandardResolveOptions.RESOLVE_FILE));
    }
    FileSystems.delete(ids, StandardMoveOptions.IGNORE_MISSING_FILES);
  }
}
