package dev.midas.pipelines.primitives;

import dev.midas.pipelines.dataset.DatasetOutputOptions;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/** Command-line options of {@link GeneratePrimitivesPipeline}. */
public interface GeneratePrimitivesOptions extends DatasetOutputOptions {

  @Description("Dataset name (a folder name)")
  @Default.String("primitives")
  String getDataset();

  void setDataset(String value);

  @Description("Seed: the same seed gives the same instances, on any runner")
  @Default.Long(1234)
  long getSeed();

  void setSeed(long value);

  @Description("Evaluation instances per task configuration")
  @Default.Integer(500)
  int getEvalInstances();

  void setEvalInstances(int value);

  @Description("Few-shot pool size per task configuration (5-shot prompts draw from it)")
  @Default.Integer(32)
  int getFewshotPool();

  void setFewshotPool(int value);

  @Description(
      "Fine-tuning pool per task configuration: each fine-tuning seed draws examples of its own"
          + " from it, so 3 seeds of 64 need 192; the default leaves a seed's worth of room for"
          + " examples too long for a model's seq_len")
  @Default.Integer(256)
  int getFinetuneExamples();

  void setFinetuneExamples(int value);
}
