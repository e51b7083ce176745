package dev.midas.store.artifact;

import java.io.IOException;

/**
 * A checkpoint or dataset that must not be used: no MANIFEST (never committed), a MANIFEST that
 * does not parse, or a listed file that is missing, truncated or fails its SHA-256. The message
 * names the artifact and the file. The stage runner maps it to exit code 7 (no retry).
 */
public class CorruptArtifactException extends IOException {
  private final String artifact;
  private final String file;

  public CorruptArtifactException(String artifact, String file, String problem) {
    super(artifact + ": " + (file.isEmpty() ? "" : file + " ") + problem);
    this.artifact = artifact;
    this.file = file;
  }

  /** URI of the artifact's MANIFEST. */
  public String artifact() {
    return artifact;
  }

  /** The offending file, relative to the artifact's folder ({@code MANIFEST} itself possibly). */
  public String file() {
    return file;
  }
}
