package dev.midas.cli.demo;

import dev.midas.plan.spec.InvalidSpecException;
import java.util.Map;

/**
 * The demo's own knobs, read from {@code midas.dev/demo-*} annotations of the preset or spec file,
 * so that the file stays a valid custom resource a cluster accepts unchanged. How runs are
 * evaluated is the spec's own {@code evaluation} section, the same on a cluster.
 *
 * @param corpusFiles corpus files used (the first ones in name order); 0 for all
 * @param primitivesPerTask few-shot instances generated per task (5-shot prompts draw from them)
 * @param threads PyTorch intra-op threads of the stage processes and of evaluation; 0 for all
 *     cores. Models as small as micro and tiny gain little from a second thread and lose several
 *     times over when another process shares the cores (threads wait for each other at every op).
 */
public record DemoSettings(int corpusFiles, int primitivesPerTask, int threads) {
  public static final String PREFIX = "midas.dev/demo-";

  /** What a spec without demo annotations gets: the tiny preset's values. */
  public static final DemoSettings DEFAULTS = new DemoSettings(60, 64, 0);

  static DemoSettings fromAnnotations(Map<String, String> a, String source) {
    return new DemoSettings(
        get(a, "corpus-files", DEFAULTS.corpusFiles, 0, source),
        get(a, "primitives-per-task", DEFAULTS.primitivesPerTask, 1, source),
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
