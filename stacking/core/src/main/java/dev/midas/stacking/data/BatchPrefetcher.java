package dev.midas.stacking.data;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Assembles batches on a background thread, in data order from a start position, so reading and
 * copying tokens overlaps the training step. Engine arrays are still made on the training thread;
 * only plain int arrays cross over. A failure in the reader surfaces from {@link #next()}.
 */
public final class BatchPrefetcher implements AutoCloseable {
  private final BlockingQueue<Object> queue;
  private final Thread thread;

  public BatchPrefetcher(TokenDataset data, DataOrder order, long epoch, long cursor, int depth) {
    this.queue = new ArrayBlockingQueue<>(Math.max(1, depth));
    this.thread = new Thread(() -> produce(data, order, epoch, cursor), "midas-prefetch");
    thread.setDaemon(true);
    thread.start();
  }

  private void produce(TokenDataset data, DataOrder order, long epoch, long cursor) {
    int window = data.windowLength();
    long e = epoch;
    long c = cursor;
    try {
      while (!Thread.currentThread().isInterrupted()) {
        long[] idx = order.batch(e, c);
        int[] tokens = new int[idx.length * window];
        for (int i = 0; i < idx.length; i++) {
          data.read(idx[i], tokens, i * window);
        }
        Batch b = new Batch(tokens, idx.length, window, e, c, order.batchesPerEpoch());
        queue.put(b);
        e = b.nextEpoch();
        c = b.nextCursor();
      }
    } catch (InterruptedException stop) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException failure) {
      queue.clear();
      queue.offer(failure);
    }
  }

  /** The next batch in order; blocks until the reader has it. */
  public Batch next() throws InterruptedException {
    Object o = queue.take();
    if (o instanceof RuntimeException failure) {
      throw new DatasetException("reading training data failed: " + failure.getMessage(), failure);
    }
    return (Batch) o;
  }

  @Override
  public void close() {
    thread.interrupt();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
