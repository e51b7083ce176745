package dev.midas.stacking.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CausalAttentionTest {

  @Test
  void fusedKernelComputesTheWrittenOutMaskedSoftmaxAttention() {
    int b = 2;
    int h = 3;
    int t = 7;
    int dh = 8;
    try (NDManager m = PyTorchRuntime.use(1).newBaseManager()) {
      Random r = new Random(5);
      NDArray q = m.create(gaussian(r, b * h * t * dh), new Shape(b, h, t, dh));
      NDArray k = m.create(gaussian(r, b * h * t * dh), new Shape(b, h, t, dh));
      NDArray v = m.create(gaussian(r, b * h * t * dh), new Shape(b, h, t, dh));
      float[] mask = new float[t * t];
      for (int i = 0; i < t; i++) {
        for (int j = i + 1; j < t; j++) {
          mask[i * t + j] = Float.NEGATIVE_INFINITY;
        }
      }
      NDArray scores =
          q.matMul(k.transpose(0, 1, 3, 2)).div(Math.sqrt(dh)).add(m.create(mask, new Shape(t, t)));
      float[] expected = scores.softmax(-1).matMul(v).toFloatArray();
      float[] fused = CausalSelfAttention.attend(q, k, v).toFloatArray();
      assertThat(fused).hasSameSizeAs(expected);
      for (int i = 0; i < expected.length; i++) {
        assertThat(fused[i]).as("element %d", i).isCloseTo(expected[i], within(1e-5f));
      }
    }
  }

  private static float[] gaussian(Random r, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) r.nextGaussian();
    }
    return v;
  }
}
