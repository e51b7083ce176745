package dev.midas.stacking.growth;

import java.util.List;

/**
 * One growth: the operator, block size b, optimizer-state policy, the explicit source list
 * (operator {@code map} only), the seed for freshly initialised layers (operator {@code random}
 * only) and MIDAS's even-n rule (midas, random and zero place their block by it).
 */
public record GrowthRequest(
    GrowthOperator operator,
    int blockSize,
    OptimizerStatePolicy optimizerState,
    List<Integer> map,
    long seed,
    LayerMaps.Tie tie) {

  public GrowthRequest {
    if (blockSize <= 0) {
      throw new GrowthException("blockSize must be positive, got " + blockSize);
    }
    map = map == null ? List.of() : List.copyOf(map);
    tie = tie == null ? LayerMaps.Tie.LEFT : tie;
  }

  public GrowthRequest(
      GrowthOperator operator,
      int blockSize,
      OptimizerStatePolicy optimizerState,
      List<Integer> map,
      long seed) {
    this(operator, blockSize, optimizerState, map, seed, LayerMaps.Tie.LEFT);
  }

  /** A request with the default policy (copy), no map, seed 0, the left tie. */
  public static GrowthRequest of(GrowthOperator operator, int blockSize) {
    return new GrowthRequest(operator, blockSize, OptimizerStatePolicy.COPY, List.of(), 0L);
  }

  public GrowthRequest withOptimizerState(OptimizerStatePolicy p) {
    return new GrowthRequest(operator, blockSize, p, map, seed, tie);
  }

  public GrowthRequest withMap(List<Integer> m) {
    return new GrowthRequest(operator, blockSize, optimizerState, m, seed, tie);
  }

  public GrowthRequest withSeed(long s) {
    return new GrowthRequest(operator, blockSize, optimizerState, map, s, tie);
  }

  public GrowthRequest withTie(LayerMaps.Tie t) {
    return new GrowthRequest(operator, blockSize, optimizerState, map, seed, t);
  }
}
