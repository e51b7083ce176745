package dev.midas.stacking.growth;

/** A growth request that cannot apply to the given checkpoint, in the spec's terms. */
public class GrowthException extends IllegalArgumentException {
  public GrowthException(String message) {
    super(message);
  }
}
