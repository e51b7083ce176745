package dev.midas.stacking.eval;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One query as one row: its context, then every continuation token that is read from (all but each
 * continuation's last), merged into a trie so shared prefixes appear once. A trie token sits at the
 * position it would have right after the context and attends to the context and its own ancestors
 * only, so each continuation is scored exactly as if it followed the context alone.
 *
 * <p>Row index {@code context.length - 1} is the trie's root: the position that predicts every
 * continuation's first token.
 */
final class PackedRow {
  final int contextLength;
  final int continuations;
  private final List<Integer> tokens = new ArrayList<>();
  private final List<Integer> positions = new ArrayList<>();
  private final List<Integer> parents = new ArrayList<>();
  private final Map<Integer, Map<Integer, Integer>> children = new HashMap<>();

  /** Where each continuation token's log-probability is read: predicted at row index {@code at}. */
  record Read(int continuation, int at, int token) {}

  final List<Read> reads = new ArrayList<>();

  PackedRow(int[] context, List<int[]> continuations) {
    if (context.length == 0) {
      throw new IllegalArgumentException("scoring needs at least one context token");
    }
    contextLength = context.length;
    this.continuations = continuations.size();
    for (int i = 0; i < context.length; i++) {
      tokens.add(context[i]);
      positions.add(i);
      parents.add(i - 1);
    }
    for (int c = 0; c < continuations.size(); c++) {
      int[] cont = continuations.get(c);
      if (cont.length == 0) {
        throw new IllegalArgumentException("an empty continuation cannot be scored");
      }
      int at = root();
      for (int k = 0; k < cont.length; k++) {
        reads.add(new Read(c, at, cont[k]));
        if (k + 1 < cont.length) {
          at = childOrAdd(at, cont[k], contextLength + k);
        }
      }
    }
  }

  int root() {
    return contextLength - 1;
  }

  int length() {
    return tokens.size();
  }

  int token(int i) {
    return tokens.get(i);
  }

  int position(int i) {
    return positions.get(i);
  }

  /** The row index of the trie node for {@code token} after node {@code at}, or -1. */
  int child(int at, int token) {
    Map<Integer, Integer> c = children.get(at);
    Integer i = c == null ? null : c.get(token);
    return i == null ? -1 : i;
  }

  /**
   * Whether query {@code i} may attend to key {@code j}: causal in the context, ancestors after.
   */
  void fillMask(boolean[] mask, int offset, int width) {
    for (int i = 0; i < length(); i++) {
      int row = offset + i * width;
      if (i < contextLength) {
        for (int j = 0; j <= i; j++) {
          mask[row + j] = true;
        }
        continue;
      }
      for (int j = 0; j < contextLength; j++) {
        mask[row + j] = true;
      }
      for (int a = i; a >= contextLength; a = parents.get(a)) {
        mask[row + a] = true;
      }
    }
  }

  private int childOrAdd(int at, int token, int position) {
    int existing = child(at, token);
    if (existing >= 0) {
      return existing;
    }
    int index = tokens.size();
    tokens.add(token);
    positions.add(position);
    parents.add(at);
    children.computeIfAbsent(at, k -> new HashMap<>()).put(token, index);
    return index;
  }
}
