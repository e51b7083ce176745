package dev.midas.store.artifact;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * Hashes a listed file while it is read and, at its end, refuses it unless size and SHA-256 match
 * the manifest: one pass both loads and verifies, however large the file. Readers must read to the
 * end (see {@link #readToEnd()}); a file longer than listed fails as soon as it overflows.
 */
final class VerifyingInputStream extends FilterInputStream {
  private final String artifact;
  private final String file;
  private final long expectedSize;
  private final String expectedSha256;
  private final MessageDigest digest = Sha256.digest();
  private long count;
  private boolean verified;

  VerifyingInputStream(
      InputStream in, String artifact, String file, long expectedSize, String expectedSha256) {
    super(in);
    this.artifact = artifact;
    this.file = file;
    this.expectedSize = expectedSize;
    this.expectedSha256 = expectedSha256;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = in.read(b, off, len);
    if (n < 0) {
      verifyAtEnd();
      return -1;
    }
    digest.update(b, off, n);
    count += n;
    if (count > expectedSize) {
      throw new CorruptArtifactException(
          artifact, file, "is longer than the " + expectedSize + " bytes its MANIFEST lists");
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    byte[] sink = new byte[(int) Math.min(8192, Math.max(n, 1))];
    long done = 0;
    while (done < n) {
      int r = read(sink, 0, (int) Math.min(sink.length, n - done));
      if (r < 0) {
        break;
      }
      done += r;
    }
    return done;
  }

  /** Drains what is left and verifies; call after reading what was needed. */
  void readToEnd() throws IOException {
    byte[] sink = new byte[8192];
    while (read(sink, 0, sink.length) >= 0) {
      // hashing happens in read
    }
  }

  private void verifyAtEnd() throws IOException {
    if (verified) {
      return;
    }
    if (count != expectedSize) {
      throw new CorruptArtifactException(
          artifact, file, "is truncated: " + count + " bytes, its MANIFEST lists " + expectedSize);
    }
    String actual = Sha256.hex(digest);
    if (!actual.equals(expectedSha256)) {
      throw new CorruptArtifactException(
          artifact,
          file,
          "is corrupt: SHA-256 " + actual + " does not match its MANIFEST's " + expectedSha256);
    }
    verified = true;
  }

  @Override
  public boolean markSupported() {
    return false;
  }
}
