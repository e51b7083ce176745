package dev.midas.stacking.growth;

import java.util.Locale;

/**
 * What happens to AdamW's state at growth: {@code copy} (default) gives each copied tensor its
 * source's moments and keeps the step count; {@code reset} starts a fresh optimizer (no moments,
 * bias-correction step 0) while the global step and the LR schedule continue.
 */
public enum OptimizerStatePolicy {
  COPY,
  RESET;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static OptimizerStatePolicy parse(String id) {
    for (OptimizerStatePolicy p : values()) {
      if (p.id().equals(id)) {
        return p;
      }
    }
    throw new GrowthException("optimizerState '" + id + "' is not one of copy, reset");
  }
}
