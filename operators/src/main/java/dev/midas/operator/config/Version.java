package dev.midas.operator.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The project version this operator was built as, which is also the tag of the stage-runner image
 * it starts by default: images are pinned to a version, never {@code latest}.
 */
public final class Version {
  public static final String PROJECT = read();

  private Version() {}

  private static String read() {
    try (InputStream in =
        Version.class.getResourceAsStream("/dev/midas/operator/version.properties")) {
      if (in == null) {
        throw new IllegalStateException("version.properties is missing from the operator's jar");
      }
      Properties p = new Properties();
      p.load(in);
      String v = p.getProperty("version", "");
      if (v.isBlank() || v.contains("${")) {
        throw new IllegalStateException("version.properties was not filled in by the build: " + v);
      }
      return v;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
