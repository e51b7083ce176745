package dev.midas.plan.spec;

import java.util.List;

/** The closed lists of words a spec may use; validation names them in its messages. */
public final class AllowedValues {
  /** Full depth from step 0: one stage, no growth. */
  public static final String BASELINE = "baseline";

  public static final String MIDAS = "midas";
  public static final String GRADSTACK = "gradstack";

  /** Gong 2019: the whole model stacked on itself, so depth doubles at every growth. */
  public static final String DOUBLE = "double";

  public static final String MAP = "map";

  /**
   * The looped model (LOOP, Saunshi et al. 2025): one block of growth.blockSize layers applied
   * targetLayers / blockSize times with its weights shared, trained at full depth from step 0.
   */
  public static final String LOOP = "loop";

  /**
   * Adaptive gradual stacking: LAG chooses the growth at every stage boundary among {@code
   * growth.lag.candidates} (by default midas, gradstack, random, zero and every duplicate-j).
   */
  public static final String LAG = "lag";

  public static final String RANDOM = "random";
  public static final String ZERO = "zero";

  public static final List<String> GROWTH_OPERATORS =
      List.of(BASELINE, MIDAS, GRADSTACK, DOUBLE, MAP, RANDOM, ZERO, LOOP, LAG);

  /**
   * Operators LAG may try at a growth point (map needs a list per boundary, baseline no growth);
   * {@code duplicate} stands for every {@code duplicate-j} (block j copied next to itself), which
   * may also be named one by one.
   */
  public static final List<String> LAG_CANDIDATES =
      List.of(MIDAS, GRADSTACK, RANDOM, ZERO, "duplicate");

  public static final List<String> OUTPUT_INIT_DEPTH = List.of("target", "stage");
  public static final List<String> MIDAS_TIE = List.of("left", "right");
  public static final List<String> OPTIMIZER_STATE = List.of("copy", "reset");
  public static final List<String> SCHEDULE_TYPES = List.of("prop-alpha", "explicit");
  public static final List<String> NORMS = List.of("layernorm", "rmsnorm");
  public static final List<String> ACTIVATIONS = List.of("gelu", "relu");
  public static final List<String> POSITIONS = List.of("learned", "rotary");
  public static final List<String> STORAGE_SCHEMES = List.of("file", "s3");

  private AllowedValues() {}
}
