package dev.midas.stacking.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.midas.stacking.eval.TextCodec;
import dev.midas.stacking.model.TransformerLM;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Continues prompts with a trained model, one token at a time: the context (the prompt's ids, or
 * the end-of-text token alone for an empty prompt, which is how every training document starts) is
 * cut to its last {@code seq_len} tokens, the next token picked from the last position's logits by
 * {@link SamplingOptions}, until the model writes end-of-text or {@code maxTokens} are written.
 * Text is streamed as it becomes whole: a piece is handed on once the new ids decode to complete
 * characters (a byte-level token can end inside a UTF-8 sequence).
 */
public final class TextGenerator {
  private final TransformerLM model;
  private final TextCodec codec;

  public TextGenerator(TransformerLM model, TextCodec codec) {
    this.model = model;
    this.codec = codec;
  }

  /** Continues {@code prompt}; each newly whole piece of text goes to {@code stream}. */
  public Generation generate(String prompt, SamplingOptions options, Consumer<String> stream) {
    int[] promptIds = codec.encode(prompt);
    int[] context = promptIds.length == 0 ? new int[] {codec.eosId()} : promptIds;
    int seqLen = model.config().getSeqLen();
    TokenSampler sampler = new TokenSampler(options);
    int[] written = new int[options.maxTokens()];
    int n = 0;
    String emitted = "";
    Generation.Stop stop = Generation.Stop.MAX_TOKENS;
    while (n < options.maxTokens()) {
      int next = sampler.next(nextLogits(context, seqLen));
      if (next == codec.eosId()) {
        stop = Generation.Stop.END_OF_TEXT;
        break;
      }
      written[n++] = next;
      context = append(context, next, seqLen);
      String text = codec.decode(Arrays.copyOf(written, n));
      if (!text.endsWith("\uFFFD") && text.startsWith(emitted)) {
        stream.accept(text.substring(emitted.length()));
        emitted = text;
      }
    }
    int[] newIds = Arrays.copyOf(written, n);
    String text = codec.decode(newIds);
    if (text.startsWith(emitted) && text.length() > emitted.length()) {
      stream.accept(text.substring(emitted.length()));
    }
    return new Generation(promptIds, newIds, text, stop);
  }

  /** The logits of the position after {@code context}'s last {@code seqLen} tokens. */
  private float[] nextLogits(int[] context, int seqLen) {
    int[] window =
        context.length > seqLen
            ? Arrays.copyOfRange(context, context.length - seqLen, context.length)
            : context;
    try (NDManager scope = model.manager().newSubManager()) {
      NDArray in = scope.create(window, new Shape(1, window.length));
      // The head at the last position alone: the others' logits would be computed to be dropped.
      NDArray last = scope.create(new long[] {window.length - 1});
      return model.headAt(model.hidden(in), last).toFloatArray();
    }
  }

  /** Logits [T][V] of one sequence of ids (at most seq_len), in a scope closed before returning. */
  public float[][] logitsAt(int[] ids) {
    try (NDManager scope = model.manager().newSubManager()) {
      NDArray in = scope.create(ids, new Shape(1, ids.length));
      float[] flat = model.logits(in).toFloatArray();
      int v = model.config().getVocabSize();
      float[][] rows = new float[ids.length][];
      for (int t = 0; t < ids.length; t++) {
        rows[t] = Arrays.copyOfRange(flat, t * v, (t + 1) * v);
      }
      return rows;
    }
  }

  private static int[] append(int[] context, int id, int seqLen) {
    int keep = Math.min(context.length, seqLen);
    int[] out = new int[keep + 1];
    System.arraycopy(context, context.length - keep, out, 0, keep);
    out[keep] = id;
    return out;
  }
}
