package dev.midas.stacking.sampling;

import dev.midas.stacking.eval.TextCodec;
import dev.midas.stacking.model.TransformerLM;
import dev.midas.stacking.results.TextSample;
import java.util.List;

/**
 * A few lines of what a model writes, for reports: the greedy continuations of fixed prompts (the
 * same for every method, so they read side by side), with the same generator as {@code midas
 * generate}.
 */
public final class PromptSamples {
  /** Plain English openings; any corpus the demo trains on is English prose. */
  public static final List<String> PROMPTS = List.of("The", "He said that", "In the morning");

  public static final int MAX_TOKENS = 24;

  private PromptSamples() {}

  public static List<TextSample> greedy(TransformerLM model, TextCodec codec) {
    TextGenerator generator = new TextGenerator(model, codec);
    return PROMPTS.stream()
        .map(
            p -> {
              Generation g = generator.generate(p, SamplingOptions.greedy(MAX_TOKENS), s -> {});
              return new TextSample(p, g.text(), g.stop() == Generation.Stop.END_OF_TEXT);
            })
        .toList();
  }
}
