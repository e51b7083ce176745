package dev.midas.stacking.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midas.checkpoint.NamedTensors;
import dev.midas.checkpoint.Tensor;
import dev.midas.proto.CheckpointKind;
import dev.midas.proto.ModelConfig;
import dev.midas.stacking.eval.TokenizerCodec;
import dev.midas.stacking.model.TransformerLM;
import dev.midas.stacking.trained.TestingTrainedRuns;
import dev.midas.stacking.trained.TrainedCheckpoint;
import dev.midas.stacking.trained.TrainedCheckpoints;
import dev.midas.store.StoreOptions;
import java.net.URI;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Greedy and seeded sampling from a committed checkpoint, through the run's own tokenizer. */
class TextGeneratorTest {
  private static final String PROMPT = "w3 w7 w7 w12";
  @TempDir Path dir;

  private TrainedCheckpoint checkpoint(ModelConfig c, NamedTensors params) throws Exception {
    Path root = dir.resolve("store");
    TestingTrainedRuns.writeRun(root);
    URI m =
        TestingTrainedRuns.checkpoint(root, c, params, CheckpointKind.CHECKPOINT_KIND_STAGE_FINAL);
    return TrainedCheckpoints.read(m.toString(), StoreOptions.DEFAULTS);
  }

  private TrainedCheckpoint rotary() throws Exception {
    ModelConfig c = TestingTrainedRuns.model("rmsnorm", "rotary", "gelu", false);
    return checkpoint(c, TestingTrainedRuns.params(c, 5));
  }

  private static Generation generate(TrainedCheckpoint ckpt, SamplingOptions o, StringBuilder out)
      throws Exception {
    try (TransformerLM model = ckpt.newModel();
        TokenizerCodec codec = ckpt.requireTokenizer().codec()) {
      return new TextGenerator(model, codec).generate(PROMPT, o, out::append);
    }
  }

  @Test
  void greedyWritesTheArgmaxContinuationOfOneForwardPass() throws Exception {
    TrainedCheckpoint ckpt = rotary();
    StringBuilder streamed = new StringBuilder();
    Generation g = generate(ckpt, SamplingOptions.greedy(24), streamed);

    assertThat(g.promptIds()).containsExactly(3, 7, 7, 12);
    assertThat(streamed.toString()).isEqualTo(g.text());
    // Past seq_len (16) the context slides; check the tokens a single 16-token pass sees whole.
    int[] seq = new int[16];
    System.arraycopy(g.promptIds(), 0, seq, 0, 4);
    int checked = Math.min(g.newIds().length, 12);
    System.arraycopy(g.newIds(), 0, seq, 4, checked);
    float[][] logits;
    try (TransformerLM model = ckpt.newModel();
        TokenizerCodec codec = ckpt.requireTokenizer().codec()) {
      logits = new TextGenerator(model, codec).logitsAt(Arrays.copyOf(seq, 4 + checked));
    }
    for (int j = 0; j < checked; j++) {
      assertThat(TokenSampler.argmax(logits[3 + j])).as("token %d", j).isEqualTo(g.newIds()[j]);
    }
    if (g.stop() == Generation.Stop.END_OF_TEXT && g.newIds().length < 12) {
      assertThat(TokenSampler.argmax(logits[3 + checked])).isZero();
    }
    assertThat(checked).isPositive();
  }

  @Test
  void aSeedGivesTheSameSampleEveryTimeAndAnotherSeedAnother() throws Exception {
    TrainedCheckpoint ckpt = rotary();
    SamplingOptions seed1 = new SamplingOptions(20, 1.5, 0, 1);
    Generation a = generate(ckpt, seed1, new StringBuilder());
    Generation b = generate(ckpt, seed1, new StringBuilder());
    Generation c = generate(ckpt, new SamplingOptions(20, 1.5, 0, 2), new StringBuilder());

    assertThat(a.newIds()).isEqualTo(b.newIds()).isNotEmpty();
    assertThat(a.text()).isEqualTo(b.text());
    assertThat(c.newIds()).isNotEqualTo(a.newIds());
  }

  @Test
  void topOneSamplingIsGreedy() throws Exception {
    TrainedCheckpoint ckpt = rotary();
    Generation greedy = generate(ckpt, SamplingOptions.greedy(10), new StringBuilder());
    Generation top1 = generate(ckpt, new SamplingOptions(10, 2.0, 1, 9), new StringBuilder());
    assertThat(top1.newIds()).isEqualTo(greedy.newIds());
  }

  @Test
  void stopsAtEndOfText() throws Exception {
    ModelConfig c = TestingTrainedRuns.model("layernorm", "learned", "gelu", false);
    NamedTensors params = TestingTrainedRuns.params(c, 5);
    // A head whose row for end-of-text (id 0) dominates every other row.
    Tensor head = params.get("head.weight");
    float[] d = head.data().clone();
    Arrays.fill(d, 0f);
    Arrays.fill(d, 0, 32, 1f);
    params.put("head.weight", new Tensor(head.shape(), d));
    params.put("final_norm.beta", new Tensor(new long[] {32}, filled(32, 1f)));

    Generation g = generate(checkpoint(c, params), SamplingOptions.greedy(10), new StringBuilder());

    assertThat(g.stop()).isEqualTo(Generation.Stop.END_OF_TEXT);
    assertThat(g.newIds()).isEmpty();
    assertThat(g.text()).isEmpty();
  }

  private static float[] filled(int n, float v) {
    float[] f = new float[n];
    Arrays.fill(f, v);
    return f;
  }
}
