package dev.midas.stacking.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.LayerNorm;

/** Pre-norm normalisation over the model dimension: layernorm (gamma, beta) or rmsnorm (gamma). */
final class Norm extends ModuleBlock {
  static final float EPS = (float) ModelConfigs.NORM_EPS;
  private final Parameter gamma;
  private final Parameter beta;
  private final Shape normalized;

  Norm(ParameterBank bank, String prefix, String kind, int dModel) {
    gamma = add(bank, prefix + ".gamma", dModel);
    beta = ModelConfigs.LAYERNORM.equals(kind) ? add(bank, prefix + ".beta", dModel) : null;
    normalized = new Shape(dModel);
  }

  @Override
  NDArray apply(NDArray x) {
    if (beta != null) {
      return LayerNorm.layerNorm(x, normalized, gamma.getArray(), beta.getArray(), EPS)
          .singletonOrThrow();
    }
    // Out of place throughout: autograd needs the intermediates unmodified.
    NDArray rms = x.square().mean(new int[] {-1}, true).add(EPS).sqrt();
    return x.div(rms).mul(gamma.getArray());
  }
}
