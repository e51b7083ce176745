package dev.midas.stacking.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;

/**
 * Causal multi-head self-attention: separate q, k, v, o projections (so each has a stable name),
 * optional rotary positions on q and k, then PyTorch's fused scaled-dot-product attention with the
 * causal flag (softmax(q k^T / sqrt(d_head)) v over keys up to the query's position). The fused
 * kernel skips the masked half of the scores and never materialises the [B, H, T, T] matrix, about
 * half the time of the written-out form on CPU; DJL has no binding for it, so it runs as a {@link
 * ScriptFunction}. Under bf16-mixed the projections and the attention run in bfloat16 ({@link
 * Bf16Compute}); rotary positions then promote q and k to float32, and the attention casts back.
 */
final class CausalSelfAttention extends ModuleBlock {
  private final Parameter wq;
  private final Parameter bq;
  private final Parameter wk;
  private final Parameter bk;
  private final Parameter wv;
  private final Parameter bv;
  private final Parameter wo;
  private final Parameter bo;
  private final int heads;
  private final int headDim;
  private final boolean rotary;
  private final PositionTables tables;
  private final int seqLen;
  private final boolean bf16;

  CausalSelfAttention(
      ParameterBank bank,
      String prefix,
      int dModel,
      int heads,
      boolean rotary,
      PositionTables tables,
      int seqLen,
      boolean bf16) {
    wq = add(bank, prefix + ".q.weight", dModel, dModel);
    bq = add(bank, prefix + ".q.bias", dModel);
    wk = add(bank, prefix + ".k.weight", dModel, dModel);
    bk = add(bank, prefix + ".k.bias", dModel);
    wv = add(bank, prefix + ".v.weight", dModel, dModel);
    bv = add(bank, prefix + ".v.bias", dModel);
    wo = add(bank, prefix + ".o.weight", dModel, dModel);
    bo = add(bank, prefix + ".o.bias", dModel);
    this.heads = heads;
    this.headDim = dModel / heads;
    this.rotary = rotary;
    this.tables = tables;
    this.seqLen = seqLen;
    this.bf16 = bf16;
  }

  @Override
  NDArray apply(NDArray x) {
    return apply(x, null);
  }

  /** Attention over packed rows ({@link TokenLayout}); null is the causal layout. */
  NDArray apply(NDArray x, TokenLayout layout) {
    long b = x.getShape().get(0);
    int t = Math.toIntExact(x.getShape().get(1));
    long d = x.getShape().get(2);
    NDArray q = splitHeads(project(x, wq, bq), b, t);
    NDArray k = splitHeads(project(x, wk, bk), b, t);
    NDArray v = splitHeads(project(x, wv, bv), b, t);
    NDArray out;
    if (layout == null) {
      if (rotary) {
        NDArray[] cs = tables.rotary(t);
        q = rotate(q, cs);
        k = rotate(k, cs);
      }
      out = bf16 ? Bf16Compute.attend(q, k, v) : attend(q, k, v);
    } else {
      if (rotary) {
        NDArray[] cs = rotaryAt(layout.positions());
        q = rotate(q, cs);
        k = rotate(k, cs);
      }
      out = Sdpa.MASKED.call(q, k, v, layout.allowed()).singletonOrThrow();
    }
    return project(out.transpose(0, 2, 1, 3).reshape(b, t, d), wo, bo);
  }

  /** The rotary {cos, sin} of each token's own position, [B, 1, T, d_head]. */
  private NDArray[] rotaryAt(NDArray positions) {
    NDArray[] table = tables.rotary(seqLen);
    NDArray[] out = new NDArray[2];
    for (int i = 0; i < 2; i++) {
      NDArray rows =
          Embedding.embedding(positions, table[i], SparseFormat.DENSE).singletonOrThrow();
      out[i] = scoped(rows, positions).expandDims(1);
    }
    return out;
  }

  /** softmax(q k^T / sqrt(d_head) + causal mask) v for q, k, v [B, H, T, d_head]. */
  static NDArray attend(NDArray q, NDArray k, NDArray v) {
    return Sdpa.CAUSAL.call(q, k, v).singletonOrThrow();
  }

  /** Compiles the attention's script function now instead of at the first forward pass. */
  static void compileScripts() {
    Sdpa.CAUSAL.getClass();
  }

  /** Compiled on first use, once per process. */
  private static final class Sdpa {
    static final ScriptFunction CAUSAL =
        ScriptFunction.compile(
            "CausalAttention",
            "q: Tensor, k: Tensor, v: Tensor",
            "Tensor",
            "return torch.scaled_dot_product_attention(q, k, v, None, 0., True)");

    /** With an explicit boolean mask [B, 1, T, T] (true: may attend) instead of the causal one. */
    static final ScriptFunction MASKED =
        ScriptFunction.compile(
            "MaskedAttention",
            "q: Tensor, k: Tensor, v: Tensor, mask: Tensor",
            "Tensor",
            "return torch.scaled_dot_product_attention(q, k, v, mask, 0., False)");
  }

  private NDArray project(NDArray x, Parameter w, Parameter bias) {
    if (bf16) {
      return Bf16Compute.linear(x, w.getArray(), bias.getArray());
    }
    return Linear.linear(x, w.getArray(), bias.getArray()).singletonOrThrow();
  }

  /** [B, T, D] to [B, H, T, D/H]. */
  private NDArray splitHeads(NDArray x, long b, int t) {
    return x.reshape(b, t, heads, headDim).transpose(0, 2, 1, 3);
  }

  /** x * cos + rotate_half(x) * sin, rotate_half([x1, x2]) = [-x2, x1]. */
  private static NDArray rotate(NDArray x, NDArray[] cs) {
    NDList halves = x.split(2, 3);
    NDArray rotated = halves.get(1).neg().concat(halves.get(0), 3);
    return x.mul(cs[0]).add(rotated.mul(cs[1]));
  }
}
