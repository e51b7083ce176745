package dev.midas.pipelines.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BoundedReaderTest {
  @Test
  void readsAWholeDocumentUnderTheLimit() throws Exception {
    BoundedReader.Whole w = BoundedReader.readWhole(stream("hello"), 5, false);
    assertThat(w.tooLong()).isFalse();
    assertThat(new String(w.bytes(), StandardCharsets.UTF_8)).isEqualTo("hello");
  }

  @Test
  void dropsOrTruncatesAtACharacterBoundaryOverTheLimit() throws Exception {
    assertThat(BoundedReader.readWhole(stream("hello!"), 5, false).bytes()).isNull();
    // "aé" is 3 bytes; a 2-byte cut would split the é: it is left out whole.
    BoundedReader.Whole cut = BoundedReader.readWhole(stream("a\u00e9b"), 2, true);
    assertThat(cut.tooLong()).isTrue();
    assertThat(new String(cut.bytes(), StandardCharsets.UTF_8)).isEqualTo("a");
  }

  @Test
  void aFiftyMegabyteLineIsSkippedWithoutBeingHeldAndLaterLinesStillArrive() throws Exception {
    long big = 50L << 20;
    InputStream in = new GeneratedStream(big, "\nafter\r\nlast".getBytes(StandardCharsets.UTF_8));
    List<String> lines = new ArrayList<>();
    AtomicInteger tooLong = new AtomicInteger();
    BoundedReader.readLines(
        in,
        1 << 20,
        l -> lines.add(new String(l, StandardCharsets.UTF_8)),
        tooLong::incrementAndGet);
    assertThat(tooLong).hasValue(1);
    assertThat(lines).containsExactly("after", "last");
  }

  private static InputStream stream(String s) {
    return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
  }

  /** {@code n} bytes of 'x' made on the fly, then a tail: a huge input that costs no memory. */
  private static final class GeneratedStream extends InputStream {
    private long left;
    private final byte[] tail;
    private int tailPos;

    GeneratedStream(long n, byte[] tail) {
      this.left = n;
      this.tail = tail;
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0];
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (left > 0) {
        int n = (int) Math.min(len, left);
        java.util.Arrays.fill(b, off, off + n, (byte) 'x');
        left -= n;
        return n;
      }
      if (tailPos == tail.length) {
        return -1;
      }
      int n = Math.min(len, tail.length - tailPos);
      System.arraycopy(tail, tailPos, b, off, n);
      tailPos += n;
      return n;
    }
  }
}
