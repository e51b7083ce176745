package dev.midas.checkpoint;

import dev.midas.plan.layout.RunLayout;
import dev.midas.proto.CheckpointKind;
import dev.midas.proto.CheckpointManifest;
import dev.midas.store.ObjectStore;
import dev.midas.store.artifact.ManifestReader;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Deletes old checkpoints of a stage: keeps the last {@code n} (by step), every stage-final, every
 * grown checkpoint, and any checkpoint a kept manifest of the run names as its parent. A deletion
 * removes the MANIFEST first, so a half-deleted checkpoint is simply not committed.
 */
final class CheckpointRetention {
  private final ObjectStore store;
  private final ManifestReader reader;

  CheckpointRetention(ObjectStore store) {
    this.store = store;
    this.reader = new ManifestReader(store);
  }

  /** Returns the manifest URIs deleted. */
  List<URI> retain(RunLayout run, int stage, int keepLast) throws IOException {
    if (keepLast < 1) {
      throw new IllegalArgumentException("keep at least 1 checkpoint, not " + keepLast);
    }
    Map<String, CheckpointManifest> all = new HashMap<>();
    for (String key : store.list(run.runPrefix())) {
      if (key.endsWith("/" + RunLayout.MANIFEST)) {
        all.put(key, reader.read(key, CheckpointManifest.getDefaultInstance()));
      }
    }
    List<String> stageCkpts =
        store.list(run.checkpointsPrefix(stage)).stream()
            .filter(all::containsKey)
            .sorted() // step folders are zero-padded: name order is step order
            .toList();
    Set<String> deleting = new LinkedHashSet<>();
    for (int i = 0; i < stageCkpts.size() - keepLast; i++) {
      String key = stageCkpts.get(i);
      if (all.get(key).getKind() != CheckpointKind.CHECKPOINT_KIND_STAGE_FINAL) {
        deleting.add(key);
      }
    }
    // A parent stays while any manifest that is kept names it; sparing it may spare its parent.
    boolean changed = true;
    while (changed) {
      Set<String> referenced = new HashSet<>();
      all.forEach(
          (key, m) -> {
            if (!deleting.contains(key) && !m.getParentManifest().isEmpty()) {
              parentKey(m.getParentManifest()).ifPresent(referenced::add);
            }
          });
      changed = deleting.removeAll(referenced);
    }
    List<URI> deleted = new ArrayList<>();
    for (String manifest : deleting) {
      store.delete(manifest);
      for (String file : store.list(RunLayout.folderOf(manifest))) {
        store.delete(file);
      }
      deleted.add(store.uri(manifest));
    }
    return deleted;
  }

  private java.util.Optional<String> parentKey(String parent) {
    try {
      return java.util.Optional.of(store.keyOf(URI.create(parent)));
    } catch (IllegalArgumentException e) {
      return java.util.Optional.empty(); // another store's checkpoint: not ours to delete
    }
  }
}
