package dev.midas.stacking.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.pytorch.jni.JniUtils;
import org.junit.jupiter.api.Test;

class PyTorchRuntimeTest {

  @Test
  void engineThreadsSleepWhenIdleUnlessTheEnvironmentSaysOtherwise() {
    PyTorchRuntime.use(2);
    String expected =
        System.getenv("OMP_WAIT_POLICY") != null
            ? System.getenv("OMP_WAIT_POLICY")
            : System.getenv("GOMP_SPINCOUNT") != null ? null : "PASSIVE";
    assertThat(PyTorchRuntime.ompWaitPolicy()).isEqualTo(expected);
  }

  @Test
  void pinsTheRequestedIntraOpThreads() {
    PyTorchRuntime.use(1);
    assertThat(JniUtils.getNumThreads()).isEqualTo(1);
    PyTorchRuntime.use(2);
    assertThat(JniUtils.getNumThreads()).isEqualTo(2);
  }

  @Test
  void returnsFreedNativeMemoryThroughTheCLibrary() {
    assertThat(PyTorchRuntime.trimNativeHeap()).isTrue();
  }

  @Test
  void rejectsANonPositiveThreadCount() {
    assertThatThrownBy(() -> PyTorchRuntime.use(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("threads must be positive");
  }
}
