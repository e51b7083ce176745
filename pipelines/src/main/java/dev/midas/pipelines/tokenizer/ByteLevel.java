package dev.midas.pipelines.tokenizer;

import java.nio.charset.StandardCharsets;

/**
 * GPT-2's byte-to-character table: every byte gets a printable character, so a byte-level BPE
 * vocabulary is a set of ordinary strings and the HuggingFace ByteLevel pre-tokenizer and decoder
 * agree with what we learned merges over.
 */
public final class ByteLevel {
  private static final char[] BYTE_TO_CHAR = buildTable();

  private ByteLevel() {}

  /** The character standing for byte {@code b} (0..255). */
  public static char charOf(int b) {
    return BYTE_TO_CHAR[b & 0xff];
  }

  /** Maps the UTF-8 bytes of {@code text} to byte-level characters. */
  public static String encode(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    char[] out = new char[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      out[i] = BYTE_TO_CHAR[bytes[i] & 0xff];
    }
    return new String(out);
  }

  private static char[] buildTable() {
    // Printable Latin-1 bytes stand for themselves; the rest are shifted above 255, in byte order.
    char[] table = new char[256];
    int next = 256;
    for (int b = 0; b < 256; b++) {
      boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE);
      table[b] = printable ? (char) b : (char) next++;
    }
    return table;
  }
}
