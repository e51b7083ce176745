package dev.midas.bench.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.midas.stacking.model.PyTorchRuntime;
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
    try (NDManager manager = PyTorchRuntime.engine().newBaseManager()) {
      NDArray a = manager.create(gaussian(m * k, 1), new Shape(m, k)).toType(type, false);
      NDArray b = manager.create(gaussian(k * n, 2), new Shape(k, n)).toType(type, false);
      double flops = 2.0 * m * k * n;
      int inner = (int) Math.max(1, Math.ceil(2e9 / flops));
      double best = 0;
      for (int r = 0; r < repeats + 1; r++) {
        try (NDManager scope = manager.newSubManager()) {
          long start = System.nanoTime();
          NDArray c = null;
          for (int i = 0; i < inner; i++) {
            c = a.matMul(b);
            c.attach(scope);
          }
          c.get(0, 0).toType(DataType.FLOAT32, false).getFloat(); // waits for every product
          double seconds = (System.nanoTime() - start) / 1e9;
          if (r > 0) {
            best = Math.max(best, inner * flops / seconds / 1e9);
          }
        }
      }
      return best;
    }
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
