package dev.midas.stacking.runner;

import dev.midas.store.StoreOptions;
import java.net.URI;
import java.util.Optional;
import picocli.CommandLine.Option;

/** How a command reaches an {@code s3://} store; credentials only from the AWS default chain. */
public final class StoreFlags {
  @Option(
      names = "--endpoint",
      paramLabel = "URL",
      description =
          "S3-compatible endpoint for s3:// URIs (MinIO, S3Proxy, ...), addressed path-style."
              + " Credentials come from the environment (AWS_ACCESS_KEY_ID, ...) or the AWS"
              + " profile, never from arguments.")
  URI endpoint;

  @Option(
      names = "--region",
      paramLabel = "REGION",
      defaultValue = "us-east-1",
      description = "S3 region. Default: ${DEFAULT-VALUE}.")
  String region;

  public StoreOptions options() {
    return new StoreOptions(Optional.ofNullable(endpoint), region, endpoint != null);
  }
}
