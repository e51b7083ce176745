package dev.midas.stacking.runner;

import dev.midas.stacking.data.TokenDataset;
import dev.midas.stacking.data.TokenShardWriter;
import dev.midas.store.ObjectStore;
import dev.midas.store.ObjectStores;
import dev.midas.store.StoreOptions;
import dev.midas.store.artifact.Sha256;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A class-data sharing archive for stage processes (the JDK's static AppCDS archive, {@code
 * -Xshare:dump}): the JDK's and the application's classes a stage loads (picocli, Jackson,
 * protobuf, DJL, ours), parsed once and mapped into every later stage JVM instead of being loaded
 * again, which every stage process otherwise pays at start. Made once per class path and JVM: a
 * two-stage warm-up experiment on a token dataset of a few windows lists the classes each stage
 * loads (stage 1: open the dataset, random init, train, checkpoint, grow, validate; stage 2: start
 * from the grown checkpoint), then one dump archives both lists. A static archive rather than the
 * dynamic one ({@code -XX:ArchiveClassesAtExit}) because JDK 17 leaves class files older than Java
 * 6 out of a dynamic archive, and picocli's are Java 5. Kept in a cache folder under a name derived
 * from the JVM and every class-path entry's path, size and modification time, so a rebuilt jar gets
 * a new archive.
 *
 * <p>The JDK archives classes from jar files only, so a class path with a folder on it (a build's
 * {@code target/classes}) runs without one.
 */
final class ClassDataArchive {
  private static final String PREFIX = "stage-";
  private static final String SUFFIX = ".jsa";

  /** The warm-up model's vocabulary and sequence length (its spec says the same). */
  private static final int WARMUP_VOCAB = 64;

  private static final int WARMUP_SEQ_LEN = 8;

  /** Windows of each split of the warm-up's dataset. */
  private static final int WARMUP_WINDOWS = 8;

  /** Archives kept in the cache, this one included. */
  private static final int KEEP = 4;

  private ClassDataArchive() {}

  /**
   * JVM options that map the archive of this JVM and class path into a stage process, making the
   * archive first when it is missing; empty when the class path cannot be archived or making the
   * archive failed (stages then load their classes as usual).
   */
  static List<String> jvmOptions(Path cache, PrintStream out) {
    return jvmOptions(cache, out, System.getProperty("java.class.path"));
  }

  /** As {@link #jvmOptions(Path, PrintStream)}, for stage processes on {@code classPath}. */
  static List<String> jvmOptions(Path cache, PrintStream out, String classPath) {
    Optional<String> key = key(classPath);
    if (key.isEmpty()) {
      return List.of();
    }
    Path archive = cache.resolve(PREFIX + key.get() + SUFFIX);
    try {
      if (!Files.isRegularFile(archive)) {
        out.println("class-data archive for stage processes: making " + archive + " (once)");
        make(cache, archive, classPath);
      }
    } catch (IOException | InterruptedException e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      out.println("class-data archive: not made (" + e.getMessage() + "); stages start without");
      return List.of();
    }
    return List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off");
  }

  /**
   * The archive's name for a class path: empty when an entry is not a jar file. Covers the JVM (an
   * archive belongs to one JDK build) and each jar's size and modification time.
   */
  static Optional<String> key(String classPath) {
    StringBuilder id =
        new StringBuilder(System.getProperty("java.home"))
            .append('\n')
            .append(System.getProperty("java.vm.version"));
    for (String entry : classPath.split(java.io.File.pathSeparator)) {
      Path p = Path.of(entry);
      if (!entry.endsWith(".jar") || !Files.isRegularFile(p)) {
        return Optional.empty();
      }
      try {
        id.append('\n')
            .append(p.toAbsolutePath())
            .append(' ')
            .append(Files.size(p))
            .append(' ')
            .append(Files.getLastModifiedTime(p).toMillis());
      } catch (IOException e) {
        return Optional.empty();
      }
    }
    return Optional.of(Sha256.hex(id.toString().getBytes(StandardCharsets.UTF_8)).substring(0, 16));
  }

