package dev.midas.stacking.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.midas.stacking.model.TokenLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * The two ways a continuation is scored: the log-likelihood of given continuations (which of the
 * candidates the model prefers) and greedy decoding (what the model would write). Nothing is ever
 * cut to fit: a context that leaves no room for its continuations (or for the greedy tokens) within
 * seq_len is refused, so callers choose what to leave out (whole shots) and say so.
 *
 * <p>A query costs one row: its context followed by the trie of its continuations ({@link
 * PackedRow}), so the context is read once for all candidates. Greedy decoding walks the same trie
 * with the argmax read off each node; only a row whose greedy text leaves the trie is decoded
 * further, token by token. Rows of different lengths share a forward pass, padded on the right. The
 * head (the vocabulary-sized product and its log-softmax) runs only at the positions read: a row's
 * trie, or the last token of a row being decoded.
 */
public final class SequenceScoring {
  /**
   * Tokens per forward pass: large enough that a pass is matrix work rather than per-call overhead,
   * small enough that a pass's activations (the [rows, heads, T, T] attention scores) stay a few
   * hundred MB at seq_len 512.
   */
  static final int TOKENS_PER_PASS = 8192;

  /** A context and the continuations whose log-likelihoods are wanted. */
  public record Query(int[] context, List<int[]> continuations) {}

  /** One query scored: each continuation's log-likelihood, and the greedy continuation. */
  public record Scored(double[] logLikelihoods, int[] greedy) {}

  /** Decides after each new token whether a row's decoding ends there. */
  @FunctionalInterface
  public interface RowStop {
    /**
     * @param row index of the query or context
     * @param generated the row's tokens so far, the newest last
     */
    boolean test(int row, int[] generated);
  }

  private SequenceScoring() {}

  /**
   * The longest context that leaves room within {@code maxTokens} for a continuation of {@code
   * longest} tokens and for {@code maxNew} greedy tokens (the last of either is predicted, never
   * fed back).
   */
  public static int contextBudget(int maxTokens, int longest, int maxNew) {
    return maxTokens + 1 - Math.max(1, Math.max(longest, maxNew));
  }

  /**
   * Every query's continuation log-likelihoods and its greedy continuation (at most {@code maxNew}
   * tokens, ending once {@code stop} says so; none when {@code maxNew} is 0).
   *
   * @throws IllegalArgumentException when a context does not fit with its continuations
   */
  public static List<Scored> score(
      ScoringModel model, List<Query> queries, int maxNew, RowStop stop) {
    List<PackedRow> rows = new ArrayList<>(queries.size());
    for (Query q : queries) {
      int longest = q.continuations().stream().mapToInt(c -> c.length).max().orElse(0);
      check(q.context().length, longest, maxNew, model.maxTokens());
      rows.add(new PackedRow(q.context(), q.continuations()));
    }
    double[][] ll = new double[rows.size()][];
    long[][] argmax = new long[rows.size()][];
    int first = 0;
    while (first < rows.size()) {
      int end = passEnd(rows, first);
      pass(model, rows.subList(first, end), first, maxNew > 0, ll, argmax);
      first = end;
    }
    int[][] greedy = new int[rows.size()][0];
    List<Integer> leftTrie = new ArrayList<>();
    for (int r = 0; r < rows.size() && maxNew > 0; r++) {
      List<Integer> gen = new ArrayList<>();
      if (walk(rows.get(r), argmax[r], maxNew, r, stop, gen)) {
        leftTrie.add(r);
      }
      greedy[r] = gen.stream().mapToInt(Integer::intValue).toArray();
    }
    decodeOutsideTrie(model, queries, leftTrie, greedy, maxNew, stop);
    List<Scored> out = new ArrayList<>(rows.size());
    for (int r = 0; r < rows.size(); r++) {
      out.add(new Scored(ll[r], greedy[r]));
    }
    return out;
  }

  /** Sum of log p(continuation | context) for each continuation. */
  public static double[] logLikelihoods(
      ScoringModel model, int[] context, List<int[]> continuations) {
    return logLikelihoods(model, List.of(new Query(context, continuations))).get(0);
  }

  /** {@link #logLikelihoods(ScoringModel, int[], List)} of each query, scored together. */
  public static List<double[]> logLikelihoods(ScoringModel model, List<Query> queries) {
    return score(model, queries, 0, (r, g) -> true).stream().map(Scored::logLikelihoods).toList();
  }

  /**
   * Greedy continuation of {@code context}: at most {@code maxNew} tokens, stopping after a token
   * for which {@code stop} holds (that token included).
   */
  public static int[] greedy(ScoringModel model, int[] context, int maxNew, IntPredicate stop) {
    return greedy(model, List.of(context), maxNew, (row, generated) -> stop.test(last(generated)))
        .get(0);
  }

