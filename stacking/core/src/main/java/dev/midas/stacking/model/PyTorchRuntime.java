package dev.midas.stacking.model;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * The one place that touches the PyTorch engine's global switches. Runs are reproducible only with
 * a fixed number of intra-op threads (reductions split differently otherwise), so every entry point
 * that computes calls {@link #use(int)} with the configured count first. Inter-op threads are 1:
 * nothing here runs independent ops in parallel. The TorchScript graph optimizer is off: {@link
 * ScriptFunction}s then run exactly their source's ops on every call.
 *
 * <p>Grad mode is thread-local in PyTorch and on by default on threads other than the one that
 * loaded the engine; {@link #use(int)} turns it off on the calling thread, and only the trainer's
 * gradient collector turns it on around a forward/backward pass.
 */
public final class PyTorchRuntime {
  public static final String ENGINE = "PyTorch";
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

  /** Default thread count: the {@code midas.threads} property, else every available core. */
  public static int defaultThreads() {
    return Integer.getInteger("midas.threads", Runtime.getRuntime().availableProcessors());
  }
}
