package dev.midas.stacking.runner;

import dev.midas.plan.spec.SpecDocument;
import dev.midas.plan.spec.SpecLoader;
import dev.midas.store.ObjectStore;
import dev.midas.store.ObjectStores;
import dev.midas.store.StoreOptions;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads an experiment spec from a local file or from a {@code file://} or {@code s3://} URI (the
 * frozen {@code runs/<experiment>/<uid>/spec} object the operator and the local runner write).
 */
public final class SpecSource {
  private SpecSource() {}

  public static SpecDocument load(String location, StoreOptions options) throws IOException {
    if (!location.contains("://")) {
      return SpecLoader.load(Path.of(location));
    }
    URI uri = URI.create(location);
    if ("file".equals(uri.getScheme())) {
      return SpecLoader.load(Path.of(uri));
    }
    String path = uri.getPath();
    int slash = path.lastIndexOf('/');
    URI folder =
        URI.create(uri.getScheme() + "://" + uri.getAuthority() + path.substring(0, slash));
    try (ObjectStore store = ObjectStores.open(folder, options)) {
      String text = new String(store.get(path.substring(slash + 1)), StandardCharsets.UTF_8);
      return SpecLoader.parse(text, location);
    }
  }

  /** The name a bare spec file gives its experiment: the file name without extension. */
  public static String nameFromLocation(String location) {
    String file = location.substring(location.lastIndexOf('/') + 1);
    int dot = file.indexOf('.');
    String base = dot > 0 ? file.substring(0, dot) : file;
    return base.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
  }

  /** Reads a local file's text (for freezing it). */
  static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8);
  }
}