  /**
   * Greedy continuations of each context, decoded together token by token; a row ends after at most
   * {@code maxNew} tokens or once {@code stop} says so.
   *
   * @throws IllegalArgumentException when a context leaves no room for {@code maxNew} tokens
   */
  public static List<int[]> greedy(
      ScoringModel model, List<int[]> contexts, int maxNew, RowStop stop) {
    for (int[] c : contexts) {
      check(c.length, 0, maxNew, model.maxTokens());
    }
    int[][] out = new int[contexts.size()][0];
    List<Integer> all = new ArrayList<>();
    for (int i = 0; i < contexts.size(); i++) {
      all.add(i);
    }
    decode(model, contexts, all, out, maxNew, stop);
    return Arrays.asList(out);
  }

  private static void check(int context, int longest, int maxNew, int maxTokens) {
    if (context == 0) {
      throw new IllegalArgumentException("scoring needs at least one context token");
    }
    if (context > contextBudget(maxTokens, longest, maxNew)) {
      throw new IllegalArgumentException(
          "a context of "
              + context
              + " tokens with room for "
              + Math.max(longest, maxNew)
              + " more does not fit seq_len "
              + maxTokens);
    }
  }

  /**
   * Follows the argmax through the trie into {@code gen} until decoding ends; returns true when it
   * has not ended but left the trie (the next token needs a pass of its own).
   */
  private static boolean walk(
      PackedRow row, long[] argmax, int maxNew, int r, RowStop stop, List<Integer> gen) {
    int at = row.root();
    while (true) {
      int g = (int) argmax[at];
      gen.add(g);
      if (gen.size() == maxNew
          || stop.test(r, gen.stream().mapToInt(Integer::intValue).toArray())) {
        return false;
      }
      at = row.child(at, g);
      if (at < 0) {
        return true;
      }
    }
  }

  /** Greedy decoding, token by token, of rows whose greedy text left their trie. */
  private static void decodeOutsideTrie(
      ScoringModel model,
      List<Query> queries,
      List<Integer> rows,
      int[][] greedy,
      int maxNew,
      RowStop stop) {
    if (rows.isEmpty()) {
      return;
    }
    List<int[]> contexts = new ArrayList<>(queries.size());
    for (int r = 0; r < queries.size(); r++) {
      int[] ctx = queries.get(r).context();
      int[] seq = Arrays.copyOf(ctx, ctx.length + greedy[r].length);
      System.arraycopy(greedy[r], 0, seq, ctx.length, greedy[r].length);
      contexts.add(seq);
    }
    int[][] more = new int[queries.size()][0];
    int[][] so = greedy;
    RowStop whole = (r, ids) -> stop.test(r, concat(so[r], ids));
    int[] budget = new int[queries.size()];
    for (int r : rows) {
      budget[r] = maxNew - greedy[r].length;
    }
    decode(model, contexts, rows, more, budget, whole);
    for (int r : rows) {
      greedy[r] = concat(greedy[r], more[r]);
    }
  }

  private static void decode(
      ScoringModel model,
      List<int[]> contexts,
      List<Integer> rows,
      int[][] out,
      int maxNew,
      RowStop stop) {
    int[] budget = new int[contexts.size()];
    Arrays.fill(budget, maxNew);
    decode(model, contexts, rows, out, budget, stop);
  }

  /** Token-by-token greedy decoding of {@code rows}, each up to its own budget. */
  private static void decode(
      ScoringModel model,
      List<int[]> contexts,
      List<Integer> rows,
      int[][] out,
      int[] budget,
      RowStop stop) {
    int[][] seqs = new int[contexts.size()][];
    List<Integer> active = new ArrayList<>();
    for (int i : rows) {
      seqs[i] = contexts.get(i);
      if (budget[i] > 0) {
        active.add(i);
      }
    }
    while (!active.isEmpty()) {
      int per = Math.max(1, TOKENS_PER_PASS / Math.max(1, model.maxTokens()));
      for (int first = 0; first < active.size(); first += per) {
        List<Integer> chunk = active.subList(first, Math.min(active.size(), first + per));
        int[] next = lastArgMax(model, chunk, seqs);
        for (int j = 0; j < chunk.size(); j++) {
          int i = chunk.get(j);
          out[i] = Arrays.copyOf(out[i], out[i].length + 1);
          out[i][out[i].length - 1] = next[j];
          seqs[i] = Arrays.copyOf(seqs[i], seqs[i].length + 1);
          seqs[i][seqs[i].length - 1] = next[j];
        }
      }
      active.removeIf(i -> out[i].length >= budget[i] || stop.test(i, out[i]));
    }
  }

