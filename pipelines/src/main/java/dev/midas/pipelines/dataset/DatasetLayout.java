package dev.midas.pipelines.dataset;

import java.io.Serializable;
import java.net.URI;
import java.nio.file.Path;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;

/**
 * Where a dataset's files live: {@code <root>/data/<name>/<version>/} when committed, and a per-run
 * temporary folder {@code <root>/data/<name>/_temp/<version>-<runId>/} while being written, so a
 * half-written run never shares a folder with a committed one.
 */
public record DatasetLayout(String root, String name, String version, String runId)
    implements Serializable {
  public static final String MANIFEST = "MANIFEST";

  public DatasetLayout {
    for (String part : new String[] {name, version}) {
      if (part.isEmpty() || part.contains("/") || part.startsWith("_") || part.startsWith(".")) {
        throw new IllegalArgumentException(
            "dataset name and version must be plain folder names, got '" + part + "'");
      }
    }
  }

  /** The committed folder. */
  public ResourceId finalDir() {
    return dir(root)
        .resolve("data", StandardResolveOptions.RESOLVE_DIRECTORY)
        .resolve(name, StandardResolveOptions.RESOLVE_DIRECTORY)
        .resolve(version, StandardResolveOptions.RESOLVE_DIRECTORY);
  }

  /** This run's private folder. */
  public ResourceId tempDir() {
    return dir(root)
        .resolve("data", StandardResolveOptions.RESOLVE_DIRECTORY)
        .resolve(name, StandardResolveOptions.RESOLVE_DIRECTORY)
        .resolve("_temp", StandardResolveOptions.RESOLVE_DIRECTORY)
        .resolve(version + "-" + runId, StandardResolveOptions.RESOLVE_DIRECTORY);
  }

  /** {@code dataset <name>/<version> at <folder>}, for messages. */
  public String describe() {
    return "dataset " + name + "/" + version + " at " + finalDir();
  }

  public ResourceId manifest() {
    return finalDir().resolve(MANIFEST, StandardResolveOptions.RESOLVE_FILE);
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
