package dev.midas.stacking.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Where each token of a batch of packed rows sits and what it may attend to: position ids [B, T]
 * and an attention mask [B, 1, T, T] (true: query i may read key j). With it several continuations
 * of one context share a row, each at the positions it would have right after the context and
 * reading only the context and its own earlier tokens, so the context is processed once for all of
 * them. A causal row is the special case positions 0..T-1 and j <= i.
 *
 * @param maxPosition the largest position id (checked against seq_len without reading the array)
 */
public record TokenLayout(NDArray positions, NDArray allowed, int maxPosition) {

  /**
   * Arrays in {@code scope} from row-major Java arrays.
   *
   * @param positions [rows * t] position ids
   * @param allowed [rows * t * t] mask, query-major: entry (r, i, j) at (r * t + i) * t + j
   */
  public static TokenLayout of(
      NDManager scope, int rows, int t, int[] positions, boolean[] allowed) {
    if (positions.length != rows * t || allowed.length != rows * t * t) {
      throw new IllegalArgumentException(
          "layout of " + rows + " rows of " + t + " tokens needs " + rows * t + " positions");
    }
    int max = 0;
    for (int p : positions) {
      if (p < 0) {
        throw new IllegalArgumentException("negative position id " + p);
      }
      max = Math.max(max, p);
    }
    return new TokenLayout(
        scope.create(positions, new Shape(rows, t)),
        scope.create(allowed, new Shape(rows, 1, t, t)),
        max);
  }
}
