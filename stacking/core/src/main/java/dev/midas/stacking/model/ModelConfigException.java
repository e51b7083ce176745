package dev.midas.stacking.model;

/** A model configuration that cannot be built, phrased in the config's own field names. */
public class ModelConfigException extends IllegalArgumentException {
  public ModelConfigException(String message) {
    super(message);
  }
}
