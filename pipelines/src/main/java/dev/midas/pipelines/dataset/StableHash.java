package dev.midas.pipelines.dataset;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The pipelines' one source of seeded randomness: 64 bits of SHA-256 over the seed and the parts
 * naming a choice. The same on every JVM and runner, and independent of processing order, which is
 * what lets DirectRunner and Flink write identical shards.
 */
public final class StableHash {
  private StableHash() {}

  public static long of(long seed, Object... parts) {
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
}
