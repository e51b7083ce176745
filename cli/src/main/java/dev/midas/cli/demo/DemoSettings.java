package dev.midas.cli.demo;

import dev.midas.plan.spec.InvalidSpecException;
import java.util.Map;

/**
 * The demo's own knobs, read from {@code midas.dev/demo-*} annotations of the preset or spec file,
 * so that the file stays a valid custom resource a cluster accepts unchanged.
 *
 * @param corpusFiles corpus files used (the first ones in name order); 0 for all
 * @param primitivesPerTask instances generated per task and split
 * @param evalPerTask held-out instances scored per task
 * @param finetuneExamples fine-tuning instances per task (64 in the paper)
 * @param finetuneSeeds fine-tuning repetitions (3 in the paper)
 * @param finetuneSteps optimizer steps of each fine-tuning run
 * @param analysisTokens tokens whose activations the functional analyses use
 * @param threads PyTorch intra-op threads of the stage processes and of evaluation; 0 for all
 *     cores. Models as small as micro and tiny gain little from a second thread and lose several
 *     times over when another process shares the cores (threads wait for each other at every op).
 */
public record DemoSettings(
    int corpusFiles,
    int primitivesPerTask,
    int evalPerTask,
    int finetuneExamples,
    int finetuneSeeds,
    int finetuneSteps,
    int analysisTokens,
    int threads) {
  public static final String PREFIX = "midas.dev/demo-";

  /** What a spec without demo annotations gets: the tiny preset's values. */
  public static final DemoSettings DEFAULTS = new DemoSettings(60, 64, 12, 64, 3, 12, 512, 0);

  static DemoSettings fromAnnotations(Map<String, String> a, String source) {
    return new DemoSettings(
        get(a, "corpus-files", DEFAULTS.corpusFiles, 0, source),
        get(a, "primitives-per-task", DEFAULTS.primitivesPerTask, 1, source),
        get(a, "eval-per-task", DEFAULTS.evalPerTask, 1, source),
        get(a, "finetune-examples", DEFAULTS.finetuneExamples, 1, source),
        get(a, "finetune-seeds", DEFAULTS.finetuneSeeds, 1, source),
        get(a, "finetune-steps", DEFAULTS.finetuneSteps, 0, source),
        get(a, "analysis-tokens", DEFAULTS.analysisTokens, 8, source),
        get(a, "threads", DEFAULTS.threads, 0, source));
  }

  private static int get(Map<String, String> a, String key, int fallback, int min, String source) {
    String v = a.get(PREFIX + key);
    if (v == null) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(v.trim());
      if (n < min) {
        throw new InvalidSpecException(
            "metadata.annotations."
                + PREFIX
                + key
                + " in "
                + source
                + " is "
                + n
                + ", below "
                + min);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new InvalidSpecException(
          "metadata.annotations."
              + PREFIX
              + key
              + " in "
              + source
              + " is '"
              + v
              + "', not a whole number");
    }
  }
}
