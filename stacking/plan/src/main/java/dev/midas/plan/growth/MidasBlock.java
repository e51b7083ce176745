package dev.midas.plan.growth;

/**
 * Which block MIDAS duplicates in a model of {@code n} blocks: the middle one, {@code ceil(n/2)}
 * (1-based); for even {@code n} the two central blocks tie and the rule picks the left ({@code
 * ceil(n/2)}, the default) or the right ({@code n/2 + 1}). The growth operators and LAG's candidate
 * list both read it here.
 */
public final class MidasBlock {
  public static final String LEFT = "left";
  public static final String RIGHT = "right";

  private MidasBlock() {}

  /**
   * @param tie {@code left} or {@code right}
   */
  public static int of(int n, String tie) {
    if (n < 1) {
      throw new IllegalArgumentException("a model has at least one block, not " + n);
    }
    return n % 2 == 0 && RIGHT.equals(tie) ? n / 2 + 1 : (n + 1) / 2;
  }
}
