package dev.midas.stacking.growth;

import dev.midas.plan.lag.LagPlan;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The growth operators of MIDAS.md section 2. {@code random} and {@code zero} are controls: they
 * insert a block where MIDAS would put its copy, freshly initialised ({@code random}) or copied
 * with its output projections zeroed ({@code zero}, so the grown model computes the same function).
 * {@code duplicate-j} copies block j next to itself (a LAG candidate; midas is the middle j,
 * gradstack the last).
 */
public enum GrowthOperator {
  MIDAS,
  GRADSTACK,
  DOUBLE,
  MAP,
  RANDOM,
  ZERO,
  DUPLICATE;

  /** The spec's spelling: lower case. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static GrowthOperator parse(String id) {
    if (LagPlan.duplicateBlock(id).isPresent()) {
      return DUPLICATE;
    }
    for (GrowthOperator o : values()) {
      if (o.id().equals(id)) {
        return o;
      }
    }
    throw new GrowthException(
        "growth operator '"
            + id
            + "' is not one of "
            + Arrays.stream(values())
                .map(o -> o == DUPLICATE ? LagPlan.DUPLICATE_PREFIX + "<j>" : o.id())
                .collect(Collectors.joining(", ")));
  }
}
