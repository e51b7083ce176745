package dev.midas.pipelines;

import dev.midas.pipelines.preprocess.PreprocessCorpusPipeline;
import dev.midas.pipelines.primitives.GeneratePrimitivesPipeline;
import java.util.Arrays;

/**
 * The shaded jar's entry point: {@code java -jar midas-pipelines-*-flink.jar <pipeline> --opts}. On
 * a Flink cluster name the pipeline class itself as the entry class instead.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    System.setProperty("ai.djl.offline", "true");
    String which = args.length == 0 ? "" : args[0];
    String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
    switch (which) {
      case "preprocess" -> PreprocessCorpusPipeline.main(rest);
      case "primitives" -> GeneratePrimitivesPipeline.main(rest);
      default -> {
        System.err.println(
            "usage: java -jar midas-pipelines-flink.jar preprocess|primitives [--option=value ...]\n"
                + "       (--help=PreprocessCorpusOptions or --help=GeneratePrimitivesOptions lists the options)");
        System.exit(2);
      }
    }
  }
}
