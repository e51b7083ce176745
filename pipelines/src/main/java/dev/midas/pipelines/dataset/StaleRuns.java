package dev.midas.pipelines.dataset;

import dev.midas.proto.DatasetManifest;
import dev.midas.proto.FileEntry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions.StandardMoveOptions;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes the run folders of a version that its MANIFEST does not name: they can never become the
 * dataset, since the MANIFEST is never replaced. Only folders whose every file is older than a
 * cut-off go (a run still writing keeps its files until it finds the MANIFEST itself), and a
 * failure here is logged, never the commit's failure.
 */
final class StaleRuns {
  private static final Logger LOG = LoggerFactory.getLogger(StaleRuns.class);

  private StaleRuns() {}

  /**
   * @param published the version's MANIFEST (its files name the run folder that is the dataset)
   * @param writtenBeforeMillis a folder goes when its newest file was last written before this
   * @return the folders removed
   */
  static List<String> remove(
      DatasetLayout layout, DatasetManifest published, long writtenBeforeMillis) {
    Set<String> keep = new HashSet<>();
    keep.add(layout.runFolder()); // this run's own files are its own business
    for (FileEntry f : published.getFilesList()) {
      keep.add(f.getPath().substring(0, Math.max(0, f.getPath().indexOf('/'))));
    }
    List<String> removed = new ArrayList<>();
    try {
      Map<String, List<MatchResult.Metadata>> byFolder = new TreeMap<>();
      String glob =
          layout
              .finalDir()
              .resolve("run-*", StandardResolveOptions.RESOLVE_DIRECTORY)
              .resolve("*", StandardResolveOptions.RESOLVE_FILE)
              .toString();
      for (MatchResult.Metadata md : PipelineRuns.match(glob)) {
        ResourceId file = md.resourceId();
        String folder = file.getCurrentDirectory().getFilename();
        if (!file.isDirectory() && folder != null) {
          folder = folder.endsWith("/") ? folder.substring(0, folder.length() - 1) : folder;
          byFolder.computeIfAbsent(folder, k -> new ArrayList<>()).add(md);
        }
      }
      for (Map.Entry<String, List<MatchResult.Metadata>> e : byFolder.entrySet()) {
        if (keep.contains(e.getKey()) || !e.getKey().startsWith("run-")) {
          continue;
        }
        long newest = Long.MIN_VALUE;
        boolean knownAge = true;
        for (MatchResult.Metadata md : e.getValue()) {
          knownAge &= md.lastModifiedMillis() > 0;
          newest = Math.max(newest, md.lastModifiedMillis());
        }
        if (!knownAge || newest >= writtenBeforeMillis) {
          continue;
        }
        List<ResourceId> files = new ArrayList<>();
        e.getValue().forEach(md -> files.add(md.resourceId()));
        FileSystems.delete(files, StandardMoveOptions.IGNORE_MISSING_FILES);
        removeFolder(
            layout.finalDir().resolve(e.getKey(), StandardResolveOptions.RESOLVE_DIRECTORY));
        removed.add(e.getKey());
        LOG.info(
            "removed {} ({} files) from {}: no MANIFEST can name it",
            e.getKey(),
            files.size(),
            layout.finalDir());
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("could not remove stale run folders in {}: {}", layout.finalDir(), e.toString());
    }
    return removed;
  }

  /** Removes an emptied folder on a local disk; object stores have none. */
  static void removeFolder(ResourceId dir) {
    try {
      FileSystems.delete(List.of(dir), StandardMoveOptions.IGNORE_MISSING_FILES);
    } catch (IOException | RuntimeException e) {
      // Object stores have no folders to remove; a leftover empty local folder is harmless.
    }
  }
}
