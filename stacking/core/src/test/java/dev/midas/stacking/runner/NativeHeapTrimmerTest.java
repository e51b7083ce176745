package dev.midas.stacking.runner;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NativeHeapTrimmerTest {

  @Test
  void trimsBetweenCheckpointsOnlyOnceTheIntervalHasPassed() {
    NativeHeapTrimmer hourly = new NativeHeapTrimmer(3_600_000);
    hourly.maybeTrim();
    hourly.maybeTrim();
    assertThat(hourly.calls()).isZero();
    hourly.trim();
    assertThat(hourly.calls()).isEqualTo(1);
    assertThat(hourly.toString()).contains("trimmed 1 times");

    NativeHeapTrimmer always = new NativeHeapTrimmer(0);
    always.maybeTrim();
    always.maybeTrim();
    assertThat(always.calls()).isEqualTo(2);
  }
}
