package dev.midas.stacking.growth;

import java.util.List;

/**
 * One growth: the operator, block size b, optimizer-state policy, the explicit source list
 * (operator {@code map} only) and the seed for freshly initialised layers (operator {@code random}
 * only).
 */
public record GrowthRequest(
    GrowthOperator operator,
    int blockSize,
    OptimizerStatePolicy optimizerState,
    List<Integer> map,
    long seed) {

  public GrowthRequest {
    if (blockSize <= 0) {
      throw new GrowthException("blockSize must be positive, got " + blockSize);
    }
    map = map == null ? List.of() : List.copyOf(map);
  }

  /** A request with the default policy (copy), no map, seed 0. */
  public static GrowthRequest of(GrowthOperator operator, int blockSize) {
    return new GrowthRequest(operator, blockSize, OptimizerStatePolicy.COPY, List.of(), 0L);
  }

  public GrowthRequest withOptimizerState(OptimizerStatePolicy p) {
    return new GrowthRequest(operator, blockSize, p, map, seed);
  }

  public GrowthRequest withMap(List<Integer> m) {
    return new GrowthRequest(operator, blockSize, optimizerState, m, seed);
  }

  public GrowthRequest withSeed(long s) {
    return new GrowthRequest(operator, blockSize, optimizerState, map, s);
  }
}
