package dev.midas.pipelines.storage;

import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptions;

/** Makes Beam's FileSystems (file://, s3://) usable from the driver with these options. */
public final class Storage {
  private Storage() {}

  /** Applies path-style addressing where asked, then registers the file systems. */
  public static void configure(PipelineOptions options) {
    StorageOptions storage = options.as(StorageOptions.class);
    if (storage.getS3PathStyle() && storage.getEndpoint() != null) {
      storage.setS3ClientFactoryClass(PathStyleS3ClientBuilderFactory.class);
    }
    FileSystems.setDefaultPipelineOptions(options);
  }
}
