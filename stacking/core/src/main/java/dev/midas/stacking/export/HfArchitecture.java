package dev.midas.stacking.export;

import dev.midas.checkpoint.NamedTensors;
import dev.midas.proto.ModelConfig;
import java.util.Map;

/**
 * One Hugging Face model definition our transformer maps onto exactly: its {@code config.json}
 * fields and the renaming (and re-layout) of our parameters into its state dict.
 */
public interface HfArchitecture {

  /** The {@code architectures} entry, e.g. {@code GPT2LMHeadModel}. */
  String className();

  /**
   * {@code config.json}'s fields for a normalized model config, in a readable order; {@code eosId}
   * is null when the run had no tokenizer.
   */
  Map<String, Object> config(ModelConfig c, Integer eosId);

  /** The state dict under the definition's names; fails if any of our parameters goes unused. */
  NamedTensors tensors(ModelConfig c, NamedTensors params);

  /** The fields every architecture's config ends with: token ids, head tying, fp32 weights. */
  static void putCommon(Map<String, Object> m, ModelConfig c, Integer eosId) {
    m.put("initializer_range", 0.02);
    m.put("bos_token_id", eosId);
    m.put("eos_token_id", eosId);
    m.put("tie_word_embeddings", c.getTieEmbeddings());
    m.put("use_cache", true);
    m.put("torch_dtype", "float32");
  }
}
