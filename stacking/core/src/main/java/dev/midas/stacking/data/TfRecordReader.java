package dev.midas.stacking.data;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32C;

/**
 * Reads TFRecord framing: u64 length (little endian), u32 masked CRC32C of the length bytes, the
 * data, u32 masked CRC32C of the data. Both checksums are verified; a mismatch or a truncated
 * record is a {@link DatasetException} naming the source and record number.
 */
public final class TfRecordReader {
  private static final int MASK_DELTA = 0xa282ead8;
  private final DataInputStream in;
  private final String source;
  private long record;

  public TfRecordReader(InputStream in, String source) {
    this.in = new DataInputStream(in);
    this.source = source;
  }

  /** The next record's data, or null at a clean end of input. */
  public byte[] next() throws IOException {
    byte[] header = new byte[8];
    int first = in.read(header, 0, 8);
    if (first < 0) {
      return null;
    }
    try {
      if (first < 8) {
        in.readFully(header, first, 8 - first);
      }
      long length = littleEndian(header, 8);
      checkCrc(header, 8, readIntLe(), "length");
      if (length < 0 || length > Integer.MAX_VALUE - 8) {
        throw new DatasetException(source + ": record " + record + " has length " + length);
      }
      byte[] data = new byte[(int) length];
      in.readFully(data);
      checkCrc(data, data.length, readIntLe(), "data");
      record++;
      return data;
    } catch (EOFException e) {
      throw new DatasetException(source + ": record " + record + " is truncated", e);
    }
  }

  /** The masked CRC32C TFRecord stores for these bytes. */
  public static int maskedCrc(byte[] bytes, int length) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, length);
    int c = (int) crc.getValue();
    return ((c >>> 15) | (c << 17)) + MASK_DELTA;
  }

  private void checkCrc(byte[] bytes, int length, int stored, String what) {
    if (maskedCrc(bytes, length) != stored) {
      throw new DatasetException(source + ": record " + record + " " + what + " CRC mismatch");
    }
  }

  private int readIntLe() throws IOException {
    byte[] b = new byte[4];
    in.readFully(b);
    return (int) littleEndian(b, 4);
  }

  private static long littleEndian(byte[] b, int n) {
    long v = 0;
    for (int i = n - 1; i >= 0; i--) {
      v = (v << 8) | (b[i] & 0xffL);
    }
    return v;
  }
}
