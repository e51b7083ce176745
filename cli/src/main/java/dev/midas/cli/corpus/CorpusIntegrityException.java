package dev.midas.cli.corpus;

/** A downloaded or cached corpus does not match its pinned checksum or contents. */
public class CorpusIntegrityException extends RuntimeException {
  public CorpusIntegrityException(String message) {
    super(message);
  }
}
