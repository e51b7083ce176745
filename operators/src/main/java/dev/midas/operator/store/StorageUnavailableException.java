package dev.midas.operator.store;

/**
 * The object store an experiment's run lives in could not be read (unreachable, refusing the
 * credentials, answering errors). Reconciles that meet it record a StorageUnavailable condition and
 * are retried with backoff; nothing about the run is decided while the store cannot be seen.
 */
public class StorageUnavailableException extends RuntimeException {
  private final String root;

  public StorageUnavailableException(String root, Throwable cause) {
    super("object store " + root + " cannot be read: " + describe(cause), cause);
    this.root = root;
  }

  public String root() {
    return root;
  }

  private static String describe(Throwable t) {
    String m = t.getMessage();
    return t.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
  }
}
