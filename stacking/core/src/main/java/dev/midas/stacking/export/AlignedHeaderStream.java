package dev.midas.stacking.export;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Passes a safetensors stream through with its JSON header padded by spaces to a multiple of 8
 * bytes, as the format's reference writer does, so the data section (and with it every float32
 * tensor) starts aligned and memory-mapping loaders can view tensors in place. DJL's encoder writes
 * the header unpadded. Trailing spaces are JSON whitespace: readers parse the same header.
 */
final class AlignedHeaderStream extends FilterOutputStream {
  private final byte[] lengthBytes = new byte[8];
  private int lengthRead;
  private byte[] header;
  private int headerRead;

  AlignedHeaderStream(OutputStream out) {
    super(out);
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    while (len > 0 && lengthRead < 8) {
      lengthBytes[lengthRead++] = b[off++];
      len--;
      if (lengthRead == 8) {
        long n = ByteBuffer.wrap(lengthBytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        header = new byte[Math.toIntExact(n)];
      }
    }
    if (len > 0 && headerRead < header.length) {
      int take = Math.min(len, header.length - headerRead);
      System.arraycopy(b, off, header, headerRead, take);
      headerRead += take;
      off += take;
      len -= take;
      if (headerRead == header.length) {
        writeAlignedHeader();
      }
    }
    if (len > 0) {
      out.write(b, off, len);
    }
  }

  private void writeAlignedHeader() throws IOException {
    int padded = (header.length + 7) / 8 * 8;
    byte[] h = Arrays.copyOf(header, padded);
    Arrays.fill(h, header.length, padded, (byte) ' ');
    out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
    out.write(h);
  }

  @Override
  public void flush() throws IOException {
    if (header == null || headerRead < header.length) {
      return; // nothing may pass before the whole header is known
    }
    out.flush();
  }
}
