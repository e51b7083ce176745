package dev.midas.stacking.model;

import dev.midas.proto.ModelConfig;
import java.util.Locale;

/**
 * Validates a {@link ModelConfig} and fills the documented defaults (proto3 leaves unset strings
 * empty): d_ff = 4 * d_model, norm = layernorm, activation = gelu, positions = learned. Every other
 * class of the model works on a normalized config, so a checkpoint's shapes follow from it alone.
 */
public final class ModelConfigs {
  public static final String LAYERNORM = "layernorm";
  public static final String RMSNORM = "rmsnorm";
  public static final String GELU = "gelu";
  public static final String RELU = "relu";
  public static final String LEARNED = "learned";
  public static final String ROTARY = "rotary";

  /** Epsilon of both norms: layernorm's variance + eps, rmsnorm's mean square + eps. */
  public static final double NORM_EPS = 1e-5;

  /** Base of the rotary frequencies: angle(p, i) = p / base^(2i / head_dim). */
  public static final double ROTARY_BASE = 10000.0;

  private ModelConfigs() {}

  /** The config with defaults filled in; throws {@link ModelConfigException} when invalid. */
  public static ModelConfig normalize(ModelConfig c) {
    ModelConfig.Builder b = c.toBuilder();
    if (c.getDFf() == 0) {
      b.setDFf(4 * c.getDModel());
    }
    b.setNorm(orDefault(c.getNorm(), LAYERNORM));
    b.setActivation(orDefault(c.getActivation(), GELU));
    b.setPositions(orDefault(c.getPositions(), LEARNED));
    ModelConfig n = b.build();
    validate(n);
    return n;
  }

  private static String orDefault(String v, String d) {
    return v.isEmpty() ? d : v.toLowerCase(Locale.ROOT);
  }

  /**
   * The layers a model computes: n_layers, times {@code loop} for the looped model, whose one block
   * of n_layers layers is applied loop times.
   */
  public static int depth(ModelConfig c) {
    return c.getNLayers() * Math.max(1, c.getLoop());
  }

  private static void validate(ModelConfig c) {
    positive("vocab_size", c.getVocabSize());
    positive("d_model", c.getDModel());
    positive("n_heads", c.getNHeads());
    positive("d_ff", c.getDFf());
    positive("n_layers", c.getNLayers());
    positive("seq_len", c.getSeqLen());
    if (c.getLoop() < 0) {
      throw new ModelConfigException("loop must not be negative, got " + c.getLoop());
    }
    if (c.getDModel() % c.getNHeads() != 0) {
      throw new ModelConfigException(
          "d_model " + c.getDModel() + " is not a multiple of n_heads " + c.getNHeads());
    }
    oneOf("norm", c.getNorm(), LAYERNORM, RMSNORM);
    oneOf("activation", c.getActivation(), GELU, RELU);
    oneOf("positions", c.getPositions(), LEARNED, ROTARY);
    if (ROTARY.equals(c.getPositions()) && (c.getDModel() / c.getNHeads()) % 2 != 0) {
      throw new ModelConfigException(
          "rotary positions need an even head size, d_model/n_heads is "
              + c.getDModel() / c.getNHeads());
    }
  }

  private static void positive(String field, int v) {
    if (v <= 0) {
      throw new ModelConfigException(field + " must be positive, got " + v);
    }
  }

  private static void oneOf(String field, String v, String... allowed) {
    for (String a : allowed) {
      if (a.equals(v)) {
        return;
      }
    }
    throw new ModelConfigException(
        field + " '" + v + "' is not one of " + String.join(", ", allowed));
  }
}
