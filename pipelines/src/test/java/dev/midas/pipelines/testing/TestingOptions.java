package dev.midas.pipelines.testing;

import dev.midas.pipelines.preprocess.PreprocessCorpusOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/** Small, fast pipeline settings for tests, as a user would pass them on the command line. */
public final class TestingOptions {
  private TestingOptions() {}

  /** The first 20 Brown samples (ca01-ca20) preprocessed with a small vocabulary. */
  public static PreprocessCorpusOptions brown(Path output, String... extra) {
    List<String> args = new ArrayList<>();
    args.add(
        "--input="
            + TestingCorpus.brownDir()
            + "/ca[01][0-9],"
            + TestingCorpus.brownDir()
            + "/ca20");
    args.add("--format=BROWN");
    args.add("--output=" + output);
    args.add("--dataset=brown");
    args.add("--vocabSize=400");
    args.add("--seqLen=64");
    args.add("--shardTokens=20000");
    args.add("--validationFraction=0.1");
    args.addAll(List.of(extra));
    return preprocess(args.toArray(String[]::new));
  }

  /** Arguments for a few Brown files: tiny vocabulary, short windows, several shards. */
  public static String[] smallBrown(String input, String output, String... extra) {
    List<String> args = new ArrayList<>();
    args.add("--input=" + input);
    args.add("--output=" + output);
    args.add("--format=BROWN");
    args.add("--vocabSize=300");
    args.add("--seqLen=32");
    args.add("--shardTokens=8000");
    args.add("--validationFraction=0.2");
    args.addAll(List.of(extra));
    return args.toArray(String[]::new);
  }

  public static PreprocessCorpusOptions preprocess(String... args) {
    return PipelineOptionsFactory.fromArgs(args).withValidation().as(PreprocessCorpusOptions.class);
  }

  /** Arguments that put a pipeline on an embedded Flink cluster. */
  public static String[] flink() {
    return new String[] {"--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2"};
  }
}
