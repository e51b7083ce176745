package dev.midas.pipelines.shards;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32C;

/**
 * Reads TFRecord framing (little-endian uint64 length, masked CRC32C of the length, the bytes,
 * masked CRC32C of the bytes) with nothing but the JDK, checking both checksums. Beam-free, so a
 * trainer can read the pipeline's shards without Beam on its class path.
 */
public final class TfRecordReader implements AutoCloseable {
  private final DataInputStream in;

  public TfRecordReader(InputStream in) {
    this.in = new DataInputStream(in);
  }

  /** The next record, or null at a clean end of file. */
  public byte[] next() throws IOException {
    byte[] header = new byte[12];
    int first = in.read();
    if (first < 0) {
      return null;
    }
    header[0] = (byte) first;
    in.readFully(header, 1, 11);
    long length = littleEndian(header, 0, 8);
    if (masked(header, 0, 8) != (int) littleEndian(header, 8, 4)) {
      throw new IOException("corrupt TFRecord: length checksum mismatch");
    }
    if (length < 0 || length > Integer.MAX_VALUE - 8) {
      throw new IOException("corrupt TFRecord: record length " + length);
    }
    byte[] data = new byte[(int) length];
    byte[] crc = new byte[4];
    try {
      in.readFully(data);
      in.readFully(crc);
    } catch (EOFException e) {
      throw new IOException("truncated TFRecord: file ends inside a record", e);
    }
    if (masked(data, 0, data.length) != (int) littleEndian(crc, 0, 4)) {
      throw new IOException("corrupt TFRecord: data checksum mismatch");
    }
    return data;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  private static int masked(byte[] b, int off, int len) {
    CRC32C crc = new CRC32C();
    crc.update(b, off, len);
    int c = (int) crc.getValue();
    return ((c >>> 15) | (c << 17)) + 0xa282ead8;
  }

  private static long littleEndian(byte[] b, int off, int len) {
    long v = 0;
    for (int i = len - 1; i >= 0; i--) {
      v = (v << 8) | (b[off + i] & 0xff);
    }
    return v;
  }
}
