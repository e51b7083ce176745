package dev.midas.stacking.export;

import dev.midas.checkpoint.NamedTensors;
import dev.midas.proto.ModelConfig;
import dev.midas.stacking.model.ModelConfigs;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Learned positions + LayerNorm as Hugging Face's {@code GPT2LMHeadModel}. Both are pre-norm
 * decoders with biases everywhere, LayerNorm eps 1e-5, attention scaled by 1/sqrt(head_dim) and
 * heads split the same way ([B, T, H, D/H]); the differences are names and layout: GPT-2's {@code
 * Conv1D} stores weights as [in, out] (ours are [out, in], so every matrix is transposed), and q,
 * k, v are one fused {@code c_attn} whose output splits into q, k, v in that order. Our GELU is the
 * exact erf form, which GPT-2 calls {@code "gelu"} (its default {@code "gelu_new"} is the tanh
 * approximation). An untied head is {@code lm_head.weight} with {@code tie_word_embeddings: false}.
 */
final class Gpt2Architecture implements HfArchitecture {

  @Override
  public String className() {
    return "GPT2LMHeadModel";
  }

  @Override
  public Map<String, Object> config(ModelConfig c, Integer eosId) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("architectures", List.of(className()));
    m.put("model_type", "gpt2");
    m.put("vocab_size", c.getVocabSize());
    m.put("n_positions", c.getSeqLen());
    m.put("n_embd", c.getDModel());
    m.put("n_layer", c.getNLayers());
    m.put("n_head", c.getNHeads());
    m.put("n_inner", c.getDFf());
    m.put("activation_function", activation(c));
    m.put("layer_norm_epsilon", ModelConfigs.NORM_EPS);
    m.put("scale_attn_weights", true);
    m.put("scale_attn_by_inverse_layer_idx", false);
    m.put("reorder_and_upcast_attn", false);
    m.put("resid_pdrop", 0.0);
    m.put("embd_pdrop", 0.0);
    m.put("attn_pdrop", 0.0);
    HfArchitecture.putCommon(m, c, eosId);
    return m;
  }

  /**
   * HF's ACT2FN names: "gelu" is torch's exact erf GELU, as DJL's (torch::gelu, no approximation).
   */
  private static String activation(ModelConfig c) {
    return ModelConfigs.GELU.equals(c.getActivation()) ? "gelu" : "relu";
  }

  @Override
  public NamedTensors tensors(ModelConfig c, NamedTensors params) {
    StateDictBuilder s = new StateDictBuilder(params);
    s.rename("embed.weight", "transformer.wte.weight");
    s.rename("pos.weight", "transformer.wpe.weight");
    for (int i = 0; i < c.getNLayers(); i++) {
      String p = "layers." + i + ".";
      String h = "transformer.h." + i + ".";
      s.rename(p + "ln1.gamma", h + "ln_1.weight");
      s.rename(p + "ln1.beta", h + "ln_1.bias");
      s.put(
          h + "attn.c_attn.weight",
          StateDictBuilder.concatLastDim(
              StateDictBuilder.transpose(s.take(p + "attn.q.weight")),
              StateDictBuilder.transpose(s.take(p + "attn.k.weight")),
              StateDictBuilder.transpose(s.take(p + "attn.v.weight"))));
      s.put(
          h + "attn.c_attn.bias",
          StateDictBuilder.concatLastDim(
              s.take(p + "attn.q.bias"), s.take(p + "attn.k.bias"), s.take(p + "attn.v.bias")));
      s.put(h + "attn.c_proj.weight", StateDictBuilder.transpose(s.take(p + "attn.o.weight")));
      s.rename(p + "attn.o.bias", h + "attn.c_proj.bias");
      s.rename(p + "ln2.gamma", h + "ln_2.weight");
      s.rename(p + "ln2.beta", h + "ln_2.bias");
      s.put(h + "mlp.c_fc.weight", StateDictBuilder.transpose(s.take(p + "mlp.fc1.weight")));
      s.rename(p + "mlp.fc1.bias", h + "mlp.c_fc.bias");
      s.put(h + "mlp.c_proj.weight", StateDictBuilder.transpose(s.take(p + "mlp.fc2.weight")));
      s.rename(p + "mlp.fc2.bias", h + "mlp.c_proj.bias");
    }
    s.rename("final_norm.gamma", "transformer.ln_f.weight");
    s.rename("final_norm.beta", "transformer.ln_f.bias");
    if (!c.getTieEmbeddings()) {
      s.rename("head.weight", "lm_head.weight");
    }
    return s.build();
  }
}
