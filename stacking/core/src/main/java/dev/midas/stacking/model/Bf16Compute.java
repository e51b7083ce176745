package dev.midas.stacking.model;

import ai.djl.ndarray.NDArray;

/**
 * The bf16-mixed forward ops, cast the way {@code torch.autocast(dtype=bfloat16)} casts them:
 * matrix products (every projection, the MLP, the LM head) and attention take bfloat16 copies of
 * their float32 inputs and weights; everything else (embeddings, norms, the residual stream, the
 * log-softmax of the loss) stays float32, because a float32 tensor plus a bfloat16 one is float32.
 * Autograd records the casts, so gradients arrive in the float32 masters' own {@code .grad}, and
 * the optimizer never sees a bfloat16 value. Each op is one {@link ScriptFunction} call: the casts
 * cost no extra JNI crossings.
 */
final class Bf16Compute {
  private Bf16Compute() {}

  /** x W^T + b, in bfloat16; the result is bfloat16. */
  static NDArray linear(NDArray x, NDArray w, NDArray b) {
    return Scripts.LINEAR.call(x, w, b).singletonOrThrow();
  }

  /** x W^T (no bias) in bfloat16, returned as float32: the LM head, whose logits feed the loss. */
  static NDArray logits(NDArray x, NDArray w) {
    return Scripts.LOGITS.call(x, w).singletonOrThrow();
  }

  /** Causal scaled-dot-product attention of q, k, v [B, H, T, d_head] in bfloat16. */
  static NDArray attend(NDArray q, NDArray k, NDArray v) {
    return Scripts.ATTENTION.call(q, k, v).singletonOrThrow();
  }

  /** Compiles the scripts now instead of at the first bf16-mixed forward pass. */
  static void compileScripts() {
    Scripts.LINEAR.getClass();
  }

  /**
   * Compiled on first use, once per process. Serialized TorchScript names dtypes by their number
   * ({@code c10::ScalarType}): 15 is bfloat16, 6 float32.
   */
  private static final class Scripts {
    static final ScriptFunction LINEAR =
        ScriptFunction.compile(
            "Bf16Linear",
            "x: Tensor, w: Tensor, b: Tensor",
            "Tensor",
            "return torch.linear(torch.to(x, 15), torch.to(w, 15), torch.to(b, 15))");

    static final ScriptFunction LOGITS =
        ScriptFunction.compile(
            "Bf16Logits",
            "x: Tensor, w: Tensor",
            "Tensor",
            "return torch.to(torch.linear(torch.to(x, 15), torch.to(w, 15)), 6)");

    static final ScriptFunction ATTENTION =
        ScriptFunction.compile(
            "Bf16CausalAttention",
            "q: Tensor, k: Tensor, v: Tensor",
            "Tensor",
            "return torch.scaled_dot_product_attention(torch.to(q, 15), torch.to(k, 15),"
                + " torch.to(v, 15), None, 0., True)");
  }
}
