package dev.midas.stacking.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * The two ways a continuation is scored: greedy decoding (what the model would write) and the
 * log-likelihood of given continuations (which of the candidates it prefers). Contexts longer than
 * the model takes lose their oldest tokens.
 *
 * <p>Many contexts are scored together: rows of different lengths share one forward pass, padded on
 * the right (causal attention never lets padding reach the positions read before it), so a task's
 * queries cost a few batched passes instead of one small pass per query and token.
 */
public final class SequenceScoring {
  /**
   * Tokens per forward pass: large enough that a pass is matrix work rather than per-call overhead,
   * small enough that the [rows, T, vocab] logits stay a few hundred MB at seq_len 512.
   */
  static final int TOKENS_PER_PASS = 8192;

  /** One query for {@link #logLikelihoods(ScoringModel, List)}: a context and its candidates. */
  public record Query(int[] context, List<int[]> continuations) {}

  private SequenceScoring() {}

  /**
   * Greedy continuation of {@code context}: at most {@code maxNew} tokens, stopping after a token
   * for which {@code stop} holds (that token included).
   */
  public static int[] greedy(ScoringModel model, int[] context, int maxNew, IntPredicate stop) {
    return greedy(model, List.of(context), maxNew, (row, generated) -> stop.test(last(generated)))
        .get(0);
  }

  /** Decides after each new token whether a row's decoding ends there. */
  @FunctionalInterface
  public interface RowStop {
    /**
     * @param row index of the context
     * @param generated the row's tokens so far, the newest last
     */
    boolean test(int row, int[] generated);
  }

