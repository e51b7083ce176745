package dev.midas.pipelines.dataset;

/** Nothing worth writing survived: the counts in the message say where the input went. */
public class EmptyDatasetException extends RuntimeException {
  public EmptyDatasetException(String message) {
    super(message);
  }
}
