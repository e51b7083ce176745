package dev.midas.pipelines.bench;

import dev.midas.pipelines.corpus.CleaningPolicy;
import dev.midas.pipelines.corpus.DocumentCleaner;
import dev.midas.pipelines.corpus.InputFormat;
import dev.midas.pipelines.preprocess.PreprocessCorpusOptions;
import dev.midas.pipelines.preprocess.PreprocessCorpusPipeline;
import dev.midas.pipelines.tokenizer.Bpe;
import dev.midas.proto.DatasetManifest;
import dev.midas.proto.SplitStats;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * Tokens per second for the Brown corpus: PreprocessCorpus on the DirectRunner and on Flink
 * (embedded cluster), beside the raw encode throughput of the same tokenizer in the same process,
 * the ceiling the pipelines approach. Prints a Markdown table.
 *
 * <pre>
 * java -cp pipelines/target/midas-pipelines-*-flink.jar dev.midas.pipelines.bench.PreprocessBenchmark \
 *   --corpus=../shared/corpora/brown --work=/tmp/midas-bench \
 *   [--runners=direct,direct-unchecked,flink] [--vocabSize=8192] [--seqLen=256]
 * </pre>
 */
public final class PreprocessBenchmark {
  private static final Map<String, String> LABELS =
      Map.of(
          "direct", "DirectRunner",
          "direct-unchecked", "DirectRunner, element checks off",
          "flink", "Flink [local]");

  private PreprocessBenchmark() {}

  public static void main(String[] args) throws Exception {
    System.setProperty("ai.djl.offline", "true");
    String corpus = arg(args, "corpus", "../shared/corpora/brown");
    Path work = Path.of(arg(args, "work", "/tmp/midas-bench"));
    List<String> runners =
        List.of(arg(args, "runners", "direct,direct-unchecked,flink").split(","));
    String vocab = arg(args, "vocabSize", "8192");
    String seqLen = arg(args, "seqLen", "256");
    String input = Path.of(corpus).toAbsolutePath() + "/c[a-r][0-9][0-9]";
    List<String> common =
        List.of(
            "--input=" + input,
            "--format=BROWN",
            "--vocabSize=" + vocab,
            "--seqLen=" + seqLen,
            "--dataset=brown");
    System.out.printf(
        "machine: %d cores, Java %s, %s, load average %.1f at start%n",
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"),
        System.getProperty("os.name") + " " + System.getProperty("os.arch"),
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());

    // 1. Train once (DirectRunner); the later runs reuse this tokenizer, so they time the same
    // work.
    long t0 = System.nanoTime();
    DatasetManifest trained = run(common, work.resolve("train"), "direct", null);
    double trainSecs = secs(t0);
    Path tokenizer = work.resolve("train/data/brown/v1/tokenizer.json");
    long tokens = documentTokens(trained);

    // 2. The ceiling: the same tokenizer encoding the same cleaned documents, no pipeline.
    List<String> docs = cleanedBrown(Path.of(corpus));
    double[] raw = rawEncode(tokenizer, docs);

    List<String> rows = new ArrayList<>();
    rows.add(row("raw encode, 1 thread (Bpe.encode)", raw[0], raw[1]));
    rows.add(row("raw encode, batch (Bpe.encodeBatch, Rust threads)", raw[2], raw[3]));
    rows.add(row("DirectRunner, incl. tokenizer training", tokens, trainSecs));
    for (String runner : runners) {
      long t = System.nanoTime();
      DatasetManifest m = run(common, work.resolve(runner), runner, tokenizer.toString());
      double s = secs(t);
      rows.add(row(LABELS.getOrDefault(runner, runner), documentTokens(m), s));
      if (!m.getContentSha256().equals(trained.getContentSha256())) {
        System.out.println("WARNING: " + runner + " output differs from the first run");
      }
    }
    System.out.printf(
        "%nBrown corpus: %d documents, %,d tokens (vocabulary %d, seqLen %s)%n%n",
        trained.getSplits(0).getDocuments() + trained.getSplits(1).getDocuments(),
        tokens,
        trained.getVocabSize(),
        seqLen);
    System.out.println("| run | tokens | seconds | tokens/s |");
    System.out.println("|---|---:|---:|---:|");
    rows.forEach(System.out::println);
    System.out.printf(
        "%nload average %.1f at the end (other processes share these cores)%n",
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }

  private static DatasetManifest run(List<String> common, Path out, String runner, String tokenizer)
      throws IOException {
    deleteRecursively(out);
    List<String> args = new ArrayList<>(common);
    args.add("--output=" + out);
    if (tokenizer != null) {
      args.add("--tokenizer=" + tokenizer);
    }
    if (runner.equals("flink")) {
      args.add("--runner=FlinkRunner");
      args.add("--flinkMaster=[local]");
    } else if (runner.equals("direct-unchecked")) {
      args.add("--enforceImmutability=false");
      args.add("--enforceEncodability=false");
    }
    PreprocessCorpusOptions o =
        PipelineOptionsFactory.fromArgs(args.toArray(String[]::new))
            .withValidation()
            .as(PreprocessCorpusOptions.class);
    return PreprocessCorpusPipeline.run(o);
  }

  /** Tokens in the kept documents, end-of-text tokens included: what a run tokenized. */
  private static long documentTokens(DatasetManifest m) {
    long packed = 0;
    for (SplitStats s : m.getSplitsList()) {
      packed += s.getTokens();
    }
    return packed + m.getDropsOrDefault("tail_tokens", 0);
  }

  private static double[] rawEncode(Path tokenizer, List<String> docs) throws IOException {
    try (Bpe bpe = Bpe.load(tokenizer)) {
      bpe.encodeBatch(docs.subList(0, Math.min(20, docs.size()))); // warm up
      long t = System.nanoTime();
      long single = 0;
      for (String d : docs) {
        single += bpe.encode(d).length + 1;
      }
      double singleSecs = secs(t);
      t = System.nanoTime();
      long batch = 0;
      for (int[] ids : bpe.encodeBatch(docs)) {
        batch += ids.length + 1;
      }
      return new double[] {single, singleSecs, batch, secs(t)};
    }
  }

  private static List<String> cleanedBrown(Path dir) throws IOException {
    DocumentCleaner cleaner = new DocumentCleaner(CleaningPolicy.defaults(InputFormat.BROWN));
    List<String> docs = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.sorted().toList()) {
        if (p.getFileName().toString().matches("c[a-r]\\d\\d")) {
          String text = cleaner.clean(Files.readAllBytes(p)).text();
          if (text != null) {
            docs.add(text);
          }
        }
      }
    }
    return docs;
  }

  private static String row(String what, double tokens, double seconds) {
    return String.format(
        "| %s | %,.0f | %.1f | %,.0f |", what, tokens, seconds, tokens / Math.max(seconds, 1e-9));
  }

  private static double secs(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private static String arg(String[] args, String name, String fallback) {
    for (String a : args) {
      if (a.startsWith("--" + name + "=")) {
        return a.substring(name.length() + 3);
      }
    }
    return fallback;
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
