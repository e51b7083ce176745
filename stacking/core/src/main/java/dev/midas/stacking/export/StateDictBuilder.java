package dev.midas.stacking.export;

import dev.midas.checkpoint.NamedTensors;
import dev.midas.checkpoint.Tensor;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Builds a Hugging Face state dict from our parameters, tracking which were used: {@link #build}
 * fails if any parameter was left out, so a layout change can never export a model with a part
 * silently missing. Values are copied, never shared with the checkpoint.
 */
final class StateDictBuilder {
  private final NamedTensors params;
  private final Set<String> unused;
  private final NamedTensors out = new NamedTensors();

  StateDictBuilder(NamedTensors params) {
    this.params = params;
    this.unused = new LinkedHashSet<>(params.names());
  }

  /** Our parameter {@code name}, marked used. */
  Tensor take(String name) {
    Tensor t = params.get(name);
    unused.remove(name);
    return t;
  }

  StateDictBuilder put(String hfName, Tensor t) {
    if (out.contains(hfName)) {
      throw new IllegalStateException(hfName + " written twice");
    }
    out.put(hfName, t.copy());
    return this;
  }

  /** Our {@code name} under the definition's {@code hfName}, same layout. */
  StateDictBuilder rename(String name, String hfName) {
    return put(hfName, take(name));
  }

  NamedTensors build() {
    if (!unused.isEmpty()) {
      throw new IllegalStateException("parameters not exported: " + unused);
    }
    return out;
  }

  /** The transpose of a matrix [r, c] as [c, r]. */
  static Tensor transpose(Tensor m) {
    int r = Math.toIntExact(m.shape()[0]);
    int c = Math.toIntExact(m.shape()[1]);
    float[] d = m.data();
    float[] t = new float[d.length];
    for (int i = 0; i < r; i++) {
      for (int j = 0; j < c; j++) {
        t[j * r + i] = d[i * c + j];
      }
    }
    return new Tensor(new long[] {c, r}, t);
  }

  /** Matrices [r, c_k] side by side as [r, sum c_k] (vectors end to end when 1-D). */
  static Tensor concatLastDim(Tensor... parts) {
    long[] first = parts[0].shape();
    if (first.length == 1) {
      int n = Arrays.stream(parts).mapToInt(Tensor::size).sum();
      float[] d = new float[n];
      int at = 0;
      for (Tensor p : parts) {
        System.arraycopy(p.data(), 0, d, at, p.size());
        at += p.size();
      }
      return new Tensor(new long[] {n}, d);
    }
    int rows = Math.toIntExact(first[0]);
    int cols = Arrays.stream(parts).mapToInt(p -> Math.toIntExact(p.shape()[1])).sum();
    float[] d = new float[rows * cols];
    int col0 = 0;
    for (Tensor p : parts) {
      int pc = Math.toIntExact(p.shape()[1]);
      for (int i = 0; i < rows; i++) {
        System.arraycopy(p.data(), i * pc, d, i * cols + col0, pc);
      }
      col0 += pc;
    }
    return new Tensor(new long[] {rows, cols}, d);
  }

  /** A tensor of one value. */
  static Tensor filled(float value, long... shape) {
    Tensor t = Tensor.zeros(shape);
    Arrays.fill(t.data(), value);
    return t;
  }
}
