package dev.midas.stacking.train;

import dev.midas.proto.ModelConfig;
import dev.midas.stacking.data.InMemoryTokenDataset;
import dev.midas.stacking.data.TokenDataset;
import dev.midas.stacking.model.TestingModels;

/** Smoke-sized training setups shared by the trainer tests and the resume child process. */
public final class TestingRuns {
  private TestingRuns() {}

  public static ModelConfig model() {
    return TestingModels.tiny(2);
  }

  /**
   * A learnable token stream: short arithmetic runs with a seeded start, so the next token is
   * mostly predictable from the previous two.
   */
  public static TokenDataset data(int windows) {
    ModelConfig c = model();
    int window = c.getSeqLen() + 1;
    int[] tokens = new int[windows * window];
    java.util.Random r = new java.util.Random(99);
    int i = 0;
    while (i < tokens.length) {
      int start = r.nextInt(c.getVocabSize());
      int stride = 1 + r.nextInt(3);
      for (int k = 0; k < 12 && i < tokens.length; k++) {
        tokens[i++] = (start + k * stride) % c.getVocabSize();
      }
    }
    return new InMemoryTokenDataset(window, tokens);
  }

  public static TrainConfig config() {
    return TrainConfig.builder()
        .batchSize(8)
        .peakLr(3e-3)
        .warmupSteps(4)
        .totalSteps(400)
        .seed(17)
        .threads(1)
        .prefetchDepth(2)
        .build();
  }
}
