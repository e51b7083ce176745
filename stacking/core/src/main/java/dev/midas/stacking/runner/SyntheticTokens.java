package dev.midas.stacking.runner;

import dev.midas.stacking.data.InMemoryTokenDataset;
import java.util.Random;

/**
 * Data for runs whose spec names no dataset (smoke tests, the tiny demo): a seeded first-order
 * Markov chain in which every token has {@link #BRANCHING} possible successors, so a model can
 * learn it down to {@code ln 4 = 1.386} nats per token from {@code ln(vocab)}. Deterministic from
 * (vocab, seed); train and validation differ only by the stream seed, not by the chain.
 */
public final class SyntheticTokens {
  public static final int BRANCHING = 4;

  private SyntheticTokens() {}

  public static InMemoryTokenDataset generate(
      int vocab, int seqLen, long chainSeed, long streamSeed, int windows) {
    Random chainRnd = new Random(chainSeed);
    int[][] next = new int[vocab][BRANCHING];
    for (int t = 0; t < vocab; t++) {
      for (int k = 0; k < BRANCHING; k++) {
        next[t][k] = chainRnd.nextInt(vocab);
      }
    }
    Random rnd = new Random(streamSeed);
    int[] tokens = new int[windows * (seqLen + 1)];
    int t = rnd.nextInt(vocab);
    for (int i = 0; i < tokens.length; i++) {
      tokens[i] = t;
      t = next[t][rnd.nextInt(BRANCHING)];
    }
    return new InMemoryTokenDataset(seqLen + 1, tokens);
  }
}
