package dev.midas.operator.launch;

/**
 * An object the operator would create exists under its name but is controlled by another object; it
 * is never adopted. The reconcile fails (a ReconcileFailed event says why) and is retried.
 */
public class ForeignObjectException extends RuntimeException {
  public ForeignObjectException(String message) {
    super(message);
  }
}
