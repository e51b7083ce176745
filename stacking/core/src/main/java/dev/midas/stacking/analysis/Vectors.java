package dev.midas.stacking.analysis;

/** Dot products and cosines in double precision over float data, as similarity needs them. */
final class Vectors {
  private Vectors() {}

  /** Cosine of two equally long vectors; 0 when either is all zeros (no direction to compare). */
  static double cosine(float[] a, float[] b) {
    return cosine(a, 0, b, 0, a.length);
  }

  static double cosine(float[] a, int aFrom, float[] b, int bFrom, int n) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < n; i++) {
      double x = a[aFrom + i];
      double y = b[bFrom + i];
      dot += x * y;
      na += x * x;
      nb += y * y;
    }
    if (na == 0 || nb == 0) {
      return 0;
    }
    return dot / Math.sqrt(na * nb);
  }

  static double cosine(double[] a, double[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
      na += a[i] * a[i];
      nb += b[i] * b[i];
    }
    if (na == 0 || nb == 0) {
      return 0;
    }
    return dot / Math.sqrt(na * nb);
  }
}
