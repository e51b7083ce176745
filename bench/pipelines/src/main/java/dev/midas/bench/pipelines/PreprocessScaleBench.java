package dev.midas.bench.pipelines;

import dev.midas.pipelines.dataset.ManifestJson;
import dev.midas.proto.DatasetManifest;
import dev.midas.proto.SplitStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * PreprocessCorpus as the corpus grows: generates deterministic JSONL corpora (one big file each)
 * of the given sizes, runs the pipeline on each in a child JVM on Flink {@code [local]} with
 * parallelism 2 and a fixed TaskManager memory, and prints per run the peak resident memory,
 * throughput per CPU second, and every Flink job vertex's per-subtask record counts. The smallest
 * corpus is also run on the DirectRunner, whose output must be identical ({@code contentSha256}),
 * and a separate corpus ({@code --directMb}) on the DirectRunner alone for its peak memory (with
 * the DirectRunner's element checks off, as the demo runs it).
 *
 * <pre>
 * bench/preprocess.sh [--sizesMb=64,256,1024] [--directMb=34] [--work=DIR] [--flinkHeapMb=1024]
 *                     [--directHeapMb=640] [--vocabSize=8192] [--seqLen=256] [--compare=false]
 * </pre>
 */
public final class PreprocessScaleBench {
  private PreprocessScaleBench() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = new HashMap<>();
    for (String arg : args) {
      String[] kv = arg.replaceFirst("^--", "").split("=", 2);
      a.put(kv[0], kv.length > 1 ? kv[1] : "true");
    }
    Path work = Path.of(a.getOrDefault("work", "bench/target/preprocess")).toAbsolutePath();
    List<Long> sizes =
        Arrays.stream(a.getOrDefault("sizesMb", "64,256,1024").split(","))
            .filter(s -> !s.isBlank())
            .map(Long::parseLong)
            .toList();
    long directMb = Long.parseLong(a.getOrDefault("directMb", "34"));
    int flinkHeap = Integer.parseInt(a.getOrDefault("flinkHeapMb", "1024"));
    int directHeap = Integer.parseInt(a.getOrDefault("directHeapMb", "640"));
    List<String> common =
        List.of(
            "--format=JSONL",
            "--vocabSize=" + a.getOrDefault("vocabSize", "8192"),
            "--seqLen=" + a.getOrDefault("seqLen", "256"));
    Files.createDirectories(work);
    Path conf = flinkConf(work);
    System.out.printf(
        "# %d cores, Flink [local] parallelism 2, JVM heap %d MiB + managed 256 MiB + network 64 MiB;"
            + " DirectRunner heap %d MiB%n",
        Runtime.getRuntime().availableProcessors(), flinkHeap, directHeap);

    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < sizes.size(); i++) {
      long mb = sizes.get(i);
      Path corpus = corpus(work, mb);
      Row flink = run(work, "flink", mb, corpus, common, flinkHeap, conf);
      rows.add(flink);
      if (i == 0 && !a.getOrDefault("compare", "true").equals("false")) {
        Row direct = run(work, "direct", mb, corpus, common, directHeap, conf);
        rows.add(direct);
        System.out.printf(
            "identical output DirectRunner vs Flink on %d MB: %s (%s)%n",
            mb, direct.content.equals(flink.content), flink.content);
      }
    }
    if (directMb > 0) {
      rows.add(run(work, "direct", directMb, corpus(work, directMb), common, directHeap, conf));
    }
    System.out.println();
    System.out.println(
        "| runner | corpus MB | documents | tokens | wall s | CPU s | peak RSS MB | peak temp MB |"
            + " tokens per CPU s | input MB per CPU s | load before -> after |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
    for (Row r : rows) {
      System.out.println(r.markdown());
    }
  }

  /** One run's figures. */
  record Row(String runner, long mb, long documents, long tokens, ChildRun child, String content) {
    String markdown() {
      return String.format(
          Locale.ROOT,
          "| %s | %d | %,d | %,d | %.0f | %.0f | %.0f | %.0f | %,.0f | %.3f | %s -> %s |",
          runner,
          mb,
          documents,
          tokens,
          child.wallSeconds(),
          child.cpuSeconds(),
          child.peakRssBytes() / 1e6,
          child.peakTempBytes() / 1e6,
          tokens / child.cpuSeconds(),
          mb / child.cpuSeconds(),
          child.loadBefore(),
          child.loadAfter());
    }
  }

  private static Path corpus(Path work, long mb) throws IOException {
    Path file = work.resolve("corpus-" + mb + "mb.jsonl");
    Path done = work.resolve("corpus-" + mb + "mb.done");
    if (!Files.exists(done)) {
      long start = System.nanoTime();
      long docs = new SyntheticCorpus(mb).write(file, mb << 20);
      Files.writeString(done, Long.toString(docs));
      System.out.printf(
          "generated %s: %d documents in %.0f s%n", file, docs, (System.nanoTime() - start) / 1e9);
    }
    return file;
  }

  private static Row run(
      Path work, String runner, long mb, Path corpus, List<String> common, int heapMb, Path conf)
      throws Exception {
    String name = runner + "-" + mb + "mb";
    Path out = work.resolve("out-" + name);
    Path archive = work.resolve("archive-" + name);
    deleteTree(out);
    deleteTree(archive);
    Files.createDirectories(archive);
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx" + heapMb + "m");
    cmd.add("-Dai.djl.offline=true");
    cmd.add("-Djava.io.tmpdir=" + Files.createDirectories(work.resolve("tmp")));
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("dev.midas.pipelines.preprocess.PreprocessCorpusPipeline");
    cmd.add("--input=" + corpus);
    cmd.add("--output=" + out);
    cmd.add("--dataset=bench");
    cmd.addAll(common);
    if (runner.equals("flink")) {
      Files.writeString(
          conf.resolve("config.yaml"),
          Files.readString(conf.resolve("base.yaml"))
              + "jobmanager.archive.fs.dir: file://"
              + archive
              + "\n");
      cmd.addAll(
          List.of(
              "--runner=FlinkRunner",
              "--flinkMaster=[local]",
              "--parallelism=2",
              "--flinkConfDir=" + conf));
    } else {
      // As the demo runs it: the DirectRunner's element checks (encode and compare every element
      // and accumulator) are testing aids that cost time and memory a real run does not spend.
      cmd.addAll(
          List.of(
              "--runner=DirectRunner",
              "--enforceImmutability=false",
              "--enforceEncodability=false"));
    }
    System.out.printf(
        "%s: %s%n",
        name, String.join(" ", cmd.subList(cmd.indexOf("--input=" + corpus), cmd.size())));
    ChildRun child = ChildRun.run(cmd, work.resolve(name + ".log"), work.resolve("tmp"));
    if (child.exit() != 0) {
      throw new IllegalStateException(
          name + " failed (exit " + child.exit() + "), see " + work.resolve(name + ".log"));
    }
    DatasetManifest m = ManifestJson.parse(Files.readString(out.resolve("data/bench/v1/MANIFEST")));
    long documents = 0;
    long tokens = 0;
    for (SplitStats s : m.getSplitsList()) {
      documents += s.getDocuments();
      tokens += s.getTokens();
    }
    Row row = new Row(runner, mb, documents, tokens, child, m.getContentSha256());
    System.out.println(row.markdown());
    System.out.println("  stats " + m.getStatsMap() + " drops " + m.getDropsMap());
    if (runner.equals("flink")) {
      for (FlinkArchive.Vertex v : FlinkArchive.read(archive)) {
        System.out.printf(
            "  records in per subtask %s, out %s: %s%n",
            v.read(),
            v.written(),
            v.name().length() > 110 ? v.name().substring(0, 110) + "..." : v.name());
      }
    }
    deleteTree(out);
    return row;
  }

  /** A Flink configuration with a fixed TaskManager memory; the archive folder is added per run. */
  private static Path flinkConf(Path work) throws IOException {
    Path conf = Files.createDirectories(work.resolve("flink-conf"));
    Files.writeString(
        conf.resolve("base.yaml"),
        String.join(
            "\n",
            "taskmanager.numberOfTaskSlots: 2",
            "parallelism.default: 2",
            "taskmanager.memory.managed.size: 256m",
            "taskmanager.memory.network.min: 64m",
            "taskmanager.memory.network.max: 64m",
            "io.tmp.dirs: " + Files.createDirectories(work.resolve("tmp")),
            ""));
    return conf;
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
