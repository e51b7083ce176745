package dev.midas.pipelines.preprocess;

import dev.midas.pipelines.dataset.Sha256;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The seeded, content-addressed choices of the preprocessing pipeline: which split a document falls
 * in (by its content hash alone, so a document is never in both), where it lands in the shuffle,
 * and how many shards a split gets.
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

  /** A 64-bit key from the seed and any parts, stable across JVMs and runners. */
  public static long key(long seed, Object... parts) {
    MessageDigest d = Sha256.newDigest();
    d.update(Long.toString(seed).getBytes(StandardCharsets.UTF_8));
    for (Object part : parts) {
      d.update((byte) 0);
      d.update(String.valueOf(part).getBytes(StandardCharsets.UTF_8));
    }
    byte[] h = d.digest();
    long k = 0;
    for (int i = 0; i < 8; i++) {
      k = (k << 8) | (h[i] & 0xff);
    }
    return k;
  }

  /**
   * Shards for a split of {@code tokens} tokens: enough that none holds over {@code shardTokens}.
   */
  public static int shards(long tokens, long shardTokens) {
    return (int) Math.max(1, (tokens + shardTokens - 1) / shardTokens);
  }
}
