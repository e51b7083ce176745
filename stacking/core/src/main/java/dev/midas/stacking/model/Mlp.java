package dev.midas.stacking.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;

/** Position-wise MLP: fc2(act(fc1(x))), act = gelu (exact erf form) or relu. */
final class Mlp extends ModuleBlock {
  private final Parameter w1;
  private final Parameter b1;
  private final Parameter w2;
  private final Parameter b2;
  private final boolean gelu;

  Mlp(ParameterBank bank, String prefix, int dModel, int dFf, String activation) {
    w1 = add(bank, prefix + ".fc1.weight", dFf, dModel);
    b1 = add(bank, prefix + ".fc1.bias", dFf);
    w2 = add(bank, prefix + ".fc2.weight", dModel, dFf);
    b2 = add(bank, prefix + ".fc2.bias", dModel);
    gelu = ModelConfigs.GELU.equals(activation);
  }

  @Override
  NDArray apply(NDArray x) {
    NDArray h = Linear.linear(x, w1.getArray(), b1.getArray()).singletonOrThrow();
    h = gelu ? Activation.gelu(h) : Activation.relu(h);
    return Linear.linear(h, w2.getArray(), b2.getArray()).singletonOrThrow();
  }
}
