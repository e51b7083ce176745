package dev.midas.cli.demo;

import dev.midas.pipelines.primitives.GeneratePrimitivesOptions;
import dev.midas.pipelines.primitives.GeneratePrimitivesPipeline;
import dev.midas.store.ObjectStore;
import java.io.IOException;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * Generates the reasoning primitives with the pipelines' GeneratePrimitives (DirectRunner, in this
 * process), or reuses a committed dataset with the same seed and sizes (the version folder is named
 * by them).
 */
final class PrimitivesStep {
  static final String DATASET = "demo-primitives";

  private PrimitivesStep() {}

  /**
   * @param pool few-shot instances per task (5-shot prompts draw from them)
   * @param eval held-out instances per task
   * @param finetune fine-tuning pool per task (every seed draws examples of its own from it)
   * @return the primitives MANIFEST key
   */
  static String run(ObjectStore store, int pool, int eval, int finetune, long seed)
      throws IOException {
    String version =
        "v-"
            + DatasetStep.shortHash(
                "pool=" + pool + "\neval=" + eval + "\nfinetune=" + finetune + "\nseed=" + seed);
    String key = DatasetStep.manifestKey(DATASET, version);
    if (store.exists(key)) {
      return key;
    }
    GeneratePrimitivesOptions o =
        PipelineOptionsFactory.fromArgs("--runner=DirectRunner")
            .as(GeneratePrimitivesOptions.class);
    DirectOptions direct = o.as(DirectOptions.class);
    direct.setEnforceImmutability(false);
    direct.setEnforceEncodability(false);
    o.setOutput(DatasetStep.pipelineRoot(store.root()));
    o.setDataset(DATASET);
    o.setVersion(version);
    o.setSeed(seed);
    o.setFewshotPool(pool);
    o.setEvalInstances(eval);
    o.setFinetuneExamples(finetune);
    GeneratePrimitivesPipeline.run(o);
    if (!store.exists(key)) {
      throw new IOException(
          "GeneratePrimitives finished but " + store.uri(key) + " does not exist");
    }
    return key;
  }
}
