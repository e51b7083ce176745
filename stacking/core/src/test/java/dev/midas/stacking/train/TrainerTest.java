package dev.midas.stacking.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.midas.checkpoint.NamedTensors;
import dev.midas.checkpoint.Tensor;
import dev.midas.checkpoint.TrainState;
import dev.midas.stacking.data.TokenDataset;
import dev.midas.stacking.growth.Growth;
import dev.midas.stacking.growth.GrowthOperator;
import dev.midas.stacking.growth.GrowthRequest;
import dev.midas.stacking.growth.OptimizerStatePolicy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainerTest {
  private final TokenDataset data = TestingRuns.data(64);

  @Test
  void lossFallsOnALearnableStream() {
    TrainState init = TrainStates.fresh(TestingRuns.model(), 1);
    List<Double> losses = new ArrayList<>();
    TrainResult r =
        Trainer.train(
            init,
            data,
            TestingRuns.config(),
            80,
            new TrainListener() {
              @Override
              public void onStep(StepMetrics m) {
                losses.add(m.loss());
              }
            });
    assertThat(losses.get(0)).isCloseTo(Math.log(48), within(0.3));
    assertThat(r.lastLoss()).isLessThan(losses.get(0) - 1.0);
    assertThat(r.state().position().getGlobalStep()).isEqualTo(80);
    assertThat(r.state().position().getTokensSeen()).isEqualTo(80L * 8 * 16);
    assertThat(Evaluator.validationLoss(r.state(), TestingRuns.data(8), 4, 2, 1))
        .isLessThan(Evaluator.validationLoss(init, TestingRuns.data(8), 4, 2, 2) - 1.0);
  }

  @Test
  void trainingInTwoCallsGivesTheSameBitsAsOneCall() {
    TrainState init = TrainStates.fresh(TestingRuns.model(), 2);
    TrainConfig c = TestingRuns.config();
    // 64 windows / batch 8 = 8 batches an epoch: 10 steps cross an epoch boundary.
    TrainState straight = Trainer.train(init, data, c, 10, TrainListener.NONE).state();
    TrainState half = Trainer.train(init, data, c, 6, TrainListener.NONE).state();
    TrainState resumed = Trainer.train(half, data, c, 4, TrainListener.NONE).state();
    assertSameState(resumed, straight);
    assertThat(straight.position().getDataEpoch()).isEqualTo(1);
    assertThat(straight.position().getDataCursor()).isEqualTo(2);
  }

  static void assertSameState(TrainState actual, TrainState expected) {
    assertThat(actual.position()).isEqualTo(expected.position());
    assertThat(actual.model()).isEqualTo(expected.model());
    assertThat(actual.params().names()).containsExactlyElementsOf(expected.params().names());
    for (String n : expected.params().names()) {
      assertThat(actual.params().get(n)).as(n).isEqualTo(expected.params().get(n));
      assertThat(actual.adamM().get(n)).as("m " + n).isEqualTo(expected.adamM().get(n));
      assertThat(actual.adamV().get(n)).as("v " + n).isEqualTo(expected.adamV().get(n));
    }
  }

  @Test
  void engineArraysStayFlatFromStepToStep() {
    List<Integer> arrays = new ArrayList<>();
    Trainer.train(
        TrainStates.fresh(TestingRuns.model().toBuilder().setPositions("rotary").build(), 3),
        data,
        TestingRuns.config(),
        6,
        new TrainListener() {
          @Override
          public void onStep(StepMetrics m) {
            arrays.add(m.engineArrays());
          }
        });
    assertThat(arrays.get(0)).isPositive();
    assertThat(arrays).containsOnly(arrays.get(0));
  }

  @Test
  void snapshotsArriveEveryKGlobalStepsAndAStopRequestEndsEarly() {
    List<Long> snapshots = new ArrayList<>();
    TrainConfig c = TestingRuns.config().toBuilder().checkpointEvery(3).build();
    TrainResult r =
        Trainer.train(
            TrainStates.fresh(TestingRuns.model(), 4),
            data,
            c,
            100,
            new TrainListener() {
              @Override
              public void onCheckpoint(TrainState s) {
                snapshots.add(s.position().getGlobalStep());
              }

              @Override
              public boolean stopRequested() {
                return snapshots.size() == 3;
              }
            });
    assertThat(snapshots).containsExactly(3L, 6L, 9L);
    assertThat(r.stopped()).isTrue();
    assertThat(r.stepsRun()).isEqualTo(9);
    assertThat(r.state().position().getGlobalStep()).isEqualTo(9);
  }

  @Test
  void firstAdamStepMovesEachParameterByTheLearningRateAlsoAfterAReset() {
    TrainConfig c =
        TestingRuns.config().toBuilder()
            .warmupSteps(0)
            .totalSteps(0)
            .peakLr(1e-3)
            .weightDecay(0)
            .clipNorm(0)
            .build();
    TrainState init = TrainStates.fresh(TestingRuns.model(), 5);
    TrainState one = Trainer.train(init, data, c, 1, TrainListener.NONE).state();
    assertThat(maxStep(init.params(), one.params())).isCloseTo(1e-3, within(2e-5));

    TrainState trained = Trainer.train(init, data, c, 5, TrainListener.NONE).state();
    TrainState reset =
        Growth.grow(
                trained,
                GrowthRequest.of(GrowthOperator.MIDAS, 1)
                    .withOptimizerState(OptimizerStatePolicy.RESET))
            .state();
    assertThat(reset.position().getOptimizerStep()).isZero();
    TrainState after = Trainer.train(reset, data, c, 1, TrainListener.NONE).state();
    assertThat(after.position().getOptimizerStep()).isEqualTo(1);
    assertThat(after.position().getGlobalStep()).isEqualTo(6);
    assertThat(maxStep(reset.params(), after.params())).isCloseTo(1e-3, within(2e-5));
  }

  /** Largest |change| of any parameter entry (Adam's first step is lr * g / (|g| + eps)). */
  private static double maxStep(NamedTensors before, NamedTensors after) {
    double max = 0;
    for (String n : before.names()) {
      Tensor a = before.get(n);
      Tensor b = after.get(n);
      for (int i = 0; i < a.size(); i++) {
        max = Math.max(max, Math.abs((double) b.data()[i] - a.data()[i]));
      }
    }
    return max;
  }
}
