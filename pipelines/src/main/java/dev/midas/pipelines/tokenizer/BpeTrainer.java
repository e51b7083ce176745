package dev.midas.pipelines.tokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;

/**
 * Learns byte-level BPE merges from pre-token counts. Deterministic: the most frequent pair wins,
 * ties go to the lexicographically smaller (left, right) pair, so the same counts always give the
 * same tokenizer on any runner.
 *
 * <p>Every merge yields a token string not in the vocabulary yet. That holds by construction: a
 * merge is applied left to right in every word that holds the pair, so a span with symbol
 * boundaries at both ends is segmented exactly as that span alone would be; once one split of a
 * string has been merged, every span spelling it has been merged too, and no second split of it can
 * ever be adjacent. {@link #merge} still checks it, since a duplicate would make {@code
 * tokenizer.json} hold one key twice.
 *
 * <p>Pair counts are updated incrementally (only the words holding the merged pair are touched),
 * which keeps a Brown-sized vocabulary of 8k tokens to a few seconds.
 */
public final class BpeTrainer {
  /** The end-of-text token plus the 256 byte tokens. */
  public static final int BASE_VOCAB = 257;

  private final List<String> tokens = new ArrayList<>();
  private final Set<String> known = new HashSet<>();
  private final List<BpeModel.Merge> merges = new ArrayList<>();
  private final Map<Long, Long> pairCounts = new HashMap<>();
  private final Map<Long, IntList> pairWords = new HashMap<>();
  private final PriorityQueue<Candidate> queue;
  private int[][] words;
  private long[] counts;
  private int[] visitedAt;

  private BpeTrainer() {
    queue = new PriorityQueue<>(this::compare);
  }

  /**
   * Learns up to {@code vocabSize - 257} merges from byte-level pre-token counts (as produced by
   * {@link PreTokenizer}); stops early when no pair occurs at least {@code minPairCount} times.
   */
  public static BpeModel train(
      Map<String, Long> wordCounts, int vocabSize, int minPairCount, String eosToken) {
    if (vocabSize < BASE_VOCAB) {
      throw new IllegalArgumentException(
          "vocabSize "
              + vocabSize
              + " is below "
              + BASE_VOCAB
              + " (one end-of-text token and 256 byte tokens)");
    }
    BpeTrainer trainer = new BpeTrainer();
    trainer.init(new TreeMap<>(wordCounts), eosToken);
    trainer.learn(vocabSize, Math.max(1, minPairCount));
    return new BpeModel(List.copyOf(trainer.tokens), List.copyOf(trainer.merges), eosToken);
  }

  private void init(TreeMap<String, Long> sorted, String eosToken) {
    tokens.add(eosToken);
    known.add(eosToken);
    int[] idOfChar = new int[512];
    Arrays.fill(idOfChar, -1);
    for (int b = 0; b < 256; b++) {
      char c = ByteLevel.charOf(b);
      idOfChar[c] = tokens.size();
      tokens.add(String.valueOf(c));
      known.add(String.valueOf(c));
    }
    words = new int[sorted.size()][];
    counts = new long[sorted.size()];
    visitedAt = new int[sorted.size()];
    int w = 0;
    for (Map.Entry<String, Long> e : sorted.entrySet()) {
      String word = e.getKey();
      int[] symbols = new int[word.length()];
      for (int i = 0; i < symbols.length; i++) {
        char c = word.charAt(i);
        if (c >= idOfChar.length || idOfChar[c] < 0) {
          throw new IllegalArgumentException(
              "pre-token '" + word + "' is not byte-level text (character U+" + (int) c + ")");
        }
        symbols[i] = idOfChar[c];
      }
      words[w] = symbols;
      counts[w] = e.getValue();
      for (int i = 0; i + 1 < symbols.length; i++) {
        long pair = pair(symbols[i], symbols[i + 1]);
        pairCounts.merge(pair, counts[w], Long::sum);
        pairWords.computeIfAbsent(pair, k -> new IntList()).add(w);
      }
      w++;
    }
    pairCounts.forEach((pair, count) -> queue.add(new Candidate(pair, count)));
  }

  private void learn(int vocabSize, int minPairCount) {
    while (tokens.size() < vocabSize && !queue.isEmpty()) {
      Candidate best = queue.poll();
      long current = pairCounts.getOrDefault(best.pair, 0L);
      if (current != best.count) {
        if (current > 0) {
          queue.add(new Candidate(best.pair, current)); // stale entry: requeue at its true count
        }
        continue;
      }
      if (current < minPairCount) {
        break;
      }
      merge(best.pair);
    }
  }

  private void merge(long pair) {
    int left = (int) (pair >>> 32);
    int right = (int) pair;
    int merged = tokens.size();
    String token = tokens.get(left) + tokens.get(right);
    if (!known.add(token)) {
      throw new IllegalStateException(
          "BPE merge '"
              + tokens.get(left)
              + "' + '"
              + tokens.get(right)
              + "' gives '"
              + token
              + "', already in the vocabulary: the merges were applied inconsistently");
    }
    tokens.add(token);
    merges.add(new BpeModel.Merge(tokens.get(left), tokens.get(right)));
    Map<Long, Long> delta = new HashMap<>();
    IntList holders = pairWords.remove(pair);
    if (holders == null) {
      return;
    }
    for (int k = 0; k < holders.size; k++) {
      int w = holders.values[k];
      if (visitedAt[w] == merged) {
        continue;
      }
      visitedAt[w] = merged;
      int[] old = words[w];
      int[] out = new int[old.length];
      int n = 0;
      for (int i = 0; i < old.length; ) {
        if (i + 1 < old.length && old[i] == left && old[i + 1] == right) {
          out[n++] = merged;
          i += 2;
        } else {
          out[n++] = old[i++];
        }
      }
      if (n == old.length) {
        continue;
      }
      long c = counts[w];
      for (int i = 0; i + 1 < old.length; i++) {
        delta.merge(pair(old[i], old[i + 1]), -c, Long::sum);
      }
      for (int i = 0; i + 1 < n; i++) {
        long p = pair(out[i], out[i + 1]);
        delta.merge(p, c, Long::sum);
        if (out[i] == merged || out[i + 1] == merged) {
          pairWords.computeIfAbsent(p, x -> new IntList()).add(w);
        }
      }
      words[w] = Arrays.copyOf(out, n);
    }
    for (Map.Entry<Long, Long> d : delta.entrySet()) {
      if (d.getValue() == 0) {
        continue;
      }
      long updated = pairCounts.getOrDefault(d.getKey(), 0L) + d.getValue();
      if (updated <= 0) {
        pairCounts.remove(d.getKey());
      } else {
        pairCounts.put(d.getKey(), updated);
        if (d.getValue() > 0) {
          queue.add(new Candidate(d.getKey(), updated));
        }
      }
    }
  }

  private int compare(Candidate x, Candidate y) {
    if (x.count != y.count) {
      return Long.compare(y.count, x.count);
    }
    int byLeft = tokens.get((int) (x.pair >>> 32)).compareTo(tokens.get((int) (y.pair >>> 32)));
    if (byLeft != 0) {
      return byLeft;
    }
    return tokens.get((int) x.pair).compareTo(tokens.get((int) y.pair));
  }

  private static long pair(int left, int right) {
    return ((long) left << 32) | (right & 0xffffffffL);
  }

  private record Candidate(long pair, long count) {}

  /** A growable int array: the word indices holding a pair, without boxing. */
  private static final class IntList {
    int[] values = new int[4];
    int size;

    void add(int v) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = v;
    }
  }
}
