package dev.midas.plan.schedule;

/**
 * How deep the model is in each stage, the one place that knows it. Stage {@code i} (1-based) of a
 * staged run trains {@code i * b} layers, so there are {@code L / b} stages; the {@code double}
 * operator instead doubles the depth at every growth ({@code b, 2b, 4b, ...}, so {@code L / b} must
 * be a power of two); a baseline is a single stage at full depth.
 */
public record StageDepths(int blockSize, int targetLayers, Progression progression) {

  /** How depth moves from one stage to the next. */
  public enum Progression {
    /** One stage at {@code targetLayers}. */
    SINGLE,
    /** {@code i * blockSize}: midas, gradstack, map, random, zero. */
    ADD_BLOCK,
    /** {@code blockSize * 2^(i-1)}: double. */
    DOUBLE
  }

  public StageDepths {
    if (blockSize <= 0 || targetLayers <= 0 || targetLayers % blockSize != 0) {
      throw new IllegalArgumentException(
          "targetLayers " + targetLayers + " is not a positive multiple of blockSize " + blockSize);
    }
    if (progression == Progression.DOUBLE && Integer.bitCount(targetLayers / blockSize) != 1) {
      throw new IllegalArgumentException(
          "targetLayers / blockSize = " + targetLayers / blockSize + " is not a power of two");
    }
  }

  public int numStages() {
    int blocks = targetLayers / blockSize;
    return switch (progression) {
      case SINGLE -> 1;
      case ADD_BLOCK -> blocks;
      case DOUBLE -> Integer.numberOfTrailingZeros(blocks) + 1;
    };
  }

  /** Layers trained in 1-based stage {@code stage}. */
  public int layers(int stage) {
    if (stage < 1 || stage > numStages()) {
      throw new IllegalArgumentException(
          "stage " + stage + " is outside 1.." + numStages() + " of this experiment");
    }
    return switch (progression) {
      case SINGLE -> targetLayers;
      case ADD_BLOCK -> stage * blockSize;
      case DOUBLE -> blockSize << (stage - 1);
    };
  }
}
