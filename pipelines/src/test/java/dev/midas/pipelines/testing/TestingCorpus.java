package dev.midas.pipelines.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Locates the shared Brown corpus for tests and reads a few of its samples. */
public final class TestingCorpus {
  private TestingCorpus() {}

  /** The Brown corpus folder: {@code -Dmidas.brown=...}, else the shared copy beside the repo. */
  public static Path brownDir() {
    String configured = System.getProperty("midas.brown");
    if (configured != null) {
      return Path.of(configured);
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("shared/corpora/brown");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
      candidate = dir.resolveSibling("shared/corpora/brown");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("Brown corpus not found: pass -Dmidas.brown=<dir>");
  }

  /** The first {@code n} samples (ca01, ca02, ...) as tagged text. */
  public static List<String> brownSamples(int n) throws IOException {
    List<String> out = new ArrayList<>();
    for (Path p : brownFiles(n)) {
      out.add(Files.readString(p, StandardCharsets.UTF_8));
    }
    return out;
  }

  public static List<Path> brownFiles(int n) throws IOException {
    try (Stream<Path> files = Files.list(brownDir())) {
      return files
          .filter(p -> p.getFileName().toString().matches("c[a-r]\\d\\d"))
          .sorted()
          .limit(n)
          .toList();
    }
  }
}
