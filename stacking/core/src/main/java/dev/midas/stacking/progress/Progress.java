package dev.midas.stacking.progress;

/** Progress of one phase of a run (fetch, preprocess, train a method, evaluate, ...). */
public interface Progress extends AutoCloseable {

  /** Moves the bar to {@code done} units out of the phase's total. */
  void stepTo(long done);

  /** Changes the total, for phases whose size is known only once they start. */
  void maxHint(long total);

  /** A short note shown beside the bar, e.g. the current loss. */
  void message(String text);

  @Override
  void close();
}
