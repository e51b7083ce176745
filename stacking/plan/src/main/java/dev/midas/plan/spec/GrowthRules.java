package dev.midas.plan.spec;

import dev.midas.plan.lag.LagPlan;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Validation and defaults of {@code growth} (MIDAS.md section 2). */
final class GrowthRules {
  private GrowthRules() {}

  static ResolvedSpec.Growth resolve(Violations v, GrowthSpec g, ResolvedSpec.Model model) {
    // duplicate-j (block j copied next to itself) is what a LAG candidate's run grows with.
    String operator =
        LagPlan.duplicateBlock(g.operator).isPresent()
            ? g.operator
            : v.oneOf(
                "growth.operator",
                g.operator,
                AllowedValues.GROWTH_OPERATORS,
                SpecDefaults.GROWTH_OPERATOR);
    boolean baseline = AllowedValues.BASELINE.equals(operator);
    boolean loop = AllowedValues.LOOP.equals(operator);
    int layers = model.targetLayers();
    int block =
        baseline
            ? v.positive("growth.blockSize", g.blockSize, layers, SpecBounds.MAX_TARGET_LAYERS)
            : v.requiredPositive("growth.blockSize", g.blockSize, SpecBounds.MAX_TARGET_LAYERS);
    boolean multiple = layers % block == 0;
    if (!multiple) {
      v.add("model.targetLayers " + layers + " is not a multiple of growth.blockSize " + block);
    } else if (!baseline
        && !AllowedValues.DOUBLE.equals(operator)
        && layers / block > SpecBounds.MAX_STAGES) {
      v.add(
          "model.targetLayers "
              + layers
              + " / growth.blockSize "
              + block
              + " = "
              + layers / block
              + " stages; at most "
              + SpecBounds.MAX_STAGES
              + " are allowed");
    } else if (AllowedValues.DOUBLE.equals(operator) && Integer.bitCount(layers / block) != 1) {
      v.add(
          "growth.operator double doubles the depth at each stage, so model.targetLayers "
              + layers
              + " / growth.blockSize "
              + block
              + " = "
              + layers / block
              + " blocks must be a power of two");
    }
    String optimizerState =
        v.oneOf(
            "growth.optimizerState",
            g.optimizerState,
            AllowedValues.OPTIMIZER_STATE,
            SpecDefaults.OPTIMIZER_STATE);
    List<List<Integer>> map = List.of();
    if (AllowedValues.MAP.equals(operator)) {
      map = multiple ? layerMaps(v, g.map, block, layers / block) : List.of();
    } else if (g.map != null) {
      v.add("growth.map is only used by growth.operator map, not " + operator);
    }
    Optional<ResolvedSpec.Lag> lag = Optional.empty();
    if (g.lag != null) {
      if (baseline || loop) {
        v.add("growth.lag needs a growing operator; " + operator + " never grows");
      }
      lag = Optional.of(lag(v, g.lag, AllowedValues.LAG.equals(operator)));
    } else if (AllowedValues.LAG.equals(operator)) {
      int n = SpecDefaults.LAG_CANDIDATES.size();
      lag = Optional.of(new ResolvedSpec.Lag(SpecDefaults.LAG_CANDIDATES, 0, n, Optional.empty()));
    }
    String tie =
        v.oneOf("growth.midasTie", g.midasTie, AllowedValues.MIDAS_TIE, SpecDefaults.MIDAS_TIE);
    return new ResolvedSpec.Growth(operator, block, optimizerState, map, lag, tie);
  }

