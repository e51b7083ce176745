package dev.midas.plan.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SchedulesTest {

  @Test
  void propOneGivesStepsProportionalToStageIndex() {
    assertThat(Schedules.propAlphaSteps(100, 4, 1)).containsExactly(10L, 20L, 30L, 40L);
  }

  @Test
  void propTwoGivesStepsProportionalToSquares() {
    // sum of squares 1..6 = 91
    assertThat(Schedules.propAlphaSteps(910, 6, 2))
        .containsExactly(10L, 40L, 90L, 160L, 250L, 360L);
  }

  @Test
  void largestRemainderRoundingGivesLeftoverStepsToLargestFractions() {
    // quotas 16.67, 33.33, 50: floors 16, 33, 50 leave one step, which goes to stage 1 (.67).
    assertThat(Schedules.propAlphaSteps(100, 3, 1)).containsExactly(17L, 33L, 50L);
    // quotas 1/3 each of 2 steps: ties go to the deeper stages.
    assertThat(Schedules.propAlphaSteps(2, 3, 0)).containsExactly(0L, 1L, 1L);
  }

  @Test
  void propAlphaStepsAlwaysAddUpToTheTotal() {
    Random rnd = new Random(11);
    for (int n = 0; n < 2000; n++) {
      long total = 1 + rnd.nextInt(1_000_000);
      int stages = 1 + rnd.nextInt(24);
      double alpha = rnd.nextInt(4) == 0 ? rnd.nextInt(3) : rnd.nextDouble() * 3;
      List<Long> steps = Schedules.propAlphaSteps(total, stages, alpha);
      assertThat(steps.stream().mapToLong(Long::longValue).sum())
          .as("T=%d k=%d alpha=%f", total, stages, alpha)
          .isEqualTo(total);
      assertThat(steps).allMatch(s -> s >= 0);
    }
  }

  @Test
  void stagesStartWhereThePreviousEndedOnTheGlobalStep() {
    StageSchedule s = Schedules.explicit(List.of(5L, 10L, 15L));

    assertThat(s.globalStart(1)).isZero();
    assertThat(s.globalStart(2)).isEqualTo(5);
    assertThat(s.globalStart(3)).isEqualTo(15);
    assertThat(s.totalSteps()).isEqualTo(30);
  }

  @Test
  void baselineIsOneStageWithEveryStep() {
    StageSchedule s = Schedules.baseline(1234);

    assertThat(s.numStages()).isEqualTo(1);
    assertThat(s.steps(1)).isEqualTo(1234);
  }

  @Test
  void stageWithoutStepsIsRefused() {
    assertThatThrownBy(() -> new StageSchedule(Schedules.propAlphaSteps(3, 4, 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("stage 1 has 0 steps");
  }

  @Test
  void stageDepthsAddOneBlockPerStageOrDoubleForDouble() {
    StageDepths add = new StageDepths(4, 24, StageDepths.Progression.ADD_BLOCK);
    StageDepths dbl = new StageDepths(3, 24, StageDepths.Progression.DOUBLE);

    assertThat(add.numStages()).isEqualTo(6);
    assertThat(add.layers(6)).isEqualTo(24);
    assertThat(add.layers(2)).isEqualTo(8);
    assertThat(dbl.numStages()).isEqualTo(4);
    assertThat(List.of(dbl.layers(1), dbl.layers(2), dbl.layers(3), dbl.layers(4)))
        .containsExactly(3, 6, 12, 24);
    assertThatThrownBy(() -> add.layers(7)).hasMessageContaining("stage 7 is outside 1..6");
  }
}
