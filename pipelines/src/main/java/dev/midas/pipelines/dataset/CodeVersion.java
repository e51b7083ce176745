package dev.midas.pipelines.dataset;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The pipelines' version, as the build stamped it, for manifests' {@code code_version}. */
public final class CodeVersion {
  private static final String VERSION = load();

  private CodeVersion() {}

  public static String get() {
    return VERSION;
  }

  private static String load() {
    try (InputStream in = CodeVersion.class.getResourceAsStream("/midas-pipelines.properties")) {
      if (in == null) {
        return "midas-pipelines dev";
      }
      Properties p = new Properties();
      p.load(in);
      return "midas-pipelines " + p.getProperty("version", "dev");
    } catch (IOException e) {
      return "midas-pipelines dev";
    }
  }
}