  /**
   * One source list per stage boundary: at the growth from stage i (i*b layers) the new model has
   * (i+1)*b layers, each copied from an old layer in 0..i*b-1.
   */
  private static List<List<Integer>> layerMaps(
      Violations v, List<List<Integer>> maps, int block, int stages) {
    if (maps == null) {
      v.add(
          "growth.map is required by growth.operator map: one list of source layers per growth ("
              + (stages - 1)
              + " here)");
      return List.of();
    }
    if (maps.size() != stages - 1) {
      v.add(
          "growth.map has "
              + maps.size()
              + " lists but "
              + stages
              + " stages grow "
              + (stages - 1)
              + " times");
      return List.of();
    }
    List<List<Integer>> out = new ArrayList<>();
    for (int i = 0; i < maps.size(); i++) {
      List<Integer> src = maps.get(i) == null ? List.of() : maps.get(i);
      int oldLayers = (i + 1) * block;
      int newLayers = oldLayers + block;
      if (src.size() != newLayers) {
        v.add(
            "growth.map["
                + i
                + "] has "
                + src.size()
                + " entries but stage "
                + (i + 2)
                + " has "
                + newLayers
                + " layers");
      }
      for (int j = 0; j < src.size(); j++) {
        Integer s = src.get(j);
        if (s == null || s < 0 || s >= oldLayers) {
          v.add(
              "growth.map["
                  + i
                  + "]["
                  + j
                  + "] = "
                  + s
                  + " is not a layer of stage "
                  + (i + 1)
                  + " (0.."
                  + (oldLayers - 1)
                  + ")");
        }
      }
      out.add(List.copyOf(src.stream().map(s -> s == null ? -1 : s).toList()));
    }
    return out;
  }

  /**
   * @param defaults whether missing candidates and steps take their defaults (operator lag); steps
   *     0 stand for the default, resolved once the stage schedule is known
   */
  private static ResolvedSpec.Lag lag(Violations v, LagSpec lag, boolean defaults) {
    List<String> candidates = SpecValidator.nonBlank(v, "growth.lag.candidates", lag.candidates);
    if (candidates.isEmpty() && defaults && lag.candidates == null) {
      candidates = SpecDefaults.LAG_CANDIDATES;
    } else if (candidates.isEmpty()) {
      v.add("growth.lag.candidates needs at least one of " + AllowedValues.LAG_CANDIDATES);
    }
    for (String c : candidates) {
      if (!AllowedValues.LAG_CANDIDATES.contains(c) && LagPlan.duplicateBlock(c).isEmpty()) {
        v.add(
            "growth.lag.candidates '"
                + c
                + "' is not one of "
                + AllowedValues.LAG_CANDIDATES
                + " or duplicate-<j>");
      }
    }
    if (lag.steps == null && !defaults) {
      v.add("growth.lag.steps is required with growth.lag");
    }
    long steps =
        lag.steps == null && defaults
            ? 0
            : v.positive("growth.lag.steps", lag.steps, 1L, SpecBounds.MAX_STEPS);
    int n = Math.max(1, candidates.size());
    int maxParallel = v.positive("growth.lag.maxParallel", lag.maxParallel, n, n);
    java.util.Optional<Long> timeout =
        lag.timeoutSeconds == null
            ? java.util.Optional.empty()
            : java.util.Optional.of(
                v.positive(
                    "growth.lag.timeoutSeconds",
                    lag.timeoutSeconds,
                    1L,
                    SpecBounds.MAX_STAGE_DEADLINE_SECONDS));
    return new ResolvedSpec.Lag(candidates, steps, maxParallel, timeout);
  }

  /** The growth with LAG's default steps filled in: a tenth of stage 2's, at least 1. */
  static ResolvedSpec.Growth withLagDefaults(ResolvedSpec.Growth g, ResolvedSpec.Schedule s) {
    if (g.lag().isEmpty() || g.lag().get().steps() > 0) {
      return g;
    }
    long stage2 = s.stages().numStages() > 1 ? s.stages().steps(2) : s.totalSteps();
    long steps = Math.max(1, Math.round(stage2 * SpecDefaults.LAG_STEPS_FRACTION));
    ResolvedSpec.Lag lag = g.lag().get();
    return new ResolvedSpec.Growth(
        g.operator(),
        g.blockSize(),
        g.optimizerState(),
        g.map(),
        Optional.of(
            new ResolvedSpec.Lag(lag.candidates(), steps, lag.maxParallel(), lag.timeoutSeconds())),
        g.midasTie());
  }
}
