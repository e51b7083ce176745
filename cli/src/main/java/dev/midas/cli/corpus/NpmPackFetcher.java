package dev.midas.cli.corpus;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;

/**
 * Fetches through the ordinary npm client ({@code npm pack name@version}), so that a user's npm
 * configuration (registry mirror, proxy, cache) applies.
 */
public final class NpmPackFetcher implements TarballFetcher {
  private static final long TIMEOUT_MINUTES = 10;

  /** Whether an {@code npm} executable is on the PATH. */
  public static boolean available() {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "npm"))) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void fetch(PinnedTarball tarball, Path dest) throws IOException, InterruptedException {
    Path work = Files.createTempDirectory(dest.toAbsolutePath().getParent(), "npm-pack-");
    try {
      Process p =
          new ProcessBuilder("npm", "pack", "--silent", tarball.spec())
              .directory(work.toFile())
              .redirectErrorStream(true)
              .start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IOException("npm pack " + tarball.spec() + " did not finish in 10 minutes");
      }
      Path packed = work.resolve(tarball.fileName());
      if (p.exitValue() != 0 || !Files.isRegularFile(packed)) {
        throw new IOException(
            "npm pack "
                + tarball.spec()
                + " failed (exit "
                + p.exitValue()
                + "): "
                + output.trim());
      }
      Files.move(packed, dest, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      try (var files = Files.list(work)) {
        for (Path f : files.toList()) {
          Files.deleteIfExists(f);
        }
      }
      Files.deleteIfExists(work);
    }
  }

  @Override
  public String describe(PinnedTarball tarball) {
    return "npm pack " + tarball.spec();
  }
}
