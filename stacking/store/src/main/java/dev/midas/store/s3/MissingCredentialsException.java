package dev.midas.store.s3;

/**
 * No credentials for an {@code s3://} store. Says which environment variables to set; never carries
 * any credential value.
 */
public class MissingCredentialsException extends IllegalStateException {
  public MissingCredentialsException(String root, Throwable cause) {
    super(
        "no S3 credentials found for "
            + root
            + ": set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (plus AWS_SESSION_TOKEN for"
            + " temporary credentials), or AWS_PROFILE, or AWS_WEB_IDENTITY_TOKEN_FILE with"
            + " AWS_ROLE_ARN; on Kubernetes, mount the Secret named by storage.secretRef as"
            + " those variables",
        cause);
  }
}
