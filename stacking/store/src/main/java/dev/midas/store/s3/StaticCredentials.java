package dev.midas.store.s3;

/**
 * An access key pair handed over in memory (read from a Kubernetes Secret by the operator, for a
 * store an experiment names): never printed, never written anywhere.
 */
public record StaticCredentials(String accessKeyId, String secretAccessKey) {
  public StaticCredentials {
    if (accessKeyId == null || accessKeyId.isBlank()) {
      throw new IllegalArgumentException("access key id is empty");
    }
    if (secretAccessKey == null || secretAccessKey.isBlank()) {
      throw new IllegalArgumentException("secret access key is empty");
    }
  }

  @Override
  public String toString() {
    return "StaticCredentials[redacted]";
  }
}
