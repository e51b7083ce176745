package dev.midas.stacking.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stage processes' class-data archive, made from this build's class path as jars (the JDK
 * archives classes from jars only, and a test's class path has folders): a stage started with it
 * maps its classes from the archive, picocli's (Java 5 class files) included.
 */
class ClassDataArchiveTest {
  @Test
  void aClassPathWithAFolderGetsNoArchive(@TempDir Path dir) throws IOException {
    Path jar = Files.write(dir.resolve("a.jar"), new byte[] {1});
    assertThat(ClassDataArchive.key(jar.toString())).isPresent();
    assertThat(ClassDataArchive.key(jar + File.pathSeparator + dir)).isEmpty();
    assertThat(
            ClassDataArchive.jvmOptions(
                dir.resolve("cache"), new PrintStream(OutputStream.nullOutputStream()), dir + ""))
        .isEmpty();
  }

  @Test
  void anArchiveThatCannotBeMadeLeavesStagesToStartWithoutOne(@TempDir Path dir)
      throws IOException {
    Path jar = Files.write(dir.resolve("a.jar"), new byte[] {1});
    Path notAFolder = Files.writeString(dir.resolve("cache"), "a file where the cache should be");
    ByteArrayOutputStream said = new ByteArrayOutputStream();
    List<String> options =
        ClassDataArchive.jvmOptions(
            notAFolder.resolve("cds"),
            new PrintStream(said, true, StandardCharsets.UTF_8),
            jar.toString());
    assertThat(options).isEmpty();
    assertThat(said.toString(StandardCharsets.UTF_8))
        .contains("class-data archive: not made")
        .contains("stages start without");
    assertThat(Files.readString(notAFolder)).isEqualTo("a file where the cache should be");
  }

  @Test
  void aStageMapsItsClassesFromTheArchivePicocliIncluded(@TempDir Path dir) throws Exception {
    String classPath = jarsOnly(System.getProperty("java.class.path"), dir.resolve("jars"));
    ByteArrayOutputStream said = new ByteArrayOutputStream();
    List<String> options =
        ClassDataArchive.jvmOptions(
            dir.resolve("cache"), new PrintStream(said, true, StandardCharsets.UTF_8), classPath);
    assertThat(said.toString(StandardCharsets.UTF_8)).contains("making").doesNotContain("not made");
    assertThat(options).anyMatch(o -> o.startsWith("-XX:SharedArchiveFile="));
    assertThat(Files.list(dir.resolve("cache")).map(p -> p.getFileName().toString()))
        .singleElement()
        .matches(n -> n.startsWith("stage-") && n.endsWith(".jsa"));

    // A stage of another spec than the warm-up's, with the archive required (-Xshare:on refuses
    // to start without it) and every class's source logged.
    Path loaded = dir.resolve("class-load.log");
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(options);
    cmd.addAll(
        List.of(
            "-Xshare:on",
            "-Xlog:class+load=info:file=" + loaded,
            "-Dai.djl.offline=true",
            "-cp",
            classPath,
            StageRunner.class.getName(),
            "--spec",
            TestingSpecs.tiny(dir).toString(),
            "--root",
            dir.resolve("store").toString(),
            "--uid",
            "archived",
            "--stage",
            "1",
            "--threads",
            "1",
            "--termination-log",
            dir.resolve("termination").toString()));
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("stage.log").toFile())
            .start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(Files.readString(dir.resolve("stage.log"))).isZero();

    List<String> lines = Files.readAllLines(loaded);
    assertThat(lines)
        .anyMatch(l -> l.contains(" picocli.CommandLine source: shared objects file"))
        .anyMatch(l -> l.contains(" " + StageRunner.class.getName() + " source: shared"))
        .anyMatch(l -> l.contains(" ai.djl.pytorch.engine.PtEngine source: shared"));
    long fromJars = lines.stream().filter(l -> l.contains("source: jar:")).count();
    long shared = lines.stream().filter(l -> l.contains("source: shared objects file")).count();
    // What the stage loads beyond the warm-up's (its own spec's paths) stays a small part.
    assertThat(fromJars).isLessThan(shared / 20);
  }

  /** The class path with every folder on it replaced by a jar of its files. */
  private static String jarsOnly(String classPath, Path jars) throws IOException {
    Files.createDirectories(jars);
    List<String> out = new ArrayList<>();
    int n = 0;
    for (String entry : classPath.split(File.pathSeparator)) {
      Path p = Path.of(entry);
      if (Files.isDirectory(p)) {
        Path jar = jars.resolve("folder-" + n++ + ".jar");
        jar(p, jar);
        out.add(jar.toString());
      } else if (entry.endsWith(".jar") && Files.isRegularFile(p)) {
        out.add(entry);
      }
    }
    return String.join(File.pathSeparator, out);
  }

  private static void jar(Path folder, Path jar) throws IOException {
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
        Stream<Path> files = Files.walk(folder)) {
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        out.putNextEntry(
            new JarEntry(folder.relativize(f).toString().replace(File.separator, "/")));
        Files.copy(f, out);
        out.closeEntry();
      }
    }
  }
}
