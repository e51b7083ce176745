package dev.midas.stacking.results;

/**
 * A model's greedy continuation of a prompt, as the report shows it.
 *
 * @param endOfText whether the model ended the text itself (else it ran out of tokens)
 */
public record TextSample(String prompt, String continuation, boolean endOfText) {}
