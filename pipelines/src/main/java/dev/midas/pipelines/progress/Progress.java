package dev.midas.pipelines.progress;

import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prints how far a long run has got (documents and tokens so far, in this worker process) at most
 * every {@code everyMillis}; DoFns call {@link #add} as they go. Works the same on every runner,
 * because it needs nothing from the runner.
 */
public final class Progress {
  private static final Logger LOG = LoggerFactory.getLogger(Progress.class);

  private final String what;
  private final long everyMillis;
  private final AtomicLong documents = new AtomicLong();
  private final AtomicLong tokens = new AtomicLong();
  private final AtomicLong lastReport = new AtomicLong(System.currentTimeMillis());
  private volatile long started = System.currentTimeMillis();

  public Progress(String what, long everyMillis) {
    this.what = what;
    this.everyMillis = everyMillis;
  }

  public void add(long docs, long toks) {
    long d = documents.addAndGet(docs);
    long t = tokens.addAndGet(toks);
    long now = System.currentTimeMillis();
    long last = lastReport.get();
    if (now - last >= everyMillis && lastReport.compareAndSet(last, now)) {
      double secs = Math.max(1e-3, (now - started) / 1000.0);
      LOG.info(
          "{}: {} documents, {} tokens so far ({} tokens/s)",
          what,
          String.format("%,d", d),
          String.format("%,d", t),
          String.format("%,.0f", t / secs));
    }
  }

  /** Starts counting again: a driver running several pipelines in one process calls it. */
  public void reset() {
    documents.set(0);
    tokens.set(0);
    started = System.currentTimeMillis();
    lastReport.set(started);
  }

  public long documents() {
    return documents.get();
  }

  public long tokens() {
    return tokens.get();
  }
}
