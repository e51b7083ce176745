package dev.midas.cli.demo;

import dev.midas.pipelines.primitives.ExampleSets;
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

  private static boolean causedBy(Throwable t, Class<? extends Throwable> type) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return true;
      }
    }
    return false;
  }

  /**
   * @param pool few-shot instances per task (5-shot prompts draw from them)
   * @param eval held-out instances per task
   * @param finetune fine-tuning instances per task
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
    try {
      GeneratePrimitivesPipeline.run(o);
    } catch (RuntimeException e) {
      if (!causedBy(e, java.io.NotSerializableException.class)) {
        throw e;
      }
      // The pipeline's DoFn does not serialize (a pipelines bug): same examples, written here.
      System.err.println(
          "midas: GeneratePrimitives cannot run on the DirectRunner ("
              + String.valueOf(e.getMessage()).lines().findFirst().orElse("")
              + "); generating the same examples in-process");
      PrimitivesInProcess.write(
          store,
          "data/" + DATASET + "/" + version + "/",
          version,
          seed,
          new ExampleSets.Sizes(pool, finetune, eval));
    }
    if (!store.exists(key)) {
      throw new IOException(
          "GeneratePrimitives finished but " + store.uri(key) + " does not exist");
    }
    return key;
  }
}
