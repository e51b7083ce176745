package dev.midas.plan.exit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midas.plan.spec.ResolvedSpec;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The exit-class table, tested once; the runners' tests show that they follow it. */
class ExitClassTest {
  private static final ResolvedSpec.Retry LIMIT_2_BACKOFF_30 = new ResolvedSpec.Retry(2, 30);

  @Test
  void everyClassHasItsOwnCodeAndReadsBackFromItAndFromItsWireForm() {
    assertThat(Arrays.stream(ExitClass.values()).map(ExitClass::code))
        .containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
    for (ExitClass c : ExitClass.values()) {
      assertThat(ExitClass.of(c.code())).isEqualTo(c);
      assertThat(ExitClass.of(c.wire())).isEqualTo(c);
    }
    assertThat(ExitClass.of(dev.midas.proto.ExitClass.EXIT_CLASS_UNSPECIFIED))
        .isEqualTo(ExitClass.UNKNOWN);
  }

  @Test
  void codesOutsideTheTableAreUnknownAndRetriedAsCountedFailures() {
    for (int code : new int[] {-1, 8, 42, 137, 143}) {
      assertThat(ExitClass.of(code)).as("exit %d", code).isEqualTo(ExitClass.UNKNOWN);
    }
    assertThat(RetryPolicy.next(LIMIT_2_BACKOFF_30, ExitClass.UNKNOWN, 1))
        .contains(Duration.ofSeconds(30));
    assertThat(RetryPolicy.next(LIMIT_2_BACKOFF_30, ExitClass.UNKNOWN, 3)).isEmpty();
  }

  @Test
  void outOfMemoryIsRetriedAndCountsLikeATransientFailure() {
    assertThat(RetryPolicy.next(LIMIT_2_BACKOFF_30, ExitClass.OUT_OF_MEMORY, 2))
        .contains(Duration.ofSeconds(60));
    assertThat(RetryPolicy.next(LIMIT_2_BACKOFF_30, ExitClass.OUT_OF_MEMORY, 3)).isEmpty();
    assertThat(ExitClass.OUT_OF_MEMORY.countsAsFailure()).isTrue();
  }

  @Test
  void aPreemptionResumesAtOnceAndIsNotCounted() {
    assertThat(ExitClass.PREEMPTED.countsAsFailure()).isFalse();
    assertThat(RetryPolicy.next(LIMIT_2_BACKOFF_30, ExitClass.PREEMPTED, 99))
        .contains(Duration.ZERO);
  }

  @Test
  void whatCannotGetBetterIsNeverRetried() {
    for (ExitClass c :
        new ExitClass[] {ExitClass.BAD_SPEC, ExitClass.DIVERGED, ExitClass.CORRUPT_INPUT}) {
      assertThat(c.retryable()).as(c.name()).isFalse();
      assertThat(RetryPolicy.next(LIMIT_2_BACKOFF_30, c, 1))
          .as(c.name())
          .isEqualTo(Optional.empty());
    }
  }

  @Test
  void backoffDoublesPerCountedFailureAndIsCappedAtAnHour() {
    ResolvedSpec.Retry many = new ResolvedSpec.Retry(100, 30);
    assertThat(RetryPolicy.next(many, ExitClass.TRANSIENT, 1)).contains(Duration.ofSeconds(30));
    assertThat(RetryPolicy.next(many, ExitClass.TRANSIENT, 3)).contains(Duration.ofSeconds(120));
    assertThat(RetryPolicy.next(many, ExitClass.TRANSIENT, 40)).contains(Duration.ofHours(1));
  }
}
