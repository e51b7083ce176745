package dev.midas.stacking.train;

/** Training produced a non-finite loss or gradient: the run diverged (its own exit class). */
public class DivergedException extends RuntimeException {
  private final long step;

  public DivergedException(long step, String what, double value) {
    super(what + " is " + value + " at global step " + step + ": training diverged");
    this.step = step;
  }

  public long step() {
    return step;
  }
}
