package dev.midas.bench.training;

import dev.midas.proto.ModelConfig;
import dev.midas.stacking.model.ModelConfigs;
import java.util.Locale;

/**
 * The model and batch shapes the benchmarks compare, shared with the PyTorch peer
 * (bench/peer_train.py uses the same numbers). CPU sizes, vocab 256: {@code small} is 4 layers,
 * d_model 128, 4 heads, seq 128, batch 16; {@code large} is 8 layers, d_model 256, 4 heads, seq
 * 256, batch 8. GPU sizes: {@code gpu} is 12 layers, d_model 512, 8 heads, seq 512, batch 32, vocab
 * 8192 (46M parameters); {@code gpt2} is 12 layers, d_model 768, 12 heads, seq 1024, batch 16,
 * vocab 32768 (136M). All have d_ff = 4 d_model, pre-norm layernorm, learned positions, gelu and an
 * untied head.
 */
public record BenchSizes(String name, ModelConfig model, int batchSize) {

  public static BenchSizes named(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "small" -> of("small", 4, 128, 4, 128, 16, 256);
      case "large" -> of("large", 8, 256, 4, 256, 8, 256);
      case "tiny" -> of("tiny", 2, 64, 4, 64, 8, 256);
      case "gpu" -> of("gpu", 12, 512, 8, 512, 32, 8192);
      case "gpt2" -> of("gpt2", 12, 768, 12, 1024, 16, 32768);
      default ->
          throw new IllegalArgumentException(
              "size '" + name + "' is not one of small, large, tiny, gpu, gpt2");
    };
  }

  static BenchSizes of(
      String name, int layers, int dModel, int heads, int seqLen, int batch, int vocab) {
    ModelConfig c =
        ModelConfigs.normalize(
            ModelConfig.newBuilder()
                .setVocabSize(vocab)
                .setDModel(dModel)
                .setNHeads(heads)
                .setNLayers(layers)
                .setSeqLen(seqLen)
                .build());
    return new BenchSizes(name, c, batch);
  }

  /** Tokens one optimizer step trains on. */
  public long tokensPerStep() {
    return (long) batchSize * model.getSeqLen();
  }

  @Override
  public String toString() {
    ModelConfig m = model;
    return String.format(
        "%s (%d layers, d_model %d, %d heads, seq %d, batch %d, vocab %d)",
        name,
        m.getNLayers(),
        m.getDModel(),
        m.getNHeads(),
        m.getSeqLen(),
        batchSize,
        m.getVocabSize());
  }
}
