package dev.midas.stacking.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.HashMap;
import java.util.Map;

/**
 * Constants that depend only on the sequence length: the rotary cos/sin tables. Built once per
 * length in the model's manager and reused by every step (they are only ever a second operand, so
 * results stay in the step's scope). Values come from {@link StrictMath} so every process computes
 * the same bits.
 */
final class PositionTables {
  static final double ROTARY_BASE = ModelConfigs.ROTARY_BASE;
  private final NDManager manager;
  private final int headDim;
  private final Map<Integer, NDArray[]> rotary = new HashMap<>();

  PositionTables(NDManager manager, int headDim) {
    this.manager = manager;
    this.headDim = headDim;
  }

  /** {cos, sin}, each [T, headDim], halves duplicated for the rotate-half form. */
  NDArray[] rotary(int t) {
    return rotary.computeIfAbsent(
        t,
        n -> {
          int half = headDim / 2;
          float[] cos = new float[n * headDim];
          float[] sin = new float[n * headDim];
          for (int p = 0; p < n; p++) {
            for (int i = 0; i < half; i++) {
              double angle = p / StrictMath.pow(ROTARY_BASE, 2.0 * i / headDim);
              float c = (float) StrictMath.cos(angle);
              float s = (float) StrictMath.sin(angle);
              cos[p * headDim + i] = c;
              cos[p * headDim + half + i] = c;
              sin[p * headDim + i] = s;
              sin[p * headDim + half + i] = s;
            }
          }
          return new NDArray[] {
            manager.create(cos, new Shape(n, headDim)), manager.create(sin, new Shape(n, headDim))
          };
        });
  }
}
