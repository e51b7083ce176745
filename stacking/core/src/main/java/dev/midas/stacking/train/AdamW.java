package dev.midas.stacking.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import dev.midas.checkpoint.NamedTensors;
import dev.midas.checkpoint.Tensor;
import dev.midas.stacking.model.ParameterLayout;
import dev.midas.stacking.model.TensorArrays;
import dev.midas.stacking.model.TransformerLM;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * AdamW (decoupled weight decay, PyTorch's formulation) over the model's parameters, with global
 * gradient-norm clipping. The moments are ours, by parameter name, so they round-trip through
 * {@link dev.midas.checkpoint.TrainState}; DJL keeps no optimizer state we could save. Weight decay
 * applies to matrices (weights, embeddings), not to biases and norm gains.
 *
 * <p>Every update is in place on arrays that live as long as the model; temporaries go to the
 * step's scope, which the caller closes.
 */
final class AdamW implements AutoCloseable {
  private final TrainConfig c;
  private final NDManager manager;
  private final Map<String, Parameter> params;
  private final Map<String, NDArray> m = new LinkedHashMap<>();
  private final Map<String, NDArray> v = new LinkedHashMap<>();
  private long step;

  AdamW(TransformerLM model, NamedTensors m0, NamedTensors v0, long step, TrainConfig c) {
    this.c = c;
    this.manager = model.manager().newSubManager();
    this.params = model.namedParameters();
    this.step = step;
    params.forEach(
        (name, p) -> {
          m.put(name, moment(m0, name, p));
          v.put(name, moment(v0, name, p));
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
    List<NDArray> grads = new ArrayList<>(params.size());
    NDList squares = new NDList(params.size());
    for (Parameter p : params.values()) {
      NDArray g = p.getArray().getGradient();
      g.attach(scope);
      grads.add(g);
      squares.add(g.square().sum());
    }
    float norm = NDArrays.stack(squares).sum().sqrt().getFloat();
    if (!Float.isFinite(norm)) {
      throw new DivergedException(step + 1, "gradient norm", norm);
    }
    float clip =
        c.clipNorm() > 0 && norm > c.clipNorm() ? (float) (c.clipNorm() / (norm + 1e-6)) : 1f;
    step++;
    // StrictMath: host-side scalars must be the same bits in every process for bit-exact resume.
    double bc1 = 1 - StrictMath.pow(c.beta1(), step);
    double bc2 = 1 - StrictMath.pow(c.beta2(), step);
    float b1 = (float) c.beta1();
    float b2 = (float) c.beta2();
    float decay = (float) (1 - lr * c.weightDecay());
    float stepSize = (float) (lr / bc1);
    float sqrtBc2 = (float) Math.sqrt(bc2);
    float eps = (float) c.eps();
    int i = 0;
    for (Map.Entry<String, Parameter> e : params.entrySet()) {
      NDArray p = e.getValue().getArray();
      NDArray g = grads.get(i++);
      if (clip != 1f) {
        g.muli(clip);
      }
      NDArray mi = m.get(e.getKey());
      NDArray vi = v.get(e.getKey());
      mi.muli(b1).addi(g.mul(1 - b1));
      vi.muli(b2).addi(g.square().muli(1 - b2));
      if (c.weightDecay() > 0 && ParameterLayout.isMatrix(p.getShape().getShape())) {
        p.muli(decay);
      }
      NDArray denom = inScope(vi.sqrt(), scope).divi(sqrtBc2).addi(eps);
      p.subi(inScope(mi.div(denom), scope).muli(stepSize));
      // DJL's PyTorch gradient collector never zeroes gradients: they would accumulate.
      JniUtils.zeroGrad((PtNDArray) p);
    }
    return norm;
  }

  /** Results of ops on long-lived arrays land in their manager; move them to the step's. */
  private static NDArray inScope(NDArray a, NDManager scope) {
    a.attach(scope);
    return a;
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
}
