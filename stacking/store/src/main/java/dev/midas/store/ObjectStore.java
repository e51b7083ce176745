package dev.midas.store;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The one seam to artifact storage. Keys are '/'-separated paths relative to {@link #root()}, for
 * example {@code runs/exp/uid/stages/stage-01/ckpt/step-000000100/params.bin}. Implementations:
 * {@code file://} (the embedded default) and {@code s3://} (any S3-compatible store).
 */
public interface ObjectStore extends AutoCloseable {

  /** The root URI this store was opened on, e.g. {@code file:///tmp/midas} or {@code s3://b/p}. */
  URI root();

  /** Absolute URI of a key, for manifests, status and logs. */
  default URI uri(String key) {
    String r = root().toString();
    return URI.create(r.endsWith("/") ? r + key : r + "/" + key);
  }

  /**
   * The key of an absolute URI under {@link #root()}: the inverse of {@link #uri(String)}. {@code
   * file:/a/b} and {@code file:///a/b} are the same place.
   *
   * @throws IllegalArgumentException when the URI lies outside this store
   */
  default String keyOf(URI uri) {
    URI r = root();
    String rootPath = r.getPath() == null ? "" : r.getPath();
    if (rootPath.endsWith("/")) {
      rootPath = rootPath.substring(0, rootPath.length() - 1);
    }
    boolean sameStore =
        java.util.Objects.equals(r.getScheme(), uri.getScheme())
            && java.util.Objects.equals(
                r.getAuthority() == null ? "" : r.getAuthority(),
                uri.getAuthority() == null ? "" : uri.getAuthority());
    String path = uri.getPath();
    if (!sameStore || path == null || !path.startsWith(rootPath + "/")) {
      throw new IllegalArgumentException(uri + " is not under this store's root " + r);
    }
    return path.substring(rootPath.length() + 1);
  }

  /** Writes (or overwrites) a whole object. */
  void put(String key, byte[] bytes) throws IOException;

  /** Uploads a local file as a whole object (streamed, multipart where large). */
  void put(String key, Path file) throws IOException;

  /** What writes an object's bytes to a stream. */
  @FunctionalInterface
  interface Body {
    void writeTo(OutputStream out) throws IOException;
  }

  /**
   * Writes a whole object from what {@code body} writes. By default through a local temporary file
   * and {@link #put(String, Path)}, since an upload needs the size first; a store that can write in
   * place writes the bytes once.
   */
  default void put(String key, Body body) throws IOException {
    Path tmp = Files.createTempFile("midas-put-", ".part");
    try {
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp))) {
        body.writeTo(out);
      }
      put(key, tmp);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Writes an object only if no object exists under the key (S3 {@code If-None-Match: *}; an atomic
   * link on file systems).
   *
   * @return false if the key already existed; nothing was written then
   */
  boolean putIfAbsent(String key, byte[] bytes) throws IOException;

  /** Reads a whole object; {@link java.nio.file.NoSuchFileException} naming the URI if missing. */
  byte[] get(String key) throws IOException;

  /** Streams an object; the caller closes the stream. */
  InputStream open(String key) throws IOException;

  /** Size in bytes, or empty if there is no such object. */
  Optional<Long> size(String key) throws IOException;

  default boolean exists(String key) throws IOException {
    return size(key).isPresent();
  }

  /** Every key under a prefix, recursively, sorted. */
  List<String> list(String prefix) throws IOException;

  /** Deletes an object; no error if it is absent. */
  void delete(String key) throws IOException;

  @Override
  default void close() throws IOException {}
}
