package dev.midas.pipelines.tokenizer;

import java.util.List;

/**
 * A learned byte-level BPE vocabulary: tokens in id order (the end-of-text token first, then the
 * 256 byte characters, then one token per merge) and the merges in the order they were learned.
 */
public record BpeModel(List<String> vocab, List<Merge> merges, String eosToken) {
  /** The id of the end-of-text token: always 0 in models this package learns. */
  public static final int EOS_ID = 0;

  /** Default end-of-text token, GPT-2's spelling. */
  public static final String DEFAULT_EOS = "<|endoftext|>";

  /** One merge rule: the pair of tokens {@code left right} becomes {@code left + right}. */
  public record Merge(String left, String right) {}

  public int vocabSize() {
    return vocab.size();
  }
}
