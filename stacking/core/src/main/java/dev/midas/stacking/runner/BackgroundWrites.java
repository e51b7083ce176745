package dev.midas.stacking.runner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Checkpoint writes (tensor files, their SHA-256, the upload, the manifest) on their own thread, so
 * the training loop goes on while a periodic checkpoint is written, and the stage-final and grown
 * checkpoints are written side by side. The engine never sees this thread: what it writes is
 * already a copy in Java arrays. At most one periodic write is pending: the next one waits for it,
 * which bounds memory to one extra copy of the state. A failed write fails the stage at the next
 * {@link #await()}, with the write's own exception.
 */
final class BackgroundWrites implements AutoCloseable {
  /** A write that may fail with an I/O error. */
  @FunctionalInterface
  interface Write<T> {
    T run() throws IOException;
  }

  private final ExecutorService threads;
  private final List<Future<?>> pending = new ArrayList<>();

  BackgroundWrites(int threads) {
    this.threads =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "checkpoint-write");
              t.setDaemon(true);
              return t;
            });
  }

  /** Starts a write; {@link #await()} or the returned future gives its result. */
  <T> Future<T> submit(Write<T> write) {
    Future<T> f = threads.submit(write::run);
    pending.add(f);
    return f;
  }

  /** Waits for every write started so far; rethrows the first failure. */
  void await() throws IOException {
    try {
      for (Future<?> f : pending) {
        get(f);
      }
    } finally {
      pending.clear();
    }
  }

  /** The result of one write, waiting for it; its failure as thrown by the write. */
  static <T> T get(Future<T> f) throws IOException {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for a checkpoint write", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof UncheckedIOException io) {
        throw io.getCause();
      }
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(cause);
    }
  }

  @Override
  public void close() {
    threads.shutdownNow();
  }
}
