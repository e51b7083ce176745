package dev.midas.pipelines.dataset;

import dev.midas.proto.FileEntry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.security.MessageDigest;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.util.MimeTypes;

/**
 * A file being written through Beam's FileSystems (local, s3://) that hashes and counts its bytes
 * on the way, so its manifest entry needs no second read.
 */
public final class FileWriter implements WritableByteChannel {
  private final String relativePath;
  private final WritableByteChannel out;
  private final MessageDigest digest = Sha256.newDigest();
  private long size;

  private FileWriter(String relativePath, WritableByteChannel out) {
    this.relativePath = relativePath;
    this.out = out;
  }

  /** Creates (or overwrites) {@code dir/relativePath}. */
  public static FileWriter create(ResourceId dir, String relativePath) throws IOException {
    ResourceId file = dir.resolve(relativePath, StandardResolveOptions.RESOLVE_FILE);
    return new FileWriter(relativePath, FileSystems.create(file, MimeTypes.BINARY));
  }

  /** Writes {@code bytes} as the whole file and returns its entry. */
  public static FileEntry writeWhole(ResourceId dir, String relativePath, byte[] bytes)
      throws IOException {
    FileWriter w = create(dir, relativePath);
    try (w) {
      w.write(ByteBuffer.wrap(bytes));
    }
    return w.entry();
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    ByteBuffer view = src.duplicate();
    int n = out.write(src);
    view.limit(view.position() + n);
    digest.update(view);
    size += n;
    return n;
  }

  @Override
  public boolean isOpen() {
    return out.isOpen();
  }

  @Override
  public void close() throws IOException {
    out.close();
  }

  /** Path, size and SHA-256 of what was written; call once, after {@link #close()}. */
  public FileEntry entry() {
    return FileEntry.newBuilder()
        .setPath(relativePath)
        .setSize(size)
        .setSha256(Sha256.hex(digest))
        .build();
  }
}
