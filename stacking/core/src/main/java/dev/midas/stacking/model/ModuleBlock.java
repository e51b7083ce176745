package dev.midas.stacking.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A shape-preserving block of the transformer whose parameters are created up front from named
 * tensors (never by DJL's initializers). Parameters are read directly, not through the {@link
 * ParameterStore}: the model lives on one device and training never copies them.
 */
abstract class ModuleBlock extends AbstractBlock {

  /** The block's function on one activation tensor [B, T, D]. */
  abstract NDArray apply(NDArray x);

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    return new NDList(apply(inputs.singletonOrThrow()));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return inputShapes;
  }

  Parameter add(ParameterBank bank, String name, long... shape) {
    return addParameter(bank.take(name, shape));
  }

  /**
   * Ops whose first operand is a parameter put their result in the parameter's manager, where it
   * would outlive the step; moving it next to the activation keeps every step's arrays scoped.
   */
  static NDArray scoped(NDArray result, NDArray like) {
    result.attach(like.getManager());
    return result;
  }
}
