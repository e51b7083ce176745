package dev.midas.stacking.data;

/**
 * One batch of windows, row-major [batchSize, window], and where it sits in the data order. The
 * position after it is ({@link #nextEpoch()}, {@link #nextCursor()}).
 */
public record Batch(
    int[] tokens, int batchSize, int window, long epoch, long cursor, long batchesPerEpoch) {

  public long nextEpoch() {
    return cursor + 1 == batchesPerEpoch ? epoch + 1 : epoch;
  }

  public long nextCursor() {
    return cursor + 1 == batchesPerEpoch ? 0 : cursor + 1;
  }
}
