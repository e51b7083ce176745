package dev.midas.pipelines.preprocess;

import java.io.Serializable;

/**
 * How many shards and packing buckets each split gets, fixed before the pipeline runs so that no
 * step waits for a corpus-wide count: from {@code --numShards} when given, otherwise from the input
 * size (about {@value #BYTES_PER_TOKEN} input bytes a token, the rate of byte-level BPE on English
 * text; compressed input underestimates, so give {@code --numShards} for it). The same inputs and
 * options always give the same sizing, on any runner.
 *
 * <p>Packing buckets are independent of shards: each holds about {@value #BUCKET_TOKENS} tokens, so
 * packing spreads over every worker even when a split has one shard, and a bucket's sort stays
 * small whatever the corpus size. Each bucket drops its last partial window.
 */
public record Sizing(int trainShards, int validationShards, int trainBuckets, int validationBuckets)
    implements Serializable {
  public static final long BYTES_PER_TOKEN = 4;
  public static final long BUCKET_TOKENS = 1L << 20;
  private static final long COUNT_BUCKET_BYTES = 8L << 20;

  /** The largest byte range a line-format file is read in. */
  public static final long MAX_RANGE_BYTES = 32L << 20;

  /** The smallest: below it a range's open and seek would cost more than its reading. */
  public static final long MIN_RANGE_BYTES = 1L << 20;

  /** Ranges a small input is cut into, so that every worker of a mid-sized cluster reads some. */
  static final int TARGET_RANGES = 64;

  public Sizing {
    if (trainShards < 1 || validationShards < 1 || trainBuckets < 1 || validationBuckets < 1) {
      throw new IllegalArgumentException("every split needs at least one shard and one bucket");
    }
  }

  /**
   * @param inputBytes total size of the input files
   * @param numShards the train split's shards, or 0 to compute them from {@code shardTokens}
   */
  public static Sizing of(
      long inputBytes, double validationFraction, int numShards, long shardTokens) {
    if (numShards < 0) {
      throw new IllegalArgumentException("--numShards " + numShards + " must be >= 0");
    }
    if (shardTokens < 1) {
      throw new IllegalArgumentException("--shardTokens " + shardTokens + " must be >= 1");
    }
    double tokens = (double) inputBytes / BYTES_PER_TOKEN;
    double validation = tokens * validationFraction;
    double train = tokens - validation;
    int trainShards = numShards > 0 ? numShards : atLeastOne(train / shardTokens);
    int validationShards =
        numShards > 0
            ? atLeastOne(numShards * validationFraction / (1 - validationFraction))
            : atLeastOne(validation / shardTokens);
    return new Sizing(
        trainShards,
        validationShards,
        atLeastOne(train / BUCKET_TOKENS),
        atLeastOne(validation / BUCKET_TOKENS));
  }

  /**
   * Keys the tokenizer's pre-token counts are spread over: one per 8 MiB of input, 16 to 65,536.
   * Only how the work spreads depends on it, never the tokenizer.
   */
  public static int countBuckets(long inputBytes) {
    return (int) Math.max(16, Math.min(1 << 16, inputBytes / COUNT_BUCKET_BYTES));
  }

  /**
   * The byte range line-format files are read in: the input cut into about {@value #TARGET_RANGES}
   * ranges, between {@link #MIN_RANGE_BYTES} and {@link #MAX_RANGE_BYTES}, so a corpus smaller than
   * one big range is still read and cleaned by every worker.
   */
  public static long rangeBytes(long inputBytes) {
    long even = (inputBytes + TARGET_RANGES - 1) / TARGET_RANGES;
    return Math.max(MIN_RANGE_BYTES, Math.min(MAX_RANGE_BYTES, even));
  }

  /**
   * Buckets documents are deduplicated in: one per 4 MiB of input (at least one), each sorted in
   * bounded memory; enough of them to spread the work after reading over every worker.
   */
  public static int dedupeBuckets(long inputBytes) {
    return (int) Math.max(1, Math.min(1 << 20, (inputBytes + (4L << 20) - 1) / (4L << 20)));
  }

  public int shards(String split) {
    return Splits.TRAIN.equals(split) ? trainShards : validationShards;
  }

  public int buckets(String split) {
    return Splits.TRAIN.equals(split) ? trainBuckets : validationBuckets;
  }

  private static int atLeastOne(double n) {
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, Math.ceil(n)));
  }
}
