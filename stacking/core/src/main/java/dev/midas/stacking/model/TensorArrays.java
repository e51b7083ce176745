package dev.midas.stacking.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.midas.checkpoint.NamedTensors;
import dev.midas.checkpoint.Tensor;
import java.util.Map;

/** Bit-exact conversion between engine arrays and engine-free {@link Tensor}s (float32 only). */
public final class TensorArrays {
  private TensorArrays() {}

  public static Tensor toTensor(NDArray a) {
    if (a.getDataType() != DataType.FLOAT32) {
      throw new IllegalStateException(
          "a " + a.getShape() + " array is " + a.getDataType() + ", not float32");
    }
    return new Tensor(a.getShape().getShape(), a.toFloatArray());
  }

  public static NDArray toArray(Tensor t, NDManager manager) {
    return manager.create(t.data(), new Shape(t.shape()));
  }

  public static NamedTensors toTensors(Map<String, NDArray> arrays) {
    NamedTensors t = new NamedTensors();
    arrays.forEach((name, a) -> t.put(name, toTensor(a)));
    return t;
  }
}
