package dev.midas.pipelines.preprocess;

/**
 * Splits of the token dataset: which split a document falls in (by its content hash alone, so a
 * document is never in both) and how many shards a split gets.
 */
public final class Splits {
  public static final String TRAIN = "train";
  public static final String VALIDATION = "validation";

  private Splits() {}

  /** Validation when the first 64 bits of the document's SHA-256, as a fraction, fall below it. */
  public static String splitOf(String sha256Hex, double validationFraction) {
    long bits = Long.parseUnsignedLong(sha256Hex.substring(0, 16), 16);
    double u = (bits >>> 11) * 0x1.0p-53;
    return u < validationFraction ? VALIDATION : TRAIN;
  }

  /**
   * Shards for a split of {@code tokens} tokens: enough that none holds over {@code shardTokens}.
   */
  public static int shards(long tokens, long shardTokens) {
    return (int) Math.max(1, (tokens + shardTokens - 1) / shardTokens);
  }
}
