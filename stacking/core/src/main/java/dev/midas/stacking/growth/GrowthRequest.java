package dev.midas.stacking.growth;

import java.util.List;

/**
 * One growth: the operator, block size b, optimizer-state policy, the explicit source list
 * (operator {@code map} only), the seed for freshly initialised layers (operator {@code random}
 * only), MIDAS's even-n rule (midas, random and zero place their block by it) and the block
 * operator {@code duplicate} copies (1-based; 0 otherwise).
 */
public record GrowthRequest(
    GrowthOperator operator,
    int blockSize,
    OptimizerStatePolicy optimizerState,
    List<Integer> map,
    long seed,
    LayerMaps.Tie tie,
    int duplicateBlock) {

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
    this(operator, blockSize, optimizerState, map, seed, LayerMaps.Tie.LEFT, 0);
  }

  /** A request for the operator as the spec names it: {@code duplicate-3} copies block 3. */
  public static GrowthRequest named(String id, int blockSize) {
    GrowthOperator op = GrowthOperator.parse(id);
    return new GrowthRequest(
        op,
        blockSize,
        OptimizerStatePolicy.COPY,
        List.of(),
        0L,
        LayerMaps.Tie.LEFT,
        dev.midas.plan.lag.LagPlan.duplicateBlock(id).orElse(0));
  }

  /** A request with the default policy (copy), no map, seed 0, the left tie. */
  public static GrowthRequest of(GrowthOperator operator, int blockSize) {
    return new GrowthRequest(operator, blockSize, OptimizerStatePolicy.COPY, List.of(), 0L);
  }

  public GrowthRequest withOptimizerState(OptimizerStatePolicy p) {
    return new GrowthRequest(operator, blockSize, p, map, seed, tie, duplicateBlock);
  }

  public GrowthRequest withMap(List<Integer> m) {
    return new GrowthRequest(operator, blockSize, optimizerState, m, seed, tie, duplicateBlock);
  }

  public GrowthRequest withSeed(long s) {
    return new GrowthRequest(operator, blockSize, optimizerState, map, s, tie, duplicateBlock);
  }

  public GrowthRequest withTie(LayerMaps.Tie t) {
    return new GrowthRequest(operator, blockSize, optimizerState, map, seed, t, duplicateBlock);
  }
}
