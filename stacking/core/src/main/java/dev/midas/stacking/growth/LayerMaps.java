package dev.midas.stacking.growth;

import dev.midas.plan.growth.MidasBlock;
import java.util.List;

/**
 * The index maps of MIDAS.md section 2: new layer {@code j} copies old layer {@code src[j]} of a
 * model with {@code n} blocks of {@code b} layers. Pure integer functions, so the table can be
 * tested on its own.
 */
public final class LayerMaps {
  private LayerMaps() {}

  /** Which of the two central blocks MIDAS takes when the block count is even. */
  public enum Tie {
    /** Block {@code ceil(n/2)}: the default. */
    LEFT,
    /** Block {@code n/2 + 1}. */
    RIGHT;

    public static Tie parse(String id) {
      return switch (id) {
        case "left", "" -> LEFT;
        case "right" -> RIGHT;
        default -> throw new GrowthException("midas tie '" + id + "' is not left or right");
      };
    }

    public String id() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * The 1-based block MIDAS duplicates: {@code ceil(n/2)}, the left of the two central blocks when
   * {@code n} is even.
   */
  public static int midasBlock(int n) {
    return midasBlock(n, Tie.LEFT);
  }

  /** The 1-based central block MIDAS duplicates; for even {@code n} the tie rule picks one. */
  public static int midasBlock(int n, Tie tie) {
    return MidasBlock.of(n, tie.id());
  }

  /**
   * MIDAS: block {@code m = ceil(n/2)} copied next to itself; {@code src(j) = j < m*b ? j : j-b}.
   */
  public static int[] midas(int n, int b) {
    return midas(n, b, Tie.LEFT);
  }

  /** MIDAS with the given even-n rule. */
  public static int[] midas(int n, int b, Tie tie) {
    return insertCopyAfterBlock(n, b, midasBlock(n, tie));
  }

  /** GradStack: the last block copied on top; {@code src(j) = j < n*b ? j : j-b}. */
  public static int[] gradstack(int n, int b) {
    return insertCopyAfterBlock(n, b, n);
  }

  /** Gong 2019: the whole model stacked on itself; {@code src(j) = j mod (n*b)}. */
  public static int[] doubling(int n, int b) {
    int layers = n * b;
    int[] src = new int[2 * layers];
    for (int j = 0; j < src.length; j++) {
      src[j] = j % layers;
    }
    return src;
  }

  /** An explicit list, checked against the old depth. */
  public static int[] explicit(List<Integer> map, int oldLayers) {
    if (map == null || map.isEmpty()) {
      throw new GrowthException("growth operator map needs a non-empty list of source layers");
    }
    int[] src = new int[map.size()];
    for (int j = 0; j < src.length; j++) {
      Integer s = map.get(j);
      if (s == null || s < 0 || s >= oldLayers) {
        throw new GrowthException(
            "map["
                + j
                + "] = "
                + s
                + " is not a layer of the "
                + oldLayers
                + "-layer model (0.."
                + (oldLayers - 1)
                + ")");
      }
      src[j] = s;
    }
    return src;
  }

  /** Block {@code j} (1-based) copied next to itself, as LAG's {@code duplicate-j} candidate. */
  public static int[] duplicate(int n, int b, int j) {
    if (j < 1 || j > n) {
      throw new GrowthException(
          "duplicate-" + j + " copies block " + j + " but the model has blocks 1.." + n);
    }
    return insertCopyAfterBlock(n, b, j);
  }

  /** Block {@code m} (1-based) duplicated, the copy right after it: new layers m*b .. m*b+b-1. */
  static int[] insertCopyAfterBlock(int n, int b, int m) {
    int[] src = new int[(n + 1) * b];
    for (int j = 0; j < src.length; j++) {
      src[j] = j < m * b ? j : j - b;
    }
    return src;
  }
}
