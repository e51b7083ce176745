package dev.midas.stacking.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;

/**
 * Position-wise MLP: fc2(act(fc1(x))), act = gelu (exact erf form) or relu; in bfloat16 under
 * bf16-mixed ({@link Bf16Compute}).
 */
final class Mlp extends ModuleBlock {
  private final Parameter w1;
  private final Parameter b1;
  private final Parameter w2;
  private final Parameter b2;
  private final boolean gelu;
  private final boolean bf16;

  Mlp(ParameterBank bank, String prefix, int dModel, int dFf, String activation, boolean bf16) {
    w1 = add(bank, prefix + ".fc1.weight", dFf, dModel);
    b1 = add(bank, prefix + ".fc1.bias", dFf);
    w2 = add(bank, prefix + ".fc2.weight", dModel, dFf);
    b2 = add(bank, prefix + ".fc2.bias", dModel);
    gelu = ModelConfigs.GELU.equals(activation);
    this.bf16 = bf16;
  }

  @Override
  NDArray apply(NDArray x) {
    if (bf16) { // the activation runs in bfloat16 too, as under autocast
      NDArray h = Bf16Compute.linear(x, w1.getArray(), b1.getArray());
      h = gelu ? Activation.gelu(h) : Activation.relu(h);
      return Bf16Compute.linear(h, w2.getArray(), b2.getArray());
    }
    NDArray h = Linear.linear(x, w1.getArray(), b1.getArray()).singletonOrThrow();
    h = gelu ? Activation.gelu(h) : Activation.relu(h);
    return Linear.linear(h, w2.getArray(), b2.getArray()).singletonOrThrow();
  }
}
