package dev.midas.stacking.runner;

import dev.midas.plan.exit.ExitClass;

/** A stage failure whose class is known where it is raised (wrong checkpoint, wrong stage, ...). */
public class StageException extends RuntimeException {
  private final ExitClass exitClass;

  public StageException(ExitClass exitClass, String message) {
    super(message);
    this.exitClass = exitClass;
  }

  public ExitClass exitClass() {
    return exitClass;
  }
}
