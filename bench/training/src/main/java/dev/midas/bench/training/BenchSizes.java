package dev.midas.bench.training;

import dev.midas.proto.ModelConfig;
import dev.midas.stacking.model.ModelConfigs;
import java.util.Locale;

/**
 * The model and batch shapes the benchmarks compare, shared with the PyTorch peer
 * (bench/peer_train.py uses the same numbers): {@code small} is 4 layers, d_model 128, 4 heads, seq
 * 128, batch 16; {@code large} is 8 layers, d_model 256, 4 heads, seq 256, batch 8. Both have vocab
 * 256, d_ff = 4 d_model, pre-norm layernorm, learned positions, gelu and an untied head.
 */
public record BenchSizes(String name, ModelConfig model, int batchSize) {

  public static BenchSizes named(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "small" -> of("small", 4, 128, 4, 128, 16);
      case "large" -> of("large", 8, 256, 4, 256, 8);
      case "tiny" -> of("tiny", 2, 64, 4, 64, 8);
      default ->
          throw new IllegalArgumentException(
              "size '" + name + "' is not one of small, large, tiny");
    };
  }

  static BenchSizes of(String name, int layers, int dModel, int heads, int seqLen, int batch) {
    ModelConfig c =
        ModelConfigs.normalize(
            ModelConfig.newBuilder()
                .setVocabSize(256)
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
