package dev.midas.store.artifact;

import java.io.IOException;

/** A commit found its MANIFEST already there: artifacts are create-only and never rewritten. */
public class ArtifactExistsException extends IOException {
  public ArtifactExistsException(String manifestUri) {
    super(manifestUri + " is already committed; committed artifacts are never rewritten");
  }
}
