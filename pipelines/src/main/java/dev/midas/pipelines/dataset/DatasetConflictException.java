package dev.midas.pipelines.dataset;

/**
 * The output folder already holds a committed dataset that this run would not reproduce (or the run
 * was told to refuse any existing dataset). Nothing was changed.
 */
public class DatasetConflictException extends RuntimeException {
  public DatasetConflictException(String message) {
    super(message);
  }
}
