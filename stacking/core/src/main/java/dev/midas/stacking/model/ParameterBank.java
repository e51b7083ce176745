package dev.midas.stacking.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import dev.midas.checkpoint.NamedTensors;
import dev.midas.checkpoint.Tensor;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns named tensors into DJL parameters as the blocks ask for them, and remembers them by stable
 * name. Arrays are created with gradient tracking on: DJL's own loading path drops it.
 */
final class ParameterBank {
  private final NDManager manager;
  private final NamedTensors values;
  private final Map<String, Parameter> byName = new LinkedHashMap<>();

  ParameterBank(NDManager manager, NamedTensors values) {
    this.manager = manager;
    this.values = values;
  }

  Parameter take(String name, long[] expectedShape) {
    if (!values.contains(name)) {
      throw new ModelConfigException("parameters lack " + name + " required by the model config");
    }
    Tensor t = values.get(name);
    if (!Arrays.equals(t.shape(), expectedShape)) {
      throw new ModelConfigException(
          name
              + " has shape "
              + Arrays.toString(t.shape())
              + " but the model config needs "
              + Arrays.toString(expectedShape));
    }
    // Unnamed: script functions read an array's name as structure (dict keys, lists).
    NDArray a = TensorArrays.toArray(t, manager);
    a.setRequiresGradient(true);
    Parameter p =
        Parameter.builder().setName(name).setType(Parameter.Type.OTHER).optArray(a).build();
    byName.put(name, p);
    return p;
  }

  /** Every parameter taken so far, in the order the blocks took them. */
  Map<String, Parameter> parameters() {
    return Collections.unmodifiableMap(byName);
  }
}