  /** The argmax token after the last position of each row of {@code rows} (indices into seqs). */
  private static int[] lastArgMax(ScoringModel model, List<Integer> rows, int[][] seqs) {
    int t = rows.stream().mapToInt(i -> seqs[i].length).max().orElseThrow();
    int[] batch = new int[rows.size() * t];
    for (int j = 0; j < rows.size(); j++) {
      int[] s = seqs[rows.get(j)];
      System.arraycopy(s, 0, batch, j * t, s.length);
    }
    long[] last = new long[rows.size()];
    for (int j = 0; j < rows.size(); j++) {
      last[j] = (long) j * t + seqs[rows.get(j)].length - 1;
    }
    long[] best;
    try (NDManager scope = model.newScope()) {
      NDArray tokens = scope.create(batch, new Shape(rows.size(), t));
      best =
          model
              .logitsAt(tokens, scope.create(last))
              .argMax(1)
              .toType(DataType.INT64, false)
              .toLongArray();
    }
    int[] next = new int[rows.size()];
    for (int j = 0; j < rows.size(); j++) {
      next[j] = (int) best[j];
    }
    return next;
  }

  /** The end of the pass starting at {@code first}: rows while their padded size fits the pass. */
  private static int passEnd(List<PackedRow> rows, int first) {
    int width = 0;
    int end = first;
    while (end < rows.size()) {
      int w = Math.max(width, rows.get(end).length());
      if (end > first && w * (end - first + 1) > TOKENS_PER_PASS) {
        break;
      }
      width = w;
      end++;
    }
    return end;
  }

  /**
   * One forward pass over packed rows: the log-likelihood sums of their continuations and, when
   * {@code argmaxes}, the argmax token at every trie node. Only a row's trie (its root, the last
   * context token, and the continuation tokens after it) is read, so the head runs there alone.
   */
  private static void pass(
      ScoringModel model,
      List<PackedRow> rows,
      int firstRow,
      boolean argmaxes,
      double[][] ll,
      long[][] argmax) {
    int b = rows.size();
    int t = rows.stream().mapToInt(PackedRow::length).max().orElseThrow();
    int[] tokens = new int[b * t];
    int[] positions = new int[b * t];
    boolean[] mask = new boolean[b * t * t];
    int[] base = new int[b]; // where row j's root sits among the read positions
    int n = 0;
    for (int j = 0; j < b; j++) {
      PackedRow row = rows.get(j);
      for (int i = 0; i < row.length(); i++) {
        tokens[j * t + i] = row.token(i);
        positions[j * t + i] = row.position(i);
      }
      row.fillMask(mask, j * t * t, t);
      for (int i = row.length(); i < t; i++) {
        mask[(j * t + i) * t + i] = true; // padding reads itself only
      }
      base[j] = n;
      n += row.length() - row.root();
    }
    long[] at = new long[n];
    for (int j = 0; j < b; j++) {
      PackedRow row = rows.get(j);
      for (int i = row.root(); i < row.length(); i++) {
        at[base[j] + i - row.root()] = (long) j * t + i;
      }
    }
    int reads = rows.stream().mapToInt(r -> r.reads.size()).sum();
    long[] flat = new long[reads];
    try (NDManager scope = model.newScope()) {
      NDArray logits =
          model.logitsAt(
              scope.create(tokens, new Shape(b, t)),
              TokenLayout.of(scope, b, t, positions, mask),
              scope.create(at));
      long vocab = logits.getShape().get(1);
      int k = 0;
      for (int j = 0; j < b; j++) {
        PackedRow row = rows.get(j);
        for (PackedRow.Read r : row.reads) {
          flat[k++] = ((long) base[j] + r.at() - row.root()) * vocab + r.token();
        }
      }
      float[] values =
          logits
              .logSoftmax(1)
              .reshape(-1)
              .gather(scope.create(flat), 0)
              .toType(DataType.FLOAT32, false)
              .toFloatArray();
      long[] best = argmaxes ? logits.argMax(1).toType(DataType.INT64, false).toLongArray() : null;
      k = 0;
      for (int j = 0; j < b; j++) {
        PackedRow row = rows.get(j);
        double[] sums = new double[row.continuations];
        for (PackedRow.Read r : row.reads) {
          sums[r.continuation()] += values[k++];
        }
        ll[firstRow + j] = sums;
        if (best != null) {
          // Indexed by row position as the trie is; positions before the root are never read.
          long[] nodes = new long[row.length()];
          System.arraycopy(best, base[j], nodes, row.root(), row.length() - row.root());
          argmax[firstRow + j] = nodes;
        }
      }
    }
  }

  private static int[] concat(int[] a, int[] b) {
    int[] c = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  private static int last(int[] ids) {
    return ids[ids.length - 1];
  }
}
