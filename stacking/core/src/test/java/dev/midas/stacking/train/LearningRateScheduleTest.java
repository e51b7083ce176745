package dev.midas.stacking.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {
  private final TrainConfig c =
      TrainConfig.builder().peakLr(1.0).warmupSteps(10).totalSteps(110).minLrRatio(0.1).build();

  @Test
  void warmsUpLinearlyThenFollowsACosineToTheFloorOnTheGlobalStep() {
    LearningRateSchedule s = new LearningRateSchedule(c);
    assertThat(s.at(0, 0)).isCloseTo(0.1, within(1e-12));
    assertThat(s.at(9, 9)).isCloseTo(1.0, within(1e-12));
    assertThat(s.at(10, 10)).isCloseTo(1.0, within(1e-12));
    assertThat(s.at(60, 60)).isCloseTo(0.55, within(1e-12));
    assertThat(s.at(110, 110)).isCloseTo(0.1, within(1e-12));
    assertThat(s.at(500, 500)).isCloseTo(0.1, within(1e-12));
  }

  @Test
  void continuesAcrossStageBoundariesUnlessReWarmupIsOn() {
    LearningRateSchedule continuous = new LearningRateSchedule(c);
    assertThat(continuous.at(60, 0)).isEqualTo(continuous.at(60, 60));
    LearningRateSchedule rewarm = new LearningRateSchedule(c.toBuilder().rewarmupSteps(4).build());
    assertThat(rewarm.at(60, 0)).isCloseTo(0.55 / 4, within(1e-12));
    assertThat(rewarm.at(63, 3)).isCloseTo(continuous.at(63, 3), within(1e-12));
    assertThat(rewarm.at(2, 2))
        .as("no re-warmup in the first stage")
        .isEqualTo(continuous.at(2, 2));
  }
}
