package dev.midas.store;

import dev.midas.plan.spec.ResolvedSpec;
import java.net.URI;
import java.util.Optional;

/**
 * How to reach an {@code s3://} store: a custom endpoint for S3-compatible servers (MinIO, S3Proxy,
 * ...), the region, and path-style addressing. No credentials: those come only from the AWS default
 * provider chain (environment, system properties, profile, web identity, container or instance
 * role), so they never pass through specs, arguments or logs.
 */
public record StoreOptions(Optional<URI> endpoint, String region, boolean pathStyle) {

  public static final StoreOptions DEFAULTS =
      new StoreOptions(Optional.empty(), "us-east-1", false);

  /** The options a validated experiment spec asks for. */
  public static StoreOptions from(ResolvedSpec.Storage storage) {
    return new StoreOptions(
        storage.endpoint().map(URI::create), storage.region(), storage.pathStyle());
  }

  /** Path-style options for an S3-compatible server at {@code endpoint}. */
  public static StoreOptions endpoint(URI endpoint) {
    return new StoreOptions(Optional.of(endpoint), "us-east-1", true);
  }
}
