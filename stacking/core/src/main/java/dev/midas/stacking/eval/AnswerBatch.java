package dev.midas.stacking.eval;

import dev.midas.proto.ReasoningExample;
import java.util.List;

/**
 * Fine-tuning examples as one padded batch: inputs and next-token targets [B, T], and a mask that
 * is 1 only where the target is part of the answer (its tokens and the newline that ends it), so
 * the loss is on answer tokens alone. An example longer than the model takes is refused, never cut:
 * callers keep to those that {@link #fits}.
 */
record AnswerBatch(int[] inputs, int[] targets, float[] mask, int rows, int length) {

  /** Whether the example's prompt, answer and newline fit a model of {@code maxTokens}. */
  static boolean fits(ReasoningExample e, TextCodec codec, int maxTokens) {
    int answer = codec.encode(FewShotPrompt.terminated(e.getPrompt(), e.getAnswer())).length;
    return codec.encode(e.getPrompt()).length + answer - 1 <= maxTokens;
  }

  /** An example's prompt and terminated answer as tokens, encoded once for every step. */
  record Encoded(int[] prompt, int[] answer, TaskKey task) {
    static Encoded of(ReasoningExample e, TextCodec codec) {
      return new Encoded(
          codec.encode(e.getPrompt()),
          codec.encode(FewShotPrompt.terminated(e.getPrompt(), e.getAnswer())),
          TaskKey.of(e));
    }
  }

  static AnswerBatch of(List<ReasoningExample> examples, TextCodec codec, int maxTokens) {
    return of(examples.stream().map(e -> Encoded.of(e, codec)).toList(), codec.eosId(), maxTokens);
  }

  static AnswerBatch of(List<Encoded> examples, int eosId, int maxTokens) {
    int rows = examples.size();
    int[][] seqs = new int[rows][];
    int[] answerStart = new int[rows];
    int length = 1;
    for (int r = 0; r < rows; r++) {
      Encoded e = examples.get(r);
      int[] answer = e.answer();
      int[] prompt = e.prompt();
      if (prompt.length + answer.length - 1 > maxTokens) {
        throw new IllegalArgumentException(
            "a fine-tuning example of "
                + (prompt.length + answer.length)
                + " tokens does not fit seq_len "
                + maxTokens
                + " ("
                + e.task()
                + ")");
      }
      int[] seq = new int[prompt.length + answer.length];
      System.arraycopy(prompt, 0, seq, 0, prompt.length);
      System.arraycopy(answer, 0, seq, prompt.length, answer.length);
      seqs[r] = seq;
      answerStart[r] = prompt.length;
      length = Math.max(length, seq.length - 1);
    }
    int[] inputs = new int[rows * length];
    int[] targets = new int[rows * length];
    float[] mask = new float[rows * length];
    java.util.Arrays.fill(inputs, eosId);
    java.util.Arrays.fill(targets, eosId);
    for (int r = 0; r < rows; r++) {
      int[] s = seqs[r];
      for (int p = 0; p + 1 < s.length; p++) {
        inputs[r * length + p] = s[p];
        targets[r * length + p] = s[p + 1];
        // Target p is token p + 1: an answer token once p + 1 reaches the answer's start.
        mask[r * length + p] = p + 1 >= answerStart[r] ? 1f : 0f;
      }
    }
    return new AnswerBatch(inputs, targets, mask, rows, length);
  }

  /** The positions {@code r * length + p} whose target is an answer token, in order. */
  long[] answerAt() {
    return java.util.stream.IntStream.range(0, mask.length)
        .filter(i -> mask[i] > 0)
        .asLongStream()
        .toArray();
  }

  /** The answer tokens those positions predict, in the same order. */
  int[] answerTargets() {
    return java.util.stream.IntStream.range(0, mask.length)
        .filter(i -> mask[i] > 0)
        .map(i -> targets[i])
        .toArray();
  }
}
