package dev.midas.pipelines.tokenizer;

/** A tokenizer file that cannot be used: not JSON, no end-of-text token, rejected by tokenizers. */
public class InvalidTokenizerException extends RuntimeException {
  public InvalidTokenizerException(String message) {
    super(message);
  }
}
