package dev.midas.stacking.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TfRecordReaderTest {
  /** The frame of "abc", computed outside Java with a bitwise CRC32C (poly 0x82F63B78). */
  private static final byte[] ABC = {
    3, 0, 0, 0, 0, 0, 0, 0, -80, -103, 73, 14, 97, 98, 99, 110, 87, -15, 33
  };

  @Test
  void readsAFrameWrittenByAnIndependentImplementation() throws IOException {
    TfRecordReader r = new TfRecordReader(new ByteArrayInputStream(ABC), "abc");
    assertThat(new String(r.next(), StandardCharsets.US_ASCII)).isEqualTo("abc");
    assertThat(r.next()).isNull();
    assertThat(TokenShardWriter.frame("abc".getBytes(StandardCharsets.US_ASCII)))
        .containsExactly(ABC);
  }

  @Test
  void refusesACorruptedRecordNamingSourceAndRecord() {
    byte[] two = new byte[ABC.length * 2];
    System.arraycopy(ABC, 0, two, 0, ABC.length);
    System.arraycopy(ABC, 0, two, ABC.length, ABC.length);
    two[ABC.length + 13] ^= 1;
    TfRecordReader r = new TfRecordReader(new ByteArrayInputStream(two), "part-0");
    assertThatThrownBy(
            () -> {
              r.next();
              r.next();
            })
        .isInstanceOf(DatasetException.class)
        .hasMessage("part-0: record 1 data CRC mismatch");
  }

  @Test
  void refusesATruncatedRecord() {
    byte[] cut = Arrays.copyOf(ABC, ABC.length - 2);
    TfRecordReader r = new TfRecordReader(new ByteArrayInputStream(cut), "part-1");
    assertThatThrownBy(r::next)
        .isInstanceOf(DatasetException.class)
        .hasMessage("part-1: record 0 is truncated");
  }
}
