package dev.midas.pipelines.tokenizer;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits text into the pre-tokens that BPE merges never cross: GPT-2's pattern, the one the
 * HuggingFace ByteLevel pre-tokenizer applies at encode time, so training counts match encoding.
 */
public final class PreTokenizer {
  private static final Pattern GPT2 =
      Pattern.compile(
          "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+",
          Pattern.UNICODE_CHARACTER_CLASS);

  private PreTokenizer() {}

  /** Emits each pre-token of {@code text}, mapped to byte-level characters. */
  public static void split(String text, Consumer<String> out) {
    Matcher m = GPT2.matcher(text);
    while (m.find()) {
      out.accept(ByteLevel.encode(m.group()));
    }
  }

  /** Byte-level pre-token counts over {@code texts}: the input {@link BpeTrainer} learns from. */
  public static Map<String, Long> count(Iterable<String> texts) {
    Map<String, Long> counts = new TreeMap<>();
    for (String text : texts) {
      split(text, t -> counts.merge(t, 1L, Long::sum));
    }
    return counts;
  }
}
