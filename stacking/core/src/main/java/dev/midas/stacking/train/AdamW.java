package dev.midas.stacking.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.IValue;
import dev.midas.checkpoint.NamedTensors;
import dev.midas.checkpoint.Tensor;
import dev.midas.stacking.model.ParameterLayout;
import dev.midas.stacking.model.ScriptFunction;
import dev.midas.stacking.model.TensorArrays;
import dev.midas.stacking.model.TransformerLM;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * AdamW (decoupled weight decay, PyTorch's formulation) over the model's parameters, with global
 * gradient-norm clipping. The moments are ours, by parameter name, so they round-trip through
 * {@link dev.midas.checkpoint.TrainState}; DJL keeps no optimizer state we could save. Weight decay
 * applies to matrices (weights, embeddings), not to biases and norm gains.
 *
 * <p>The update is PyTorch's fused AdamW kernel ({@code torch._fused_adamw_}: one pass over each
 * parameter, its gradient and moments), run with the gradient-norm clip and the gradient reset as
 * two {@link ScriptFunction} calls a step instead of some fifteen JNI ops per parameter. Every
 * update is in place on arrays that live as long as the model.
 */
final class AdamW implements AutoCloseable {
  private final TrainConfig c;
  private final NDManager manager;
  private final Map<String, Parameter> params;
  private final Map<String, NDArray> m = new LinkedHashMap<>();
  private final Map<String, NDArray> v = new LinkedHashMap<>();
  private final Group decayed = new Group();
  private final Group plain = new Group();
  private long step;

  AdamW(TransformerLM model, NamedTensors m0, NamedTensors v0, long step, TrainConfig c) {
    this.c = c;
    this.manager = model.manager().newSubManager();
    this.params = model.namedParameters();
    this.step = step;
    params.forEach(
        (name, p) -> {
          NDArray mi = moment(m0, name, p);
          NDArray vi = moment(v0, name, p);
          m.put(name, mi);
          v.put(name, vi);
          boolean decay =
              c.weightDecay() > 0 && ParameterLayout.isMatrix(p.getArray().getShape().getShape());
          (decay ? decayed : plain).add(p.getArray(), mi, vi);
        });
  }

  private NDArray moment(NamedTensors saved, String name, Parameter p) {
    if (saved.size() == 0) {
      return manager.zeros(p.getArray().getShape());
    }
    Tensor t = saved.get(name);
    return TensorArrays.toArray(t, manager);
  }

  long step() {
    return step;
  }

  /**
   * Clips, updates every parameter, zeroes the gradients.
   *
   * @return the global gradient norm before clipping
   */
  float update(double lr, NDManager scope) {
    decayed.collectGradients(scope);
    plain.collectGradients(scope);
    float norm;
    try (IValue n =
        Scripts.NORM.callNoGrad(IValue.listFrom(decayed.grads()), IValue.listFrom(plain.grads()))) {
      norm = n.toTensor((PtNDManager) scope).getFloat();
    }
    if (!Float.isFinite(norm)) {
      throw new DivergedException(step + 1, "gradient norm", norm);
    }
    double clip = c.clipNorm() > 0 && norm > c.clipNorm() ? c.clipNorm() / (norm + 1e-6) : 1.0;
    step++;
    PtNDArray stepCount = (PtNDArray) scope.create((float) step);
    List<IValue> args = new ArrayList<>(decayed.values(stepCount));
    args.addAll(plain.values(stepCount));
    args.addAll(
        List.of(
            IValue.from(clip),
            IValue.from(lr),
            IValue.from(c.beta1()),
            IValue.from(c.beta2()),
            IValue.from(c.weightDecay()),
            IValue.from(c.eps())));
    Scripts.STEP.callNoGrad(args.toArray(IValue[]::new)).close();
    return norm;
  }

  NamedTensors firstMoments() {
    return TensorArrays.toTensors(m);
  }

  NamedTensors secondMoments() {
    return TensorArrays.toTensors(v);
  }

  @Override
  public void close() {
    manager.close();
  }

  /** Parameters updated with the same weight decay, and their moments, in canonical order. */
  private static final class Group {
    private final List<PtNDArray> params = new ArrayList<>();
    private final List<PtNDArray> firsts = new ArrayList<>();
    private final List<PtNDArray> seconds = new ArrayList<>();
    private PtNDArray[] grads = new PtNDArray[0];

    void add(NDArray p, NDArray first, NDArray second) {
      params.add((PtNDArray) p);
      firsts.add((PtNDArray) first);
      seconds.add((PtNDArray) second);
    }

    /** This step's gradient handles, owned by the step's scope. */
    void collectGradients(NDManager scope) {
      grads = new PtNDArray[params.size()];
      for (int i = 0; i < grads.length; i++) {
        NDArray g = params.get(i).getGradient();
        g.attach(scope);
        grads[i] = (PtNDArray) g;
      }
    }

    PtNDArray[] grads() {
      return grads;
    }

    /** params, grads, first moments, second moments, step counts, as TorchScript tensor lists. */
    List<IValue> values(PtNDArray stepCount) {
      PtNDArray[] steps = new PtNDArray[params.size()];
      Arrays.fill(steps, stepCount);
      return List.of(
          IValue.listFrom(params.toArray(PtNDArray[]::new)),
          IValue.listFrom(grads),
          IValue.listFrom(firsts.toArray(PtNDArray[]::new)),
          IValue.listFrom(seconds.toArray(PtNDArray[]::new)),
          IValue.listFrom(steps));
    }
  }
}
