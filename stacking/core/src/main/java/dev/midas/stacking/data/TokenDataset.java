package dev.midas.stacking.data;

/**
 * Packed training windows: {@link #sequences()} windows of {@link #windowLength()} = seq_len + 1
 * token ids each (inputs are the first seq_len, targets the last seq_len). Random access by index,
 * so the data order can be a seeded permutation and a resume can start at any batch.
 */
public interface TokenDataset {

  /** Tokens per window: seq_len + 1. */
  int windowLength();

  /** Number of windows. */
  long sequences();

  /** Copies window {@code index} into {@code dst[offset .. offset + windowLength())}. */
  void read(long index, int[] dst, int offset);

  default int seqLen() {
    return windowLength() - 1;
  }
}
