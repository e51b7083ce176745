package dev.midas.store;

import dev.midas.store.s3.S3ObjectStore;
import dev.midas.store.s3.StaticCredentials;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;

/** Opens the store a root URI names: {@code file:///path} or {@code s3://bucket/prefix}. */
public final class ObjectStores {
  private ObjectStores() {}

  public static ObjectStore open(URI root, StoreOptions options) throws IOException {
    String scheme = root.getScheme();
    if ("file".equals(scheme)) {
      if (root.getAuthority() != null && !root.getAuthority().isEmpty()) {
        throw new IllegalArgumentException(
            "store root " + root + " has a host; write file:///absolute/path");
      }
      return new FileObjectStore(Path.of(root));
    }
    if ("s3".equals(scheme)) {
      return new S3ObjectStore(root, options);
    }
    throw new IllegalArgumentException(
        "store root "
            + root
            + " has scheme "
            + scheme
            + "; use file:///path or s3://bucket/prefix");
  }

  /**
   * An {@code s3://} store read and written with {@code credentials} rather than the AWS default
   * chain's (the operator, for a store an experiment names with its own Secret).
   */
  public static ObjectStore open(URI root, StoreOptions options, StaticCredentials credentials) {
    if (!"s3".equals(root.getScheme())) {
      throw new IllegalArgumentException("credentials are for s3:// stores, not " + root);
    }
    return new S3ObjectStore(root, options, credentials);
  }

  /** A root given as text; a plain path means a local folder. */
  public static ObjectStore open(String root, StoreOptions options) throws IOException {
    URI uri = root.contains("://") ? URI.create(root) : Path.of(root).toAbsolutePath().toUri();
    return open(uri, options);
  }
}
