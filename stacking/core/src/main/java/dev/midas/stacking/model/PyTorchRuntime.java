package dev.midas.stacking.model;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import com.sun.jna.Library;
import com.sun.jna.Native;
import dev.midas.plan.spec.Precision;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that touches the PyTorch engine's global switches. Runs are reproducible only with
 * a fixed number of intra-op threads (reductions split differently otherwise), so every entry point
 * that computes calls {@link #use(int)} with the configured count first. Inter-op threads are 1:
 * nothing here runs independent ops in parallel. The TorchScript graph optimizer is off: {@link
 * ScriptFunction}s then run exactly their source's ops on every call.
 *
 * <p>The engine's OpenMP threads sleep when they run out of work instead of spinning (libgomp's
 * {@code OMP_WAIT_POLICY=PASSIVE}, set in this process's environment before the engine loads, as
 * libgomp reads it only then; a policy or spin count already in the environment wins). A spinning
 * thread holds its core while the thread it waits for is descheduled, so anything else wanting a
 * core (another process, a build, the JIT) slowed training several times over: on 2 cores beside
 * one busy process the 8-layer d_model 256 bench model took 3.4-3.7 s/step spinning and 1.85-1.9
 * s/step sleeping (its CPU time per step alone), and step times swung 1-5 s under passing load. On
 * an idle machine sleeping costs 5-10% (a futex wake per parallel region).
 *
 * <p>Grad mode is thread-local in PyTorch and on by default on threads other than the one that
 * loaded the engine; {@link #use(int)} turns it off on the calling thread, and only the trainer's
 * gradient collector turns it on around a forward/backward pass.
 */
public final class PyTorchRuntime {
  public static final String ENGINE = "PyTorch";

  /** libtorch reads it once, at load: every float32 cuBLAS product then runs in TF32. */
  static final String TF32_OVERRIDE = "TORCH_ALLOW_TF32_CUBLAS_OVERRIDE";

  private static final Logger LOG = LoggerFactory.getLogger(PyTorchRuntime.class);
  private static boolean loaded;

  private PyTorchRuntime() {}

  /**
   * Loads the engine offline if needed, pins intra-op threads, and disables grad on this thread.
   */
  public static synchronized Engine use(int threads) {
    if (threads <= 0) {
      throw new IllegalArgumentException("threads must be positive, got " + threads);
    }
    if (!loaded) {
      if (System.getenv("OMP_WAIT_POLICY") == null && System.getenv("GOMP_SPINCOUNT") == null) {
        CLibrary.INSTANCE.setenv("OMP_WAIT_POLICY", "PASSIVE", 0);
      }
      System.setProperty("ai.djl.offline", "true");
      System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
      System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
      // Our TorchScript functions must run the same ops every call (no profiling-based rewrites).
      System.setProperty("ai.djl.pytorch.graph_optimizer", "false");
      loaded = true;
    }
    Engine engine = Engine.getEngine(ENGINE);
    if (JniUtils.getNumThreads() != threads) {
      JniUtils.setNumThreads(threads);
    }
    JniUtils.setGradMode(false);
    return engine;
  }

  /**
   * Sets the environment libtorch reads at load for {@code precision}, before it loads: {@code
   * tf32} sets {@value #TF32_OVERRIDE}, so the GPU's float32 matrix products run in TensorFloat-32
   * (279 to 106 ms a step for a 136M-parameter model on an H200); {@code fp32} clears it, so a run
   * whose manifests say fp32 computes in float32; {@code bf16-mixed} leaves it as the user set it
   * (set it to let the float32 parts of a bf16-mixed run use TF32 as well). A CPU ignores it.
   *
   * @return false when the engine is already loaded with another setting (a second run in one JVM),
   *     which then keeps the setting it loaded with
   */
  public static synchronized boolean applyPrecision(Precision precision) {
    boolean allow =
        switch (precision) {
          case TF32 -> true;
          case FP32 -> false;
          case BF16_MIXED -> "1".equals(CLibrary.INSTANCE.getenv(TF32_OVERRIDE));
        };
    if (loaded) {
      return allow == "1".equals(CLibrary.INSTANCE.getenv(TF32_OVERRIDE));
    }
    if (precision == Precision.TF32) {
      CLibrary.INSTANCE.setenv(TF32_OVERRIDE, "1", 1);
    } else if (precision == Precision.FP32 && CLibrary.INSTANCE.getenv(TF32_OVERRIDE) != null) {
      LOG.warn("precision fp32: ignoring {} from the environment", TF32_OVERRIDE);
      CLibrary.INSTANCE.unsetenv(TF32_OVERRIDE);
    }
    return true;
  }

  /** Whether the engine computes on a GPU (its default device is one). */
  public static boolean gpu() {
    return engine().getGpuCount() > 0;
  }

  /**
   * The engine for code that only reads (inference, conversion): loads it with the default thread
   * count if nothing loaded it yet, keeps whatever count was pinned, disables grad on this thread.
   */
  public static synchronized Engine engine() {
    if (!loaded) {
      return use(defaultThreads());
    }
    Engine engine = Engine.getEngine(ENGINE);
    JniUtils.setGradMode(false);
    return engine;
  }

  /** The intra-op thread count in force (loading the engine first if nothing has). */
  public static synchronized int threads() {
    engine();
    return JniUtils.getNumThreads();
  }

  /**
   * The C library's environment, which native code reads (Java's {@code System.getenv} is a copy).
   */
  private interface CLibrary extends Library {
    CLibrary INSTANCE = Native.load("c", CLibrary.class);

    int setenv(String name, String value, int overwrite);

    int unsetenv(String name);

    String getenv(String name);

    int malloc_trim(long pad);
  }

  /**
   * Returns the C heap's free memory to the system (glibc {@code malloc_trim(0)}). The engine frees
   * its tensors, but glibc keeps the freed pages, so a long stage's resident memory creeps up in
   * steps (often right after a checkpoint) although nothing live grows; the stage runner calls this
   * after each periodic checkpoint. Returns false where the C library has no such call.
   */
  public static boolean trimNativeHeap() {
    try {
      CLibrary.INSTANCE.malloc_trim(0);
      return true;
    } catch (UnsatisfiedLinkError e) {
      return false;
    }
  }

  /** The OpenMP wait policy the engine's libgomp read, or null where none was set. */
  static String ompWaitPolicy() {
    return CLibrary.INSTANCE.getenv("OMP_WAIT_POLICY");
  }

  /** Default thread count: the {@code midas.threads} property, else every available core. */
  public static int defaultThreads() {
    return Integer.getInteger("midas.threads", Runtime.getRuntime().availableProcessors());
  }
}
