package dev.midas.pipelines.corpus;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Reads documents from a stream without ever holding more than {@code maxBytes} (plus one read
 * buffer) of any one of them, so a 50 MB single-line file costs no more memory than a small one.
 */
public final class BoundedReader {
  private static final int CHUNK = 64 * 1024;

  private BoundedReader() {}

  /** A whole-file document: {@code bytes} is null when it was over the limit and not truncated. */
  public record Whole(byte[] bytes, boolean tooLong) {}

  /**
   * Reads the stream as one document. Over {@code maxBytes}: null bytes ({@code truncate} false) or
   * the first {@code maxBytes}, cut back to a UTF-8 character boundary ({@code truncate} true).
   */
  public static Whole readWhole(InputStream in, int maxBytes, boolean truncate) throws IOException {
    byte[] head = in.readNBytes(maxBytes + 1);
    if (head.length <= maxBytes) {
      return new Whole(head, false);
    }
    if (!truncate) {
      return new Whole(null, true);
    }
    int cut = maxBytes;
    while (cut > 0 && (head[cut] & 0xC0) == 0x80) {
      cut--; // head[cut] continues a character that would be split: leave that character out
    }
    return new Whole(Arrays.copyOf(head, cut), true);
  }

  /**
   * Streams the lines of {@code in} ({@code \n} or {@code \r\n}) to {@code lines}; a line over
   * {@code maxBytes} is skipped to its end and reported to {@code tooLong} instead.
   */
  public static void readLines(
      InputStream in, int maxBytes, Consumer<byte[]> lines, Runnable tooLong) throws IOException {
    readLines(in, Long.MAX_VALUE, maxBytes, lines, tooLong);
  }

  /**
   * Like {@link #readLines(InputStream, int, Consumer, Runnable)}, but only the lines that start
   * before byte {@code startsBefore} of the stream: the rule that splits a file into byte ranges
   * without losing or repeating a line (a range reads every line starting inside it, to its end).
   */
  public static void readLines(
      InputStream in, long startsBefore, int maxBytes, Consumer<byte[]> lines, Runnable tooLong)
      throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    boolean skipping = false;
    byte[] buf = new byte[CHUNK];
    long position = 0; // of buf[0] in the stream
    if (startsBefore <= 0) {
      return;
    }
    int n;
    while ((n = in.read(buf)) > 0) {
      int start = 0;
      for (int i = 0; i < n; i++) {
        if (buf[i] != '\n') {
          continue;
        }
        skipping = append(line, buf, start, i - start, maxBytes, skipping, tooLong);
        if (!skipping) {
          emit(line, maxBytes, lines, tooLong);
        }
        line.reset();
        skipping = false;
        start = i + 1;
        if (position + start >= startsBefore) {
          return; // the next line starts in the following range
        }
      }
      skipping = append(line, buf, start, n - start, maxBytes, skipping, tooLong);
      position += n;
    }
    if (!skipping && line.size() > 0) {
      emit(line, maxBytes, lines, tooLong);
    }
  }

  /**
   * Reads through the first {@code \n} of {@code in} and returns the bytes consumed (all of them if
   * there is none): where a byte range that does not start a file begins its first whole line.
   */
  public static long skipPartialLine(InputStream in) throws IOException {
    long consumed = 0;
    int b;
    while ((b = in.read()) >= 0) {
      consumed++;
      if (b == '\n') {
        break;
      }
    }
    return consumed;
  }

  private static boolean append(
      ByteArrayOutputStream line,
      byte[] buf,
      int off,
      int len,
      int maxBytes,
      boolean skipping,
      Runnable tooLong) {
    if (skipping) {
      return true;
    }
    if (line.size() + len > maxBytes + 1) { // +1: a trailing '\r' does not count
      line.reset();
      tooLong.run();
      return true;
    }
    line.write(buf, off, len);
    return false;
  }

  private static void emit(
      ByteArrayOutputStream line, int maxBytes, Consumer<byte[]> lines, Runnable tooLong) {
    byte[] bytes = line.toByteArray();
    int len = bytes.length;
    if (len > 0 && bytes[len - 1] == '\r') {
      bytes = Arrays.copyOf(bytes, --len);
    }
    if (len > maxBytes) {
      tooLong.run();
    } else {
      lines.accept(bytes);
    }
  }
}
