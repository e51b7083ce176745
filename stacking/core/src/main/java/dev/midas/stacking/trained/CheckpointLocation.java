package dev.midas.stacking.trained;

import dev.midas.plan.layout.RunLayout;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a checkpoint's MANIFEST sits in the run layout: the store root above {@code runs/}, the run
 * it belongs to, and its key under that root. The run tells where the frozen spec (and so the
 * dataset and its tokenizer) lives.
 */
public record CheckpointLocation(URI root, RunLayout run, String manifestKey, URI manifest) {
  private static final Pattern LAYOUT =
      Pattern.compile(
          "^(.*)/(runs/([^/]+)/([^/]+)/stages/stage-\\d{2}/(?:ckpt/step-\\d{9}|grown)/"
              + RunLayout.MANIFEST
              + ")$");

  private static final String EXPECTED =
      "<root>/runs/<experiment>/<uid>/stages/stage-NN/ckpt/step-NNNNNNNNN/MANIFEST or"
          + " .../stages/stage-NN/grown/MANIFEST, with a file:// or s3:// root";

  /**
   * Parses a checkpoint MANIFEST URI ({@code file:///...}, {@code s3://bucket/...}) or a local path
   * to one.
   *
   * @throws IllegalArgumentException naming what is wrong with it
   */
  public static CheckpointLocation parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("no checkpoint given: expected " + EXPECTED);
    }
    URI uri;
    try {
      uri = text.contains("://") ? new URI(text) : Path.of(text).toAbsolutePath().toUri();
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(text + " is not a URI: " + e.getReason());
    }
    String scheme = uri.getScheme();
    if (!"file".equals(scheme) && !"s3".equals(scheme)) {
      throw new IllegalArgumentException(
          text + " has scheme " + scheme + "; a checkpoint is read from file:// or s3://");
    }
    String authority = uri.getAuthority() == null ? "" : uri.getAuthority();
    if ("s3".equals(scheme) && authority.isEmpty()) {
      throw new IllegalArgumentException(text + " names no bucket: write s3://bucket/...");
    }
    if ("file".equals(scheme) && !authority.isEmpty()) {
      throw new IllegalArgumentException(
          text + " has a host; write file:///absolute/path/.../MANIFEST");
    }
    String path = uri.getPath() == null ? "" : uri.getPath();
    Matcher m = LAYOUT.matcher(path);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          text + " is not a checkpoint MANIFEST: expected " + EXPECTED);
    }
    RunLayout run = new RunLayout(m.group(3), m.group(4));
    String rootPath = m.group(1).isEmpty() ? "/" : m.group(1);
    return new CheckpointLocation(
        at(scheme, authority, rootPath), run, m.group(2), at(scheme, authority, path));
  }

  private static URI at(String scheme, String authority, String path) {
    if ("file".equals(scheme)) {
      return Path.of(path).toUri();
    }
    try {
      return new URI(scheme, authority, path, null, null);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(scheme + "://" + authority + path + ": " + e.getReason());
    }
  }
}
