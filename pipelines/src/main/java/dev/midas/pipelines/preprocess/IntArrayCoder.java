package dev.midas.pipelines.preprocess;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;

/**
 * Token ids as a count and one varint an id (protobuf's encoding): ids below 128 take one byte and
 * below 16,384 two, so an 8k or 16k vocabulary travels through shuffles at about half the bytes of
 * fixed 4-byte ids.
 */
public final class IntArrayCoder extends AtomicCoder<int[]> {
  private static final IntArrayCoder INSTANCE = new IntArrayCoder();

  public static IntArrayCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(int[] value, OutputStream out) throws IOException {
    byte[] buf = new byte[5 * (value.length + 1)];
    int n = put(buf, 0, value.length);
    for (int v : value) {
      n = put(buf, n, v);
    }
    out.write(buf, 0, n);
  }

  @Override
  public int[] decode(InputStream in) throws IOException {
    int n = read(in);
    if (n < 0) {
      throw new IOException("corrupt token array: length " + n);
    }
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = read(in);
    }
    return out;
  }

  @Override
  public void verifyDeterministic() {}

  private static int put(byte[] buf, int at, int v) {
    while ((v & ~0x7F) != 0) {
      buf[at++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    buf[at++] = (byte) v;
    return at;
  }

  private static int read(InputStream in) throws IOException {
    int v = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("token array ends inside a varint");
      }
      v |= (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return v;
      }
    }
    throw new IOException("corrupt token array: varint longer than 5 bytes");
  }
}
