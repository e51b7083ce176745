package dev.midas.bench.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.IValue;
import dev.midas.stacking.model.PyTorchRuntime;
import dev.midas.stacking.model.ScriptFunction;
import java.util.List;
import java.util.Random;

/**
 * The machine's matrix-multiply rate through the same engine, device and thread count the trainer
 * uses, in float32 or bfloat16: the limit that model FLOPs utilisation is measured against. Best of
 * several timed repetitions, after a warm-up, so a busy moment on a shared machine does not lower
 * the limit. On a GPU the engine runs asynchronously: reading one element of the last product waits
 * for all of them.
 */
public final class GemmRate {
  private GemmRate() {}

  /** GFLOP/s of float32 [m, k] x [k, n]. */
  public static double gflops(int m, int k, int n, int threads, int repeats) {
    return gflops(m, k, n, threads, repeats, DataType.FLOAT32);
  }

  /** GFLOP/s of [m, k] x [k, n], best of {@code repeats} timings of {@code inner} products each. */
  public static double gflops(int m, int k, int n, int threads, int repeats, DataType type) {
    PyTorchRuntime.use(threads);
    // Serialized TorchScript names dtypes by number: 15 bfloat16, 6 float32. (Casting through
    // DJL's own toType to bfloat16 aborts the process in the CPU build.)
    long dtype = type == DataType.BFLOAT16 ? 15 : 6;
    try (NDManager manager = PyTorchRuntime.engine().newBaseManager();
        IValue a = cast(manager.create(gaussian(m * k, 1), new Shape(m, k)), dtype);
        IValue b = cast(manager.create(gaussian(k * n, 2), new Shape(k, n)), dtype)) {
      double flops = 2.0 * m * k * n;
      // Enough products per timing that one read back is noise: ~1 s of a CPU, ~5 ms of a GPU.
      double work = PyTorchRuntime.gpu() ? 2e12 : 2e9;
      long inner = (long) Math.max(1, Math.ceil(work / flops));
      double best = 0;
      for (int r = 0; r < repeats + 1; r++) {
        long start = System.nanoTime();
        try (IValue count = IValue.from(inner);
            IValue c = Scripts.PRODUCTS.call(List.of(a, b, count));
            NDManager scope = manager.newSubManager()) {
          c.toTensor((PtNDManager) scope).getFloat(); // waits for every product
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (r > 0) {
          best = Math.max(best, inner * flops / seconds / 1e9);
        }
      }
      return best;
    }
  }

  /** x cast to {@code dtype} (callNoGrad closes its inputs). */
  private static IValue cast(NDArray x, long dtype) {
    return Scripts.CAST.callNoGrad(IValue.from((PtNDArray) x), IValue.from(dtype));
  }

  /** Compiled on first use. */
  private static final class Scripts {
    static final ScriptFunction CAST =
        ScriptFunction.compile("GemmCast", "x: Tensor, dtype: int", "Tensor", "return x.to(dtype)");

    /**
     * {@code n} products of a and b into one result; one element of it as float32. Writing into
     * {@code out=} is a side effect, so the script optimizer keeps every product (a plain product
     * in a loop it hoists or drops as dead code).
     */
    static final ScriptFunction PRODUCTS =
        ScriptFunction.compile(
            "GemmProducts",
            "a: Tensor, b: Tensor, n: int",
            "Tensor",
            """
            c = torch.mm(a, b)
            for i in range(n - 1):
                torch.mm(a, b, out=c)
            return c[0, 0].to(6)""");
  }

  private static float[] gaussian(int size, long seed) {
    Random r = new Random(seed);
    float[] v = new float[size];
    for (int i = 0; i < size; i++) {
      v[i] = (float) r.nextGaussian();
    }
    return v;
  }
}
