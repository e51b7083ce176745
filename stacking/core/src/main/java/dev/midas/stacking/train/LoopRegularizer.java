package dev.midas.stacking.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import dev.midas.stacking.analysis.BlockWeightSimilarity;
import dev.midas.stacking.model.ParameterLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * LOOP's regulariser (Saunshi et al. 2025): {@code lambda * mean over block pairs (i, i+1), layers
 * j < k and weight matrices G of (1 - cos(G of layer i*k+j, G of layer (i+1)*k+j))}. It pulls an
 * unshared model towards a looped one; it is differentiable, so it is added to the loss.
 */
final class LoopRegularizer {
  private LoopRegularizer() {}

  /**
   * The penalty for a model of {@code layers} layers, or null when no two blocks of {@code k}
   * layers exist yet (early stages of a staged run).
   */
  static NDArray penalty(
      Map<String, Parameter> params, int layers, int k, double weight, NDManager scope) {
    List<NDArray> terms = new ArrayList<>();
    for (int i = 0; (i + 2) * k <= layers; i++) {
      for (int j = 0; j < k; j++) {
        for (String g : BlockWeightSimilarity.GROUPS) {
          NDArray a = params.get(ParameterLayout.layerPrefix(i * k + j) + g).getArray();
          NDArray b = params.get(ParameterLayout.layerPrefix((i + 1) * k + j) + g).getArray();
          // Ops on parameters land in the model's manager: move each result into the step's.
          NDArray dot = in(scope, a.mul(b)).sum();
          NDArray cos = dot.div(in(scope, a.norm()).mul(in(scope, b.norm())));
          terms.add(cos.neg().add(1));
        }
      }
    }
    if (terms.isEmpty()) {
      return null;
    }
    NDArray sum = terms.get(0);
    for (int t = 1; t < terms.size(); t++) {
      sum = sum.add(terms.get(t));
    }
    return sum.mul((float) (weight / terms.size()));
  }

  private static NDArray in(NDManager scope, NDArray a) {
    a.attach(scope);
    return a;
  }
}
