package dev.midas.pipelines.storage;

import dev.midas.store.ObjectStore;
import dev.midas.store.ObjectStores;
import dev.midas.store.StoreOptions;
import java.io.IOException;
import java.io.Serializable;
import java.net.URI;
import java.util.Optional;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * How a pipeline step reaches the output store through the store module (for what Beam's file
 * systems cannot do, such as a create-only write): the S3 endpoint, region and addressing the
 * pipeline was given, as plain serializable values. Credentials are never held: the store takes
 * them from the AWS default chain where it runs.
 */
public record StoreAccess(String endpoint, String region, boolean pathStyle)
    implements Serializable {
  public static final StoreAccess DEFAULTS = new StoreAccess(null, "us-east-1", false);

  public static StoreAccess from(PipelineOptions options) {
    StorageOptions s = options.as(StorageOptions.class);
    String region = s.getAwsRegion() == null ? "us-east-1" : s.getAwsRegion().id();
    String endpoint = s.getEndpoint() == null ? null : s.getEndpoint().toString();
    return new StoreAccess(endpoint, region, endpoint != null && s.getS3PathStyle());
  }

  /** Opens the store at {@code root} (a local path, file:// or s3://). */
  public ObjectStore open(String root) throws IOException {
    return ObjectStores.open(
        root, new StoreOptions(Optional.ofNullable(endpoint).map(URI::create), region, pathStyle));
  }
}
