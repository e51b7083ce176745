package dev.midas.stacking.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.midas.checkpoint.NamedTensors;
import dev.midas.proto.ModelConfig;
import dev.midas.proto.ReasoningExample;
import dev.midas.proto.TaskScore;
import dev.midas.stacking.model.ParameterInit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FineTuneTest {
  static final TestingCharCodec CODEC = new TestingCharCodec();

  static ModelConfig charModel() {
    return ModelConfig.newBuilder()
        .setVocabSize(128)
        .setDModel(32)
        .setNHeads(4)
        .setDFf(64)
        .setNLayers(2)
        .setSeqLen(16)
        .build();
  }

  static List<ReasoningExample> examples(String split, int n, String answer) {
    List<ReasoningExample> l = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      l.add(
          ReasoningExample.newBuilder()
              .setTask("psm")
              .setSplit(split)
              .setId(i)
              .setPrompt("Z=" + (i % 10) + "\nZ?")
              .setAnswer(answer)
              .build());
    }
    return l;
  }

  @Test
  void lossMaskCoversExactlyTheAnswerAndItsNewline() {
    AnswerBatch b = AnswerBatch.of(examples("finetune", 1, "7"), CODEC, 16);

    StringBuilder masked = new StringBuilder();
    for (int p = 0; p < b.length(); p++) {
      if (b.mask()[p] == 1f) {
        masked.append((char) b.targets()[p]);
      }
    }
    assertThat(masked.toString()).isEqualTo(" 7\n");
  }

  @Test
  void eachExampleIsEncodedOnceHoweverManyStepsReadIt() {
    int[] encodes = {0};
    TextCodec counting =
        new TextCodec() {
          @Override
          public int[] encode(String text) {
            encodes[0]++;
            return CODEC.encode(text);
          }

          @Override
          public String decode(int[] ids) {
            return CODEC.decode(ids);
          }

          @Override
          public int eosId() {
            return CODEC.eosId();
          }
        };

    // 8 examples read 5 times each (20 steps of 2): prompt and answer once per example.
    try (FineTuner.Tuned t =
        FineTuner.fineTune(
            charModel(),
            ParameterInit.model(charModel(), 5),
            examples("finetune", 8, "7"),
            counting,
            new FineTuner.Options(20, 2, 1e-3),
            3)) {
      assertThat(t.losses()).hasSize(20);
    }
    assertThat(encodes[0]).isEqualTo(16);
  }

  @Test
  void fineTuningLowersTheAnswerLossAndLeavesTheCheckpointUntouched() {
    NamedTensors params = ParameterInit.model(charModel(), 5);
    NamedTensors before = params.copy();

    try (FineTuner.Tuned t =
        FineTuner.fineTune(
            charModel(),
            params,
            examples("finetune", 8, "7"),
            CODEC,
            new FineTuner.Options(10, 4, 2e-2),
            1)) {
      assertThat(t.losses()).hasSize(10);
      assertThat(t.losses().get(9)).isLessThan(t.losses().get(0) / 3);
    }
    assertThat(params).isEqualTo(before);
  }

  @Test
  void modelFineTunedOnAConstantAnswerGetsEveryHeldOutInstanceRightOnEverySeed() {
    FineTuneEvaluator.Options o =
        new FineTuneEvaluator.Options(8, 3, new FineTuner.Options(20, 4, 2e-2), 3, 3);

    List<TaskScore> scores =
        FineTuneEvaluator.evaluate(
            charModel(),
            ParameterInit.model(charModel(), 6),
            CODEC,
            examples("finetune", 24, "7"),
            examples("eval", 3, "7"),
            o,
            9);

    assertThat(scores).hasSize(1);
    TaskScore s = scores.get(0);
    assertThat(s.getTask()).isEqualTo("psm");
    assertThat(s.getProtocol()).isEqualTo("finetune-exact");
    assertThat(s.getAccuracy()).isEqualTo(1.0);
    assertThat(s.getStd()).isZero();
    assertThat(s.getSeeds()).isEqualTo(3);
    assertThat(s.getN()).isEqualTo(3);
  }

  @Test
  void everySeedFineTunesOnExamplesOfItsOwn() {
    List<ReasoningExample> pool = examples("finetune", 30, "7");
    TaskKey task = TaskKey.of(pool.get(0));

    List<List<ReasoningExample>> draws = FineTuneEvaluator.draws(pool, 8, 3, 4, task);

    assertThat(draws).hasSize(3).allSatisfy(d -> assertThat(d).hasSize(8));
    assertThat(draws.stream().flatMap(List::stream).map(ReasoningExample::getId))
        .doesNotHaveDuplicates();
    assertThat(FineTuneEvaluator.draws(pool, 8, 3, 4, task)).isEqualTo(draws);
  }

  @Test
  void aPoolTooSmallForDisjointSeedsIsRefusedSayingWhatItNeeds() {
    FineTuneEvaluator.Options o =
        new FineTuneEvaluator.Options(8, 3, new FineTuner.Options(1, 4, 2e-2), 3, 3);

    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                FineTuneEvaluator.evaluate(
                    charModel(),
                    ParameterInit.model(charModel(), 6),
                    CODEC,
                    examples("finetune", 16, "7"),
                    examples("eval", 3, "7"),
                    o,
                    9))
        .hasMessageContaining("task psm")
        .hasMessageContaining("need 24 distinct fine-tune examples, the dataset has 16");
  }

  @Test
  void anExampleLongerThanTheModelTakesIsRefusedNotCut() {
    ReasoningExample longOne =
        examples("finetune", 1, "7").get(0).toBuilder().setPrompt("x".repeat(20)).build();

    assertThat(AnswerBatch.fits(longOne, CODEC, 16)).isFalse();
    assertThat(AnswerBatch.fits(examples("finetune", 1, "7").get(0), CODEC, 16)).isTrue();
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> AnswerBatch.of(List.of(longOne), CODEC, 16))
        .hasMessageContaining("does not fit seq_len 16");
  }

  @Test
  void standardDeviationIsOverSeedsWithBesselsCorrection() {
    assertThat(FineTuneEvaluator.sampleStd(new double[] {0.0, 0.5, 1.0}))
        .isCloseTo(0.5, within(1e-12));
    assertThat(FineTuneEvaluator.sampleStd(new double[] {0.25})).isZero();
  }
}
