package dev.midas.stacking.export;

import dev.midas.checkpoint.NamedTensors;
import dev.midas.proto.ModelConfig;
import dev.midas.stacking.model.ModelConfigs;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rotary positions + RMSNorm as Hugging Face's {@code LlamaForCausalLM}. Both are pre-norm decoders
 * with RMSNorm (x / sqrt(mean(x^2) + eps) * weight, eps 1e-5) and rotary positions in the
 * rotate-half convention (x cos + rotate_half(x) sin, rotate_half([x1, x2]) = [-x2, x1], inverse
 * frequencies base^(-2i/head_dim), base 10000) on q and k of every head, so q and k weights need no
 * permutation; one key/value head per query head; linear weights are [out, in] in both.
 *
 * <p>Two differences are bridged exactly by config fields: our q, k, v, o and MLP projections have
 * biases ({@code attention_bias: true}, {@code mlp_bias: true}), and Llama's MLP is gated,
 * down(act(gate(x)) * up(x)), where ours is fc2(act(fc1(x))): gate is fc1 and up is the constant 1
 * (zero weight, bias 1), so act(gate(x)) * 1 is bit for bit act(fc1(x)) in any precision. That
 * costs one [d_ff, d_model] matrix of zeros in the file.
 */
final class LlamaArchitecture implements HfArchitecture {

  @Override
  public String className() {
    return "LlamaForCausalLM";
  }

  @Override
  public Map<String, Object> config(ModelConfig c, Integer eosId) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("architectures", List.of(className()));
    m.put("model_type", "llama");
    m.put("vocab_size", c.getVocabSize());
    m.put("hidden_size", c.getDModel());
    m.put("intermediate_size", c.getDFf());
    m.put("num_hidden_layers", c.getNLayers());
    m.put("num_attention_heads", c.getNHeads());
    m.put("num_key_value_heads", c.getNHeads());
    m.put("head_dim", c.getDModel() / c.getNHeads());
    m.put("hidden_act", ModelConfigs.GELU.equals(c.getActivation()) ? "gelu" : "relu");
    m.put("max_position_embeddings", c.getSeqLen());
    m.put("rms_norm_eps", ModelConfigs.NORM_EPS);
    m.put("rope_theta", ModelConfigs.ROTARY_BASE);
    m.put("rope_scaling", null);
    m.put("attention_bias", true);
    m.put("mlp_bias", true);
    m.put("attention_dropout", 0.0);
    m.put("pretraining_tp", 1);
    HfArchitecture.putCommon(m, c, eosId);
    return m;
  }

  @Override
  public NamedTensors tensors(ModelConfig c, NamedTensors params) {
    StateDictBuilder s = new StateDictBuilder(params);
    s.rename("embed.weight", "model.embed_tokens.weight");
    for (int i = 0; i < c.getNLayers(); i++) {
      String p = "layers." + i + ".";
      String h = "model.layers." + i + ".";
      s.rename(p + "ln1.gamma", h + "input_layernorm.weight");
      for (String proj : new String[] {"q", "k", "v", "o"}) {
        s.rename(p + "attn." + proj + ".weight", h + "self_attn." + proj + "_proj.weight");
        s.rename(p + "attn." + proj + ".bias", h + "self_attn." + proj + "_proj.bias");
      }
      s.rename(p + "ln2.gamma", h + "post_attention_layernorm.weight");
      s.rename(p + "mlp.fc1.weight", h + "mlp.gate_proj.weight");
      s.rename(p + "mlp.fc1.bias", h + "mlp.gate_proj.bias");
      s.put(h + "mlp.up_proj.weight", StateDictBuilder.filled(0f, c.getDFf(), c.getDModel()));
      s.put(h + "mlp.up_proj.bias", StateDictBuilder.filled(1f, c.getDFf()));
      s.rename(p + "mlp.fc2.weight", h + "mlp.down_proj.weight");
      s.rename(p + "mlp.fc2.bias", h + "mlp.down_proj.bias");
    }
    s.rename("final_norm.gamma", "model.norm.weight");
    if (!c.getTieEmbeddings()) {
      s.rename("head.weight", "lm_head.weight");
    }
    return s.build();
  }
}
