package dev.midas.cli.corpus;

import java.io.IOException;
import java.nio.file.Path;

/** Brings a pinned tarball's bytes to a local file; says nothing about whether they are right. */
public interface TarballFetcher {

  /** Writes the tarball to {@code dest} (replacing it), or throws naming what failed. */
  void fetch(PinnedTarball tarball, Path dest) throws IOException, InterruptedException;

  /** A short description for messages, e.g. "npm pack" or "HTTP GET https://...". */
  String describe(PinnedTarball tarball);
}
