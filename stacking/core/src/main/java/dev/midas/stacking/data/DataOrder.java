package dev.midas.stacking.data;

import java.util.Random;

/**
 * The deterministic order of training windows: each epoch is a permutation of all window indices
 * drawn from (seed, epoch) with {@link Random} (whose algorithm is specified, so every JVM agrees),
 * cut into batches of {@code batchSize}; the incomplete tail of an epoch is skipped. A position is
 * (epoch, cursor = batch within the epoch), which is all a checkpoint needs to resume the order.
 */
public final class DataOrder {
  private final long sequences;
  private final int batchSize;
  private final long seed;
  private long cachedEpoch = -1;
  private int[] permutation;

  public DataOrder(long sequences, int batchSize, long seed) {
    if (batchSize <= 0) {
      throw new DatasetException("batch size must be positive, got " + batchSize);
    }
    if (sequences < batchSize) {
      throw new DatasetException(
          "the dataset has " + sequences + " sequences, fewer than one batch of " + batchSize);
    }
    if (sequences > Integer.MAX_VALUE) {
      throw new DatasetException(sequences + " sequences exceed one in-memory permutation");
    }
    this.sequences = sequences;
    this.batchSize = batchSize;
    this.seed = seed;
  }

  public long batchesPerEpoch() {
    return sequences / batchSize;
  }

  public int batchSize() {
    return batchSize;
  }

  /** Window indices of batch {@code cursor} of {@code epoch}. */
  public synchronized long[] batch(long epoch, long cursor) {
    if (cursor < 0 || cursor >= batchesPerEpoch()) {
      throw new IllegalArgumentException(
          "cursor " + cursor + " is outside an epoch of " + batchesPerEpoch() + " batches");
    }
    int[] p = permutation(epoch);
    long[] idx = new long[batchSize];
    int start = Math.toIntExact(cursor * batchSize);
    for (int i = 0; i < batchSize; i++) {
      idx[i] = p[start + i];
    }
    return idx;
  }

  private int[] permutation(long epoch) {
    if (epoch != cachedEpoch) {
      int n = (int) sequences;
      int[] p = new int[n];
      for (int i = 0; i < n; i++) {
        p[i] = i;
      }
      Random r = new Random(mix(seed, epoch));
      for (int i = n - 1; i > 0; i--) {
        int j = r.nextInt(i + 1);
        int t = p[i];
        p[i] = p[j];
        p[j] = t;
      }
      permutation = p;
      cachedEpoch = epoch;
    }
    return permutation;
  }

  /** SplitMix64 of (seed, epoch): unrelated streams for neighbouring epochs and seeds. */
  static long mix(long seed, long epoch) {
    long z = seed * 0x9E3779B97F4A7C15L + epoch + 0x632BE59BD9B4E019L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
