package dev.midas.stacking.data;

/** Windows held in one flat int array: tests, small corpora, and whatever a shard reader loaded. */
public final class InMemoryTokenDataset implements TokenDataset {
  private final int window;
  private final int[] tokens;

  /** {@code tokens.length} must be a multiple of {@code windowLength}. */
  public InMemoryTokenDataset(int windowLength, int[] tokens) {
    if (windowLength < 2) {
      throw new DatasetException("a window needs at least 2 tokens, got " + windowLength);
    }
    if (tokens.length % windowLength != 0) {
      throw new DatasetException(
          tokens.length + " tokens do not split into windows of " + windowLength);
    }
    this.window = windowLength;
    this.tokens = tokens;
  }

  @Override
  public int windowLength() {
    return window;
  }

  @Override
  public long sequences() {
    return tokens.length / window;
  }

  @Override
  public void read(long index, int[] dst, int offset) {
    System.arraycopy(tokens, Math.toIntExact(index * window), dst, offset, window);
  }
}
