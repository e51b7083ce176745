package dev.midas.stacking.export;

/**
 * A model config that no exportable architecture computes exactly; the message names the config
 * field that rules each architecture out, so an export never writes a silently different model.
 */
public class UnsupportedArchitectureException extends IllegalArgumentException {
  private final String field;

  public UnsupportedArchitectureException(String field, String message) {
    super(message);
    this.field = field;
  }

  /** The model config field (as the checkpoint manifest names it) that cannot be expressed. */
  public String field() {
    return field;
  }
}
