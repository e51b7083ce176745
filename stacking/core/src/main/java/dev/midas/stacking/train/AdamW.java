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
 * <p>A step is one {@link Scripts#STEP} call: gradients read from the parameters, norm, clipping on
 * the device, PyTorch's fused AdamW kernel, gradient reset. The parameter, moment and step-count
 * lists are built once, so a step costs the same few JNI crossings whatever the depth, and its only
 * read back to the host is the loss with the gradient norm, once the step is queued: on a GPU the
 * host never waits in the middle of a step. Every update is in place on arrays that live as long as
 * the model.
 */
final class AdamW implements AutoCloseable {
  private final TrainConfig c;
  private final NDManager manager;
  private final Map<String, Parameter> params;
  private final Map<String, NDArray> m = new LinkedHashMap<>();
  private final Map<String, NDArray> v = new LinkedHashMap<>();
  private final Group decayed = new Group();
  private final Group plain = new Group();

  /**
   * The script's fixed arguments: both groups' parameter, moment and step-count lists, and the one
   * step-count tensor (float32 on the device, exact up to 2^24 steps) they all hold.
   */
  private final List<IValue> lists;

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
    PtNDArray stepCount = (PtNDArray) manager.create((float) step);
    this.lists = new ArrayList<>(decayed.lists(stepCount));
    lists.addAll(plain.lists(stepCount));
    lists.add(IValue.from(stepCount));
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
   * Clips, updates every parameter, zeroes the gradients; reads back the step's loss and gradient
   * norm (the caller checks they are finite: when not, the updated state is not to be used).
   *
   * @param loss the step's loss (a scalar whose backward pass has run)
   * @return {loss, global gradient norm before clipping}
   */
  float[] update(double lr, NDArray loss, NDManager scope) {
    List<IValue> perCall =
        List.of(
            IValue.from((PtNDArray) loss),
            IValue.from(c.clipNorm()),
            IValue.from(lr),
            IValue.from(c.beta1()),
            IValue.from(c.beta2()),
            IValue.from(c.weightDecay()),
            IValue.from(c.eps()));
    List<IValue> args = new ArrayList<>(lists);
    args.addAll(perCall);
    try (IValue out = Scripts.STEP.call(args)) {
      step++;
      return out.toTensor((PtNDManager) scope).toFloatArray();
    } finally {
      perCall.forEach(IValue::close);
    }
  }

  NamedTensors firstMoments() {
    return TensorArrays.toTensors(m);
  }

  NamedTensors secondMoments() {
    return TensorArrays.toTensors(v);
  }

  @Override
  public void close() {
    lists.forEach(IValue::close);
    manager.close();
  }

  /** Parameters updated with the same weight decay, and their moments, in canonical order. */
  private static final class Group {
    private final List<PtNDArray> params = new ArrayList<>();
    private final List<PtNDArray> firsts = new ArrayList<>();
    private final List<PtNDArray> seconds = new ArrayList<>();

    void add(NDArray p, NDArray first, NDArray second) {
      params.add((PtNDArray) p);
      firsts.add((PtNDArray) first);
      seconds.add((PtNDArray) second);
    }

    /** params, first moments, second moments, step counts: TorchScript tensor lists, kept. */
    List<IValue> lists(PtNDArray stepCount) {
      PtNDArray[] steps = new PtNDArray[params.size()];
      Arrays.fill(steps, stepCount);
      return List.of(
          IValue.listFrom(params.toArray(PtNDArray[]::new)),
          IValue.listFrom(firsts.toArray(PtNDArray[]::new)),
          IValue.listFrom(seconds.toArray(PtNDArray[]::new)),
          IValue.listFrom(steps));
    }
  }
}
