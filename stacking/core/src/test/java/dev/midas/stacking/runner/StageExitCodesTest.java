package dev.midas.stacking.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midas.plan.exit.ExitClass;
import dev.midas.plan.spec.InvalidSpecException;
import dev.midas.stacking.train.DivergedException;
import dev.midas.store.artifact.CorruptArtifactException;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

class StageExitCodesTest {

  @Test
  void failuresMapToTheContractsExitCodes() {
    assertThat(code(new InvalidSpecException("x"))).isEqualTo(2);
    assertThat(code(new DivergedException(5, "loss", Double.NaN))).isEqualTo(3);
    assertThat(code(new OutOfMemoryError("Java heap space"))).isEqualTo(4);
    assertThat(code(new RuntimeException("CUDA out of memory. Tried to allocate 2.00 GiB")))
        .isEqualTo(4);
    assertThat(code(new IOException("connection reset"))).isEqualTo(5);
    assertThat(code(new CorruptArtifactException("m", "params.bin", "is corrupt"))).isEqualTo(7);
    assertThat(code(new StageException(ExitClass.PREEMPTED, "stop"))).isEqualTo(6);
  }

  @Test
  void overflowingArithmeticIsABadSpecNeverRetried() {
    ArithmeticException overflow =
        org.junit.jupiter.api.Assertions.assertThrows(
            ArithmeticException.class, () -> Math.multiplyExact(2_000_000_000, 2));

    assertThat(StageExitCodes.classify(new IllegalStateException("sizing", overflow)))
        .isEqualTo(ExitClass.BAD_SPEC);
    assertThat(ExitClass.BAD_SPEC.retryable()).isFalse();
    assertThat(StageExitCodes.classify(new ArithmeticException("/ by zero")))
        .as("an arithmetic error that may not repeat stays transient")
        .isEqualTo(ExitClass.TRANSIENT);
  }

  @Test
  void wrappedFailuresAreClassifiedByTheirCause() {
    UncheckedIOException wrapped =
        new UncheckedIOException(new CorruptArtifactException("m", "adam_v.bin", "is truncated"));

    assertThat(code(wrapped)).isEqualTo(7);
  }

  private static int code(Throwable t) {
    return StageExitCodes.classify(t).code();
  }
}
