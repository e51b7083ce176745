package dev.midas.pipelines.dataset;

import dev.midas.pipelines.storage.StorageOptions;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Validation;

/**
 * Where a pipeline commits its dataset and what it does when that version exists: the options both
 * pipelines share. The dataset name is each pipeline's own, with its own default.
 */
public interface DatasetOutputOptions extends StorageOptions {
  @Description("Output root: <root>/data/<dataset>/<version>/ (local path, file:// or s3://)")
  @Validation.Required
  String getOutput();

  void setOutput(String value);

  @Description("Dataset version (a folder name)")
  @Default.String("v1")
  String getVersion();

  void setVersion(String value);

  @Description("If the dataset already exists: VERIFY that this run reproduces it, or FAIL at once")
  @Default.Enum("VERIFY")
  IfExists getIfExists();

  void setIfExists(IfExists value);
}
