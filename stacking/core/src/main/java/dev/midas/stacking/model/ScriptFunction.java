package dev.midas.stacking.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * A PyTorch function DJL has no binding for (fused causal attention, the fused AdamW kernel),
 * written as TorchScript source and compiled by libtorch from a {@link ScriptArchive} once per
 * process. One call is one JNI crossing however many ops the source runs.
 *
 * <p>The modules live as long as the process; the graph executor's optimizer is off ({@link
 * PyTorchRuntime}), so every call runs the same ops in the same order.
 */
public final class ScriptFunction {
  private static PtNDManager modules;
  private final PtSymbolBlock module;
  private final String name;

  private ScriptFunction(PtSymbolBlock module, String name) {
    this.module = module;
    this.name = name;
  }

  /**
   * Compiles {@code def forward(self, <parameters>) -> <returns>:} with the given body.
   *
   * @param parameters TorchScript parameter list, e.g. {@code "q: Tensor, k: Tensor"}
   * @param body statements, one per line, without indentation
   */
  public static synchronized ScriptFunction compile(
      String name, String parameters, String returns, String body) {
    if (modules == null) {
      // First use may come inside a gradient collector: keep the caller's grad mode.
      boolean grad = JniUtils.isGradMode();
      modules = (PtNDManager) PyTorchRuntime.engine().newBaseManager();
      JniUtils.setGradMode(grad);
    }
    String forward =
        "  def forward(self: __torch__."
            + name
            + ", "
            + parameters
            + ") -> "
            + returns
            + ":\n"
            + body.lines().map(l -> "    " + l + "\n").reduce("", String::concat);
    byte[] archive = ScriptArchive.of(name, forward);
    try {
      return new ScriptFunction(
          JniUtils.loadModule(modules, new ByteArrayInputStream(archive), false, false), name);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Runs on tensors; autograd records the call when the calling thread's grad mode is on. Results
   * land in the first input's manager. Inputs must be unnamed: DJL reads names as structure.
   */
  public NDList call(NDArray... inputs) {
    for (NDArray a : inputs) {
      if (a.getName() != null) {
        throw new IllegalArgumentException(name + " takes unnamed arrays, got " + a.getName());
      }
    }
    return IValueUtils.forward(module, new NDList(inputs), true);
  }

  /** Runs with grad off on prepared values (tensor lists, scalars), closing them afterwards. */
  public IValue callNoGrad(IValue... inputs) {
    try {
      return IValueUtils.forward(module, inputs);
    } finally {
      for (IValue v : inputs) {
        v.close();
      }
    }
  }

  /**
   * Runs with grad off on prepared values, leaving them open: values built once (a model's
   * parameter lists) serve every call. The caller closes them when done.
   */
  public IValue call(List<IValue> inputs) {
    return IValueUtils.forward(module, inputs.toArray(IValue[]::new));
  }
}
