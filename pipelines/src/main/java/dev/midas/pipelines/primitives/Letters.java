package dev.midas.pipelines.primitives;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Random draws without replacement: variable letters, permutations. */
final class Letters {
  private Letters() {}

  /** {@code n} distinct letters starting from {@code first} ('a' or 'A'), in random order. */
  static List<String> distinct(SplittableRandom rng, int n, char first) {
    int[] order = permutation(rng, 26);
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(String.valueOf((char) (first + order[i])));
    }
    return out;
  }

  /** A uniformly random permutation of 0..n-1 (Fisher-Yates). */
  static int[] permutation(SplittableRandom rng, int n) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }
}