  /**
   * Runs the warm-up experiment, each stage listing the classes it loads, then dumps the archive of
   * both lists; removes older archives.
   */
  private static void make(Path cache, Path archive, String classPath)
      throws IOException, InterruptedException {
    Files.createDirectories(cache);
    Path work = Files.createTempDirectory("midas-cds-");
    Path partial = cache.resolve(archive.getFileName() + "." + ProcessHandle.current().pid());
    try {
      Path store = work.resolve("store");
      Path spec = work.resolve("warmup.yaml");
      Files.writeString(
          spec,
          """
          seed: 1
          model: {vocabSize: 64, dModel: 16, heads: 2, targetLayers: 3, seqLen: 8}
          growth: {operator: midas, blockSize: 1}
          schedule: {type: explicit, stageSteps: [2, 2, 2], batchSize: 2, checkpointEvery: 1}
          evaluation: {valBatches: 1}
          data: {dataset: "%s"}
          """
              .formatted(warmupDataset(store)));
      List<String> stage =
          List.of(
              StageRunner.class.getName(),
              "--spec",
              spec.toString(),
              "--root",
              store.toUri().toString(),
              "--uid",
              "warmup",
              "--threads",
              "1");
      Path first = work.resolve("stage-1.classlist");
      Path second = work.resolve("stage-2.classlist");
      run(classPath, List.of("-XX:DumpLoadedClassList=" + first), stage, "--stage", "1");
      String grown =
          store.resolve("runs/warmup/warmup/stages/stage-01/grown/MANIFEST").toUri().toString();
      run(
          classPath,
          List.of("-XX:DumpLoadedClassList=" + second),
          stage,
          "--stage",
          "2",
          "--init",
          grown);
      // Stage 1 starts from a random init, stage 2 from a grown checkpoint: the union of both.
      Path classes = work.resolve("stages.classlist");
      Files.write(
          classes,
          Stream.concat(Files.readAllLines(first).stream(), Files.readAllLines(second).stream())
              .distinct()
              .toList());
      run(
          classPath,
          List.of(
              "-Xshare:dump",
              "-XX:SharedClassListFile=" + classes,
              "-XX:SharedArchiveFile=" + partial,
              "-Xlog:cds=off"),
          List.of());
      if (!Files.isRegularFile(partial)) {
        throw new IOException("the JVM wrote no archive");
      }
      removeOld(cache);
      Files.move(partial, archive, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(partial);
      deleteTree(work);
    }
  }

  /**
   * A token dataset of a few windows in the warm-up's store, so that the archive holds what a stage
   * reading a real dataset loads (its manifest, shards and their checks), not only synthetic data.
   *
   * @return the dataset's MANIFEST URI
   */
  private static String warmupDataset(Path root) throws IOException {
    try (ObjectStore store = ObjectStores.open(root.toUri().toString(), StoreOptions.DEFAULTS)) {
      Map<String, byte[]> shards = new LinkedHashMap<>();
      Map<String, Long> windows = new LinkedHashMap<>();
      long stream = 1;
      for (String split : List.of("train", "validation")) {
        // The synthetic runs' own tokens, written as a dataset's shards.
        TokenDataset d =
            SyntheticTokens.generate(WARMUP_VOCAB, WARMUP_SEQ_LEN, 1, ++stream, WARMUP_WINDOWS);
        List<int[]> rows = new ArrayList<>();
        for (long i = 0; i < d.sequences(); i++) {
          int[] w = new int[d.windowLength()];
          d.read(i, w, 0);
          rows.add(w);
        }
        shards.put(split + "-00000-of-00001.tfrecord", TokenShardWriter.shard(rows));
        windows.put(split, d.sequences());
      }
      String key =
          TokenShardWriter.write(
              store, "data/warmup/v1/", "warmup", WARMUP_SEQ_LEN, WARMUP_VOCAB, shards, windows);
      return store.uri(key).toString();
    }
  }

  /** Runs {@code java <jvm> -cp <classPath> <main and arguments> <more>} to its end. */
  private static void run(String classPath, List<String> jvm, List<String> main, String... more)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Dai.djl.offline=true");
    cmd.addAll(jvm);
    cmd.addAll(List.of("-cp", classPath));
    cmd.addAll(main);
    cmd.addAll(List.of(more));
    String what = main.isEmpty() ? "the archive's dump" : "warm-up stage " + more[1];
    Path log = Files.createTempFile("midas-cds-", ".log");
    try {
      Process p =
          new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      int code = p.waitFor();
      if (code != 0) {
        List<String> lines = Files.readAllLines(log);
        throw new IOException(
            what
                + " exited "
                + code
                + ": "
                + String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size())));
      }
    } finally {
      Files.deleteIfExists(log);
    }
  }

  /**
   * Keeps the newest archives of other class paths (other builds and checkouts may share the
   * cache), so the folder does not grow with every rebuild.
   */
  private static void removeOld(Path cache) throws IOException {
    List<Path> archives = new ArrayList<>();
    try (DirectoryStream<Path> found = Files.newDirectoryStream(cache, PREFIX + "*" + SUFFIX)) {
      found.forEach(archives::add);
    }
    archives.sort(
        java.util.Comparator.comparingLong(
                (Path p) -> {
                  try {
                    return Files.getLastModifiedTime(p).toMillis();
                  } catch (IOException gone) {
                    return 0L;
                  }
                })
            .reversed());
    for (Path p : archives.subList(Math.min(KEEP - 1, archives.size()), archives.size())) {
      Files.deleteIfExists(p);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var files = Files.walk(dir)) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