  /**
   * Greedy continuations of each context, decoded together; a row ends after at most {@code maxNew}
   * tokens or once {@code stop} says so (a caller that only needs to know whether the text can
   * still become something ends rows early).
   */
  public static List<int[]> greedy(
      ScoringModel model, List<int[]> contexts, int maxNew, RowStop stop) {
    int keep = Math.max(1, model.maxTokens() - maxNew);
    int n = contexts.size();
    int[][] seqs = new int[n][];
    int[][] out = new int[n][maxNew];
    int[] produced = new int[n];
    List<Integer> active = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      seqs[i] = tail(contexts.get(i), keep);
      active.add(i);
    }
    for (int step = 0; step < maxNew && !active.isEmpty(); step++) {
      int per = rowsPerPass(model);
      for (int first = 0; first < active.size(); first += per) {
        List<Integer> chunk = active.subList(first, Math.min(active.size(), first + per));
        int[] next = lastArgMax(model, chunk, seqs);
        for (int j = 0; j < chunk.size(); j++) {
          int i = chunk.get(j);
          out[i][produced[i]++] = next[j];
          seqs[i] = Arrays.copyOf(seqs[i], seqs[i].length + 1);
          seqs[i][seqs[i].length - 1] = next[j];
        }
      }
      active.removeIf(i -> stop.test(i, Arrays.copyOf(out[i], produced[i])));
    }
    List<int[]> result = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      result.add(Arrays.copyOf(out[i], produced[i]));
    }
    return result;
  }

  /** The argmax token after the last position of each row of {@code rows} (indices into seqs). */
  private static int[] lastArgMax(ScoringModel model, List<Integer> rows, int[][] seqs) {
    int t = rows.stream().mapToInt(i -> seqs[i].length).max().orElseThrow();
    int[] batch = new int[rows.size() * t];
    for (int j = 0; j < rows.size(); j++) {
      int[] s = seqs[rows.get(j)];
      System.arraycopy(s, 0, batch, j * t, s.length);
    }
    long[] best;
    try (NDManager scope = model.newScope()) {
      NDArray tokens = scope.create(batch, new Shape(rows.size(), t));
      best = model.logits(tokens).argMax(2).toType(DataType.INT64, false).toLongArray();
    }
    int[] next = new int[rows.size()];
    for (int j = 0; j < rows.size(); j++) {
      next[j] = (int) best[j * t + seqs[rows.get(j)].length - 1];
    }
    return next;
  }

  /**
   * Sum of log p(continuation | context) for each continuation, scored together in one batch.
   * Context tokens are dropped from the front so that the longest continuation fits.
   */
  public static double[] logLikelihoods(
      ScoringModel model, int[] context, List<int[]> continuations) {
    return logLikelihoods(model, List.of(new Query(context, continuations))).get(0);
  }

  /**
   * {@link #logLikelihoods(ScoringModel, int[], List)} of each query. Continuations whose tokens
   * before the last one are the same (or a prefix of another's) are read off one row, so the
   * single-token candidates of a query cost one row together.
   */
  public static List<double[]> logLikelihoods(ScoringModel model, List<Query> queries) {
    List<int[]> rows = new ArrayList<>();
    List<Read> reads = new ArrayList<>();
    List<double[]> sums = new ArrayList<>(queries.size());
    for (int q = 0; q < queries.size(); q++) {
      addRows(queries.get(q), q, model.maxTokens(), rows, reads);
      sums.add(new double[queries.get(q).continuations().size()]);
    }
    int per = rowsPerPass(model);
    for (int first = 0; first < rows.size(); first += per) {
      int end = Math.min(rows.size(), first + per);
      int from = first;
      List<Read> inPass = reads.stream().filter(r -> r.row() >= from && r.row() < end).toList();
      float[] values = logProbs(model, rows.subList(first, end), first, inPass);
      for (int i = 0; i < values.length; i++) {
        Read r = inPass.get(i);
        sums.get(r.query())[r.continuation()] += values[i];
      }
    }
    return sums;
  }

  /**
   * One log-probability read: token {@code token} predicted at {@code position} of row {@code row},
   * a term of the sum of {@code continuation} of {@code query}.
   */
  private record Read(int row, int position, int token, int query, int continuation) {}

  /**
   * The rows one query needs (its context cut to fit, then a continuation without its last token)
   * and where each continuation token's log-probability is read.
   */
  private static void addRows(
      Query q, int query, int maxTokens, List<int[]> rows, List<Read> reads) {
    List<int[]> conts = q.continuations();
    int longest = conts.stream().mapToInt(c -> c.length).max().orElse(0);
    if (longest == 0) {
      throw new IllegalArgumentException("no continuation to score");
    }
    if (longest >= maxTokens) {
      throw new IllegalArgumentException(
          "a continuation of " + longest + " tokens does not fit seq_len " + maxTokens);
    }
    int[] ctx = tail(q.context(), maxTokens - longest);
    if (ctx.length == 0) {
      throw new IllegalArgumentException("scoring needs at least one context token");
    }
    // Longest first, so that a shorter prefix finds the row of a longer one it begins.
    Integer[] order = new Integer[conts.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Integer.compare(conts.get(b).length, conts.get(a).length));
    int firstRow = rows.size();
    for (int i : order) {
      int[] cont = conts.get(i);
      int[] row = null;
      int rowIndex = -1;
      for (int r = firstRow; r < rows.size() && row == null; r++) {
        if (startsWith(rows.get(r), ctx.length, cont, cont.length - 1)) {
          row = rows.get(r);
          rowIndex = r;
        }
      }
      if (row == null) {
        row = Arrays.copyOf(ctx, ctx.length + cont.length - 1);
        System.arraycopy(cont, 0, row, ctx.length, cont.length - 1);
        rowIndex = rows.size();
        rows.add(row);
      }
      // Continuation token k sits at position ctx.length + k, predicted from the position before.
      for (int k = 0; k < cont.length; k++) {
        reads.add(new Read(rowIndex, ctx.length + k - 1, cont[k], query, i));
      }
    }
  }

  /** Whether {@code row}, from {@code offset} on, begins with the first n tokens of prefix. */
  private static boolean startsWith(int[] row, int offset, int[] prefix, int n) {
    if (row.length - offset < n) {
      return false;
    }
    return Arrays.equals(row, offset, offset + n, prefix, 0, n);
  }

  /** Log-probabilities of the reads from one pass over {@code rows} (global index firstRow on). */
  private static float[] logProbs(
      ScoringModel model, List<int[]> rows, int firstRow, List<Read> reads) {
    int t = rows.stream().mapToInt(r -> r.length).max().orElseThrow();
    int[] batch = new int[rows.size() * t];
    for (int j = 0; j < rows.size(); j++) {
      System.arraycopy(rows.get(j), 0, batch, j * t, rows.get(j).length);
    }
    try (NDManager scope = model.newScope()) {
      NDArray logits = model.logits(scope.create(batch, new Shape(rows.size(), t)));
      long vocab = logits.getShape().get(2);
      long[] flat = new long[reads.size()];
      for (int i = 0; i < flat.length; i++) {
        Read r = reads.get(i);
        flat[i] = ((r.row() - firstRow) * (long) t + r.position()) * vocab + r.token();
      }
      return logits
          .logSoftmax(2)
          .reshape(-1)
          .gather(scope.create(flat), 0)
          .toType(DataType.FLOAT32, false)
          .toFloatArray();
    }
  }

  /** Rows a forward pass takes: {@link #TOKENS_PER_PASS} tokens of rows up to seq_len long. */
  private static int rowsPerPass(ScoringModel model) {
    return Math.max(1, TOKENS_PER_PASS / Math.max(1, model.maxTokens()));
  }

  private static int last(int[] ids) {
    return ids[ids.length - 1];
  }

  static int[] tail(int[] ids, int keep) {
    return ids.length <= keep ? ids : Arrays.copyOfRange(ids, ids.length - keep, ids.length);
  }
}
