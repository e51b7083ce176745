package dev.midas.pipelines.storage;

import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/**
 * Object-store options shared by the pipelines: Beam's S3 options ({@code --awsRegion}, {@code
 * --endpoint}, ...) plus path-style addressing, which MinIO, S3Proxy and most in-cluster stores
 * need. Credentials come from the AWS default chain (environment, a mounted Secret), never from the
 * command line.
 */
public interface StorageOptions extends S3Options {
  @Description("Address buckets path-style (http://endpoint/bucket/key) when --endpoint is set")
  @Default.Boolean(true)
  boolean getS3PathStyle();

  void setS3PathStyle(boolean value);
}
