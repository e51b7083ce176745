package dev.midas.stacking.model;

import ai.djl.ndarray.NDArray;
import dev.midas.proto.ModelConfig;

/** One pre-norm transformer layer: x + attn(ln1(x)), then + mlp(ln2(x)). */
final class DecoderLayer extends ModuleBlock {
  private final Norm ln1;
  private final CausalSelfAttention attn;
  private final Norm ln2;
  private final Mlp mlp;

  DecoderLayer(ParameterBank bank, ModelConfig c, int index, PositionTables tables, boolean bf16) {
    String p = ParameterLayout.layerPrefix(index);
    ln1 = addChildBlock("ln1", new Norm(bank, p + "ln1", c.getNorm(), c.getDModel()));
    attn =
        addChildBlock(
            "attn",
            new CausalSelfAttention(
                bank,
                p + "attn",
                c.getDModel(),
                c.getNHeads(),
                ModelConfigs.ROTARY.equals(c.getPositions()),
                tables,
                c.getSeqLen(),
                bf16));
    ln2 = addChildBlock("ln2", new Norm(bank, p + "ln2", c.getNorm(), c.getDModel()));
    mlp =
        addChildBlock(
            "mlp", new Mlp(bank, p + "mlp", c.getDModel(), c.getDFf(), c.getActivation(), bf16));
  }

  @Override
  NDArray apply(NDArray x) {
    return apply(x, null);
  }

  /** The layer on packed rows; a null layout is the causal one. */
  NDArray apply(NDArray x, TokenLayout layout) {
    NDArray h = x.add(attn.apply(ln1.apply(x), layout));
    return h.add(mlp.apply(ln2.apply(h)));
  }
}
