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
import java.util.Properties;

/**
 * PreprocessCorpus as the corpus grows: generates deterministic JSONL corpora (one big file each)
 * of the given sizes, runs the pipeline on each in a child JVM on Flink {@code [local]} with
 * parallelism 2 and fixed memory, as a TaskManager runs (heap pinned, {@code -Xms = -Xmx}; managed
 * and network memory fixed in the Flink configuration), and prints per run the peak resident
 * memory, what the {@link MemoryProbe} saw inside (live heap after full collections, the heap's
 * resident part, the JVM's memory outside the heap, untracked native memory), throughput per CPU
 * second, and every Flink job vertex's per-subtask record counts. The smallest corpus is also run
 * on the DirectRunner, whose output must be identical ({@code contentSha256}), and a separate
 * corpus ({@code --directMb}) on the DirectRunner alone for its peak memory (with the
 * DirectRunner's element checks off, as the demo runs it).
 *
 * <pre>
 * bench/preprocess.sh [--sizesMb=256,1024,4096] [--directMb=34] [--work=DIR] [--flinkHeapMb=1024]
 *                     [--directHeapMb=640] [--vocabSize=8192] [--seqLen=256] [--compare=false]
 *                     [--probeEverySec=15]
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
        Arrays.stream(a.getOrDefault("sizesMb", "256,1024,4096").split(","))
            .filter(s -> !s.isBlank())
            .map(Long::parseLong)
            .toList();
    long directMb = Long.parseLong(a.getOrDefault("directMb", "34"));
    int flinkHeap = Integer.parseInt(a.getOrDefault("flinkHeapMb", "1024"));
    int directHeap = Integer.parseInt(a.getOrDefault("directHeapMb", "640"));
    String probeEvery = a.getOrDefault("probeEverySec", "15");
    List<String> common =
        List.of(
            "--format=JSONL",
            "--vocabSize=" + a.getOrDefault("vocabSize", "8192"),
            "--seqLen=" + a.getOrDefault("seqLen", "256"));
    Files.createDirectories(work);
    Path conf = flinkConf(work);
    System.out.printf(
        "# %d cores, Flink [local] parallelism 2, JVM heap %d MiB pinned (-Xms = -Xmx) + managed"
            + " 256 MiB + network 64 MiB; DirectRunner heap %d MiB pinned; a full collection every"
            + " %s s measures the live heap%n",
        Runtime.getRuntime().availableProcessors(), flinkHeap, directHeap, probeEvery);

    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < sizes.size(); i++) {
      long mb = sizes.get(i);
      Path corpus = corpus(work, mb);
      Row flink = run(work, "flink", mb, corpus, common, flinkHeap, conf, probeEvery);
      rows.add(flink);
      if (i == 0 && !a.getOrDefault("compare", "true").equals("false")) {
        Row direct = run(work, "direct", mb, corpus, common, directHeap, conf, probeEvery);
        rows.add(direct);
        System.out.printf(
            "identical output DirectRunner vs Flink on %d MB: %s (%s)%n",
            mb, direct.content.equals(flink.content), flink.content);
      }
    }
    if (directMb > 0) {
      rows.add(
          run(
              work,
              "direct",
              directMb,
              corpus(work, directMb),
              common,
              directHeap,
              conf,
              probeEvery));
    }
    System.out.println();
    System.out.println(HEADER);
    for (Row r : rows) {
      System.out.println(r.markdown());
    }
  }

  static final String HEADER =
      "| runner | corpus MB | documents | tokens | wall s | CPU s | tokens per CPU s | input MB per"
          + " CPU s | peak RSS MB | sampled RSS peak: heap resident + JVM non-heap + untracked MB |"
          + " live heap MB (at s) | peak temp MB | load before -> after |\n"
          + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|";

  /** One run's figures; the probe's are its peaks over the samples. */
  record Row(
      String runner,
      long mb,
      long documents,
      long tokens,
      ChildRun child,
      Properties probe,
      String content) {
    String markdown() {
      return String.format(
          Locale.ROOT,
          "| %s | %d | %,d | %,d | %.0f | %.0f | %,.0f | %.2f | %,.0f | %,.0f: %,.0f + %,.0f + %,.0f |"
              + " %,.0f (%.0f) | %,.0f | %s -> %s |",
          runner,
          mb,
          documents,
          tokens,
          child.wallSeconds(),
          child.cpuSeconds(),
          tokens / child.cpuSeconds(),
          mb / child.cpuSeconds(),
          child.peakRssBytes() / 1e6,
          mb("sampledPeakRssBytes"),
          mb("heapResidentAtPeakBytes"),
          mb("jvmNonHeapAtPeakBytes"),
          mb("untrackedAtPeakBytes"),
          mb("liveHeapMaxBytes"),
          Double.parseDouble(probe.getProperty("liveHeapMaxAtSeconds", "-1")),
          child.peakTempBytes() / 1e6,
          child.loadBefore(),
          child.loadAfter());
    }

    private double mb(String key) {
      return Long.parseLong(probe.getProperty(key, "-1")) / 1e6;
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
      Path work,
      String runner,
      long mb,
      Path corpus,
      List<String> common,
      int heapMb,
      Path conf,
      String probeEvery)
      throws Exception {
    String name = runner + "-" + mb + "mb";
    Path out = work.resolve("out-" + name);
    Path archive = work.resolve("archive-" + name);
    deleteTree(out);
    deleteTree(archive);
    Files.createDirectories(archive);
    Files.deleteIfExists(work.resolve(name + "-probe.properties"));
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // Fixed memory, as a TaskManager's JVM is started: the heap committed up front and never
    // resized, so a figure is never a heap that grew because the run was longer.
    cmd.add("-Xms" + heapMb + "m");
    cmd.add("-Xmx" + heapMb + "m");
    cmd.add("-XX:NativeMemoryTracking=summary");
    cmd.add("-XX:-UseDynamicNumberOfCompilerThreads"); // their CPU time stays countable
    cmd.add("-Xlog:gc:file=" + work.resolve(name + "-gc.log"));
    cmd.add("-Dai.djl.offline=true");
    cmd.add("-Djava.io.tmpdir=" + Files.createDirectories(work.resolve("tmp")));
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(MemoryProbe.class.getName());
    cmd.add(work.resolve(name + "-probe").toString());
    cmd.add(probeEvery);
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
    Properties probe = new Properties();
    try (var r = Files.newBufferedReader(work.resolve(name + "-probe.properties"))) {
      probe.load(r);
    }
    Row row = new Row(runner, mb, documents, tokens, child, probe, m.getContentSha256());
    System.out.println(HEADER);
    System.out.println(row.markdown());
    System.out.printf(
        "  probe: %s samples, forced full collections paused %s ms in all (all collections %s ms);"
            + " CPU s: %s in all, %s in collector threads, %s in JIT compiler threads; samples in"
            + " %s%n",
        probe.getProperty("samples"),
        probe.getProperty("forcedGcPauseMs"),
        probe.getProperty("allGcMs"),
        probe.getProperty("cpuTotalSeconds"),
        probe.getProperty("cpuGcSeconds"),
        probe.getProperty("cpuJitSeconds"),
        work.resolve(name + "-probe.csv"));
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
