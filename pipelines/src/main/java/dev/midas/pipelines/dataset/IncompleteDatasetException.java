package dev.midas.pipelines.dataset;

/** The shard set a run wrote is not complete or not what it claims; no MANIFEST was written. */
public class IncompleteDatasetException extends RuntimeException {
  public IncompleteDatasetException(String message) {
    super(message);
  }
}
