package dev.midas.stacking.runner;

import dev.midas.store.artifact.Sha256;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A class-data sharing archive for stage processes (the JDK's dynamic AppCDS): the classes a stage
 * loads (picocli, Jackson, protobuf, DJL, ours), parsed and verified once and mapped into every
 * later stage JVM instead of being loaded again, which every stage process otherwise pays at start.
 * Made once per class path and JVM by a two-stage warm-up experiment on synthetic tokens whose
 * second stage (start from a grown checkpoint, train, checkpoint, grow, validate) dumps what it
 * loaded at exit; kept in a cache folder under a name derived from the JVM and every class-path
 * entry's path, size and modification time, so a rebuilt jar gets a new archive.
 *
 * <p>The JDK archives classes from jar files only, so a class path with a folder on it (a build's
 * {@code target/classes}) runs without one.
 */
final class ClassDataArchive {
  private static final String PREFIX = "stage-";
  private static final String SUFFIX = ".jsa";

  /** Archives kept in the cache, this one included. */
  private static final int KEEP = 4;

  private ClassDataArchive() {}

  /**
   * JVM options that map the archive of this JVM and class path into a stage process, making the
   * archive first when it is missing; empty when the class path cannot be archived or making the
   * archive failed (stages then load their classes as usual).
   */
  static List<String> jvmOptions(Path cache, PrintStream out) {
    Optional<String> key = key(System.getProperty("java.class.path"));
    if (key.isEmpty()) {
      return List.of();
    }
    Path archive = cache.resolve(PREFIX + key.get() + SUFFIX);
    try {
      if (!Files.isRegularFile(archive)) {
        out.println("class-data archive for stage processes: making " + archive + " (once)");
        make(cache, archive);
      }
    } catch (IOException | InterruptedException e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      out.println("class-data archive: not made (" + e.getMessage() + "); stages start without");
      return List.of();
    }
    return List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off");
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

  /** Runs the warm-up experiment, its second stage dumping the archive; removes older ones. */
  private static void make(Path cache, Path archive) throws IOException, InterruptedException {
    Files.createDirectories(cache);
    Path work = Files.createTempDirectory("midas-cds-");
    Path partial = cache.resolve(archive.getFileName() + "." + ProcessHandle.current().pid());
    try {
      Path spec = work.resolve("warmup.yaml");
      Files.writeString(
          spec,
          """
          seed: 1
          model: {vocabSize: 64, dModel: 16, heads: 2, targetLayers: 3, seqLen: 8}
          growth: {operator: midas, blockSize: 1}
          schedule: {type: explicit, stageSteps: [2, 2, 2], batchSize: 2, checkpointEvery: 1}
          evaluation: {valBatches: 1}
          """);
      Path store = work.resolve("store");
      List<String> common =
          List.of(
              "--spec",
              spec.toString(),
              "--root",
              store.toUri().toString(),
              "--uid",
              "warmup",
              "--threads",
              "1");
      run(List.of(), common, "--stage", "1");
      String grown =
          store.resolve("runs/warmup/warmup/stages/stage-01/grown/MANIFEST").toUri().toString();
      run(
          List.of("-XX:ArchiveClassesAtExit=" + partial, "-Xlog:cds=off", "-Xlog:cds+dynamic=off"),
          common,
          "--stage",
          "2",
          "--init",
          grown);
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

  private static void run(List<String> jvm, List<String> common, String... more)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Dai.djl.offline=true");
    cmd.addAll(jvm);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path")));
    cmd.add(StageRunner.class.getName());
    cmd.addAll(common);
    cmd.addAll(List.of(more));
    Path log = Files.createTempFile("midas-cds-stage-", ".log");
    try {
      Process p =
          new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      int code = p.waitFor();
      if (code != 0) {
        List<String> lines = Files.readAllLines(log);
        throw new IOException(
            "warm-up stage "
                + more[1]
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
