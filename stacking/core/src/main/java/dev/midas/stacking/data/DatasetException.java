package dev.midas.stacking.data;

/** Training data that cannot be used as it is: names the file, record or field at fault. */
public class DatasetException extends RuntimeException {
  public DatasetException(String message) {
    super(message);
  }

  public DatasetException(String message, Throwable cause) {
    super(message, cause);
  }
}
