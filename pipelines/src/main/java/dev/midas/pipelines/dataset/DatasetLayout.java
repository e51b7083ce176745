package dev.midas.pipelines.dataset;

import dev.midas.pipelines.storage.StoreAccess;
import java.io.Serializable;
import java.net.URI;
import java.nio.file.Path;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;

/**
 * Where a dataset's files live: {@code <root>/data/<name>/<version>/MANIFEST}, and the files of the
 * run that committed it in that version's {@code run-<runId>/} folder, where they were written.
 * Every run writes to a folder of its own, so concurrent runs of one version never touch each
 * other's files; the MANIFEST (created once, never replaced) says which run's files are the
 * dataset.
 */
public record DatasetLayout(
    String root, String name, String version, String runId, StoreAccess store)
    implements Serializable {
  public static final String MANIFEST = "MANIFEST";

  public DatasetLayout {
    for (String part : new String[] {name, version}) {
      if (part.isEmpty() || part.contains("/") || part.startsWith("_") || part.startsWith(".")) {
        throw new IllegalArgumentException(
            "dataset name and version must be plain folder names, got '" + part + "'");
      }
    }
    if (!runId.matches("[A-Za-z0-9-]+")) {
      throw new IllegalArgumentException("run id must be letters, digits and '-', got " + runId);
    }
  }

  /** A layout on a local folder or a store reached with default settings. */
  public DatasetLayout(String root, String name, String version, String runId) {
    this(root, name, version, runId, StoreAccess.DEFAULTS);
  }

  /** The version's folder: the MANIFEST and the run folders. */
  public ResourceId finalDir() {
    return dir(root)
        .resolve("data", StandardResolveOptions.RESOLVE_DIRECTORY)
        .resolve(name, StandardResolveOptions.RESOLVE_DIRECTORY)
        .resolve(version, StandardResolveOptions.RESOLVE_DIRECTORY);
  }

  /** This run's folder name inside the version's folder. */
  public String runFolder() {
    return "run-" + runId;
  }

  /** This run's own folder, where its files are written and stay. */
  public ResourceId runDir() {
    return finalDir().resolve(runFolder(), StandardResolveOptions.RESOLVE_DIRECTORY);
  }

  /** {@code dataset <name>/<version> at <folder>}, for messages. */
  public String describe() {
    return "dataset " + name + "/" + version + " at " + finalDir();
  }

  public ResourceId manifest() {
    return finalDir().resolve(MANIFEST, StandardResolveOptions.RESOLVE_FILE);
  }

  /** The MANIFEST's key under the root, for the object store. */
  public String manifestKey() {
    return "data/" + name + "/" + version + "/" + MANIFEST;
  }

  /** {@code train-00003-of-00008.tfrecord}: the name sorts in shard order. */
  public static String shardName(String split, int shard, int shards) {
    return String.format("%s-%05d-of-%05d.tfrecord", split, shard, shards);
  }

  private static ResourceId dir(String root) {
    // Beam's local file system takes paths, not file: URIs, when naming a new resource.
    String spec = root.startsWith("file:") ? Path.of(URI.create(root)).toString() : root;
    return FileSystems.matchNewResource(spec, true);
  }
}
