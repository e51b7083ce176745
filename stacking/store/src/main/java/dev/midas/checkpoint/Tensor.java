package dev.midas.checkpoint;

import java.util.Arrays;

/**
 * A named parameter's value outside any engine: shape plus row-major float32 data. Growth operators
 * and checkpoints work on these, so they stay pure Java and bit-exact.
 */
public record Tensor(long[] shape, float[] data) {

  public Tensor {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    if (n != data.length) {
      throw new IllegalArgumentException(
          "shape " + Arrays.toString(shape) + " holds " + n + " values, data has " + data.length);
    }
  }

  public static Tensor zeros(long... shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return new Tensor(shape.clone(), new float[Math.toIntExact(n)]);
  }

  /** A deep copy: copies made by growth never share storage with their source. */
  public Tensor copy() {
    return new Tensor(shape.clone(), data.clone());
  }

  public int size() {
    return data.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Tensor t && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "Tensor" + Arrays.toString(shape);
  }
}
