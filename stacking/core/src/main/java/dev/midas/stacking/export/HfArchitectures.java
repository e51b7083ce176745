package dev.midas.stacking.export;

import com.google.protobuf.Descriptors.FieldDescriptor;
import dev.midas.proto.ModelConfig;
import dev.midas.stacking.model.ModelConfigs;
import java.util.Set;

/**
 * Picks the Hugging Face architecture that computes exactly what a model config computes: learned
 * positions with layernorm are GPT-2, rotary positions with rmsnorm are Llama. Every other
 * combination, and any model config field this export does not know, fails naming the field.
 */
public final class HfArchitectures {
  /**
   * The model config fields whose meaning the architectures below account for ({@code init_depth}
   * only scales the initialisation: it does not change what a trained model computes).
   */
  private static final Set<String> KNOWN_FIELDS =
      Set.of(
          "vocab_size",
          "d_model",
          "n_heads",
          "d_ff",
          "n_layers",
          "seq_len",
          "norm",
          "activation",
          "positions",
          "tie_embeddings",
          "init_depth");

  private HfArchitectures() {}

  /**
   * @param config a checkpoint's model config (normalized here)
   * @throws UnsupportedArchitectureException naming the field no architecture expresses
   */
  public static HfArchitecture forConfig(ModelConfig config) {
    for (FieldDescriptor f : config.getAllFields().keySet()) {
      if (!KNOWN_FIELDS.contains(f.getName())) {
        throw new UnsupportedArchitectureException(
            f.getName(),
            "model config field "
                + f.getName()
                + " is set, and no Hugging Face architecture this export writes is known to"
                + " express it");
      }
    }
    ModelConfig c = ModelConfigs.normalize(config);
    boolean learned = ModelConfigs.LEARNED.equals(c.getPositions());
    boolean layernorm = ModelConfigs.LAYERNORM.equals(c.getNorm());
    if (learned && layernorm) {
      return new Gpt2Architecture();
    }
    if (!learned && !layernorm) {
      return new LlamaArchitecture();
    }
    if (learned) {
      throw new UnsupportedArchitectureException(
          "norm",
          "norm 'rmsnorm' with positions 'learned' has no exact Hugging Face architecture here:"
              + " GPT-2 (learned positions) normalizes with LayerNorm, Llama (RMSNorm) uses rotary"
              + " positions");
    }
    throw new UnsupportedArchitectureException(
        "norm",
        "norm 'layernorm' with positions 'rotary' has no exact Hugging Face architecture here:"
            + " Llama (rotary positions) normalizes with RMSNorm, GPT-2 (LayerNorm) uses learned"
            + " positions");
  }
}
