package dev.midas.stacking.sampling;

/** A prompt's continuation: the prompt's ids, the new ids, their text, and why it stopped. */
public record Generation(int[] promptIds, int[] newIds, String text, Stop stop) {

  /** Why generation ended. */
  public enum Stop {
    /** The model wrote the end-of-text token (not part of {@code newIds} or {@code text}). */
    END_OF_TEXT,
    /** {@code maxTokens} new tokens were written. */
    MAX_TOKENS
  }
}
