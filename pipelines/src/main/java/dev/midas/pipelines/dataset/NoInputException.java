package dev.midas.pipelines.dataset;

/** An input pattern that matches no file: nothing to process, said before anything runs. */
public class NoInputException extends IllegalArgumentException {
  public NoInputException(String message) {
    super(message);
  }
}
