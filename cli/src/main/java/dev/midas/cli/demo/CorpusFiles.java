package dev.midas.cli.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The corpus files a demo trains on: the first {@code limit} in name order (all for 0), and their
 * format: the Brown corpus's tagged files ({@code ca01} ... {@code cr09}) are read as {@code BROWN}
 * (tags stripped), anything else as plain text, a document per file.
 */
public record CorpusFiles(List<Path> files, String format) {
  private static final Pattern BROWN_FILE = Pattern.compile("c[a-r]\\d\\d");

  public CorpusFiles {
    files = List.copyOf(files);
  }

  public static CorpusFiles select(Path corpus, int limit) throws IOException {
    if (!Files.exists(corpus)) {
      throw new IllegalArgumentException("--corpus " + corpus + " does not exist");
    }
    if (Files.isRegularFile(corpus)) {
      return new CorpusFiles(List.of(corpus), "TEXT");
    }
    List<Path> all;
    try (Stream<Path> walk = Files.walk(corpus)) {
      all =
          walk.filter(Files::isRegularFile)
              .filter(p -> !p.getFileName().toString().startsWith("."))
              .sorted()
              .toList();
    }
    List<Path> brown =
        all.stream().filter(p -> BROWN_FILE.matcher(p.getFileName().toString()).matches()).toList();
    boolean isBrown = !brown.isEmpty();
    List<Path> chosen = isBrown ? brown : all;
    if (chosen.isEmpty()) {
      throw new IllegalArgumentException("--corpus " + corpus + " holds no files");
    }
    if (limit > 0 && chosen.size() > limit) {
      chosen = chosen.subList(0, limit);
    }
    return new CorpusFiles(chosen, isBrown ? "BROWN" : "TEXT");
  }

  public long bytes() throws IOException {
    long n = 0;
    for (Path p : files) {
      n += Files.size(p);
    }
    return n;
  }
}
