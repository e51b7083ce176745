package dev.midas.stacking.model;

import dev.midas.checkpoint.NamedTensors;
import dev.midas.checkpoint.Tensor;
import dev.midas.proto.ModelConfig;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;

/**
 * Deterministic initialisation in plain Java (GPT-2 style): matrices N(0, 0.02), the two output
 * projections of each layer N(0, 0.02 / sqrt(2 * depth)), biases and betas 0, gammas 1. The depth
 * is the config's {@code init_depth} (the experiment's target depth by default, so that a 2-layer
 * first stage starts at the scale of the 12-layer baseline) or, when that is 0, the depth the model
 * computes (n_layers, times the loop count of a looped model).
 *
 * <p>Each tensor draws from its own generator seeded by (seed, name), so a tensor's values do not
 * depend on which other tensors exist: growth operator "random" can initialise one new layer alone,
 * and the same seed always gives the same model on any machine ({@link Random#nextGaussian} is
 * specified exactly).
 */
public final class ParameterInit {
  public static final double STD = 0.02;

  private ParameterInit() {}

  /** A whole model's parameters. */
  public static NamedTensors model(ModelConfig config, long seed) {
    ModelConfig c = ModelConfigs.normalize(config);
    NamedTensors t = new NamedTensors();
    ParameterLayout.shapes(c).forEach((name, shape) -> t.put(name, tensor(c, name, shape, seed)));
    return t;
  }

  /** The parameters of layer {@code i} alone, as a model of {@code config}'s depth would have. */
  public static NamedTensors layer(ModelConfig config, int i, long seed) {
    ModelConfig c = ModelConfigs.normalize(config);
    NamedTensors t = new NamedTensors();
    for (Map.Entry<String, long[]> e : ParameterLayout.layerShapes(c, i).entrySet()) {
      t.put(e.getKey(), tensor(c, e.getKey(), e.getValue(), seed));
    }
    return t;
  }

  private static Tensor tensor(ModelConfig c, String name, long[] shape, long seed) {
    Tensor t = Tensor.zeros(shape);
    float[] d = t.data();
    if (name.endsWith(".gamma")) {
      Arrays.fill(d, 1f);
    } else if (name.endsWith(".weight")) {
      double std = STD;
      if (name.endsWith("attn.o.weight") || name.endsWith("mlp.fc2.weight")) {
        std /= Math.sqrt(2.0 * initDepth(c));
      }
      Random r = new Random(mix(seed, name));
      for (int k = 0; k < d.length; k++) {
        d[k] = (float) (r.nextGaussian() * std);
      }
    }
    return t;
  }

  /** The depth the output projections' std is scaled for. */
  public static int initDepth(ModelConfig c) {
    return c.getInitDepth() > 0 ? c.getInitDepth() : ModelConfigs.depth(c);
  }

  /** 64-bit FNV-1a of the name, mixed with the seed (SplitMix64 finaliser). */
  static long mix(long seed, String name) {
    long h = 0xcbf29ce484222325L;
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    long z = seed * 0x9E3779B97F4A7C15L + h;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
