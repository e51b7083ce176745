package dev.midas.pipelines.corpus;

import java.io.Serializable;

/**
 * What the cleaner does with awkward input: the format, the JSONL text field, invalid UTF-8 ({@code
 * replace} with U+FFFD or {@code drop} the document), and over-long documents ({@code drop}, or
 * {@code truncate} at {@code maxDocumentBytes}).
 */
public record CleaningPolicy(
    InputFormat format,
    String jsonField,
    boolean dropInvalidUtf8,
    int maxDocumentBytes,
    boolean truncateTooLong)
    implements Serializable {
  public CleaningPolicy {
    if (maxDocumentBytes < 1) {
      throw new IllegalArgumentException("maxDocumentBytes " + maxDocumentBytes + " must be >= 1");
    }
  }

  public static CleaningPolicy defaults(InputFormat format) {
    return new CleaningPolicy(format, "text", false, 4 << 20, false);
  }
}
