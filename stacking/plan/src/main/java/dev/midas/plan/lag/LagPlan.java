package dev.midas.plan.lag;

import dev.midas.plan.growth.MidasBlock;
import dev.midas.plan.spec.AllowedValues;
import dev.midas.plan.spec.ExperimentSpec;
import dev.midas.plan.spec.ResolvedSpec;
import dev.midas.plan.spec.SpecLoader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * LAG at a growth point (Karp et al. 2024), the rule the operator and the local runner share: which
 * candidates to try, how each is run (the experiment with that growth operator, in a run folder of
 * its own, for the lag's steps from the previous stage's final checkpoint), and which one wins (the
 * lowest loss on the held-out selection windows, never the reported validation windows).
 */
public final class LagPlan {
  /** In {@code growth.lag.candidates}: one candidate per block j, {@code duplicate-j}. */
  public static final String DUPLICATE = "duplicate";

  /** A candidate that copies block j (1-based) next to itself: {@code duplicate-3}. */
  public static final String DUPLICATE_PREFIX = "duplicate-";

  private LagPlan() {}

  /** Whether the growth into {@code stage} is chosen by LAG before the stage starts. */
  public static boolean applies(ResolvedSpec spec, int stage) {
    return stage > 1 && spec.growth().lag().isPresent();
  }

  /**
   * The candidates at the growth into {@code stage}, in the spec's order: {@code duplicate} expands
   * to {@code duplicate-1 .. duplicate-n} for the n blocks of the model being grown, and a
   * candidate that would duplicate the same block as an earlier one (midas, gradstack and
   * duplicate-j can coincide) is left out, since it grows the same model.
   */
  public static List<String> candidates(ResolvedSpec spec, int stage) {
    int n = spec.layersAt(stage - 1) / spec.growth().blockSize();
    List<String> out = new ArrayList<>();
    Set<Integer> duplicated = new HashSet<>();
    for (String c : spec.growth().lag().orElseThrow().candidates()) {
      List<String> expanded = new ArrayList<>();
      if (DUPLICATE.equals(c)) {
        for (int j = 1; j <= n; j++) {
          expanded.add(DUPLICATE_PREFIX + j);
        }
      } else {
        expanded.add(c);
      }
      for (String e : expanded) {
        int block = duplicatedBlock(e, n, spec.growth().midasTie());
        if (block > n) {
          continue; // duplicate-j of a block the model does not have yet
        }
        if (block < 0 || duplicated.add(block)) {
          if (!out.contains(e)) {
            out.add(e);
          }
        }
      }
    }
    return out;
  }

  /** The block (1-based) a candidate copies unchanged, or -1 for random and zero. */
  static int duplicatedBlock(String candidate, int n, String tie) {
    if (AllowedValues.MIDAS.equals(candidate)) {
      return MidasBlock.of(n, tie);
    }
    if (AllowedValues.GRADSTACK.equals(candidate)) {
      return n;
    }
    return duplicateBlock(candidate).orElse(-1);
  }

  /** The j of {@code duplicate-j}, if {@code operator} is one. */
  public static OptionalInt duplicateBlock(String operator) {
    if (operator == null || !operator.matches(DUPLICATE_PREFIX + "[1-9][0-9]{0,3}")) {
      return OptionalInt.empty();
    }
    return OptionalInt.of(Integer.parseInt(operator.substring(DUPLICATE_PREFIX.length())));
  }

  /**
   * What a candidate's run folder's uid ends with: {@code -lag02-midas}. The operator shortens long
   * uids to fit Kubernetes names; the local runner appends it as it is.
   */
  public static String probeSuffix(int stage, String candidate) {
    return String.format(Locale.ROOT, "-lag%02d-%s", stage, candidate);
  }

  /** The experiment a candidate runs: the frozen spec with its growth operator, without LAG. */
  public static ExperimentSpec probeSpec(ExperimentSpec frozen, String candidate) {
    ExperimentSpec copy = SpecLoader.parse(SpecLoader.toJson(frozen), "LAG candidate").spec();
    copy.growth.operator = candidate;
    copy.growth.lag = null;
    return copy;
  }

  /**
   * The winner: the lowest selection loss among the candidates that reported one (ties go to the
   * earlier candidate); empty when none did.
   */
  public static Optional<String> choose(List<String> candidates, Map<String, Double> selection) {
    String best = null;
    for (String c : candidates) {
      Double loss = selection.get(c);
      if (loss != null && Double.isFinite(loss) && (best == null || loss < selection.get(best))) {
        best = c;
      }
    }
    return Optional.ofNullable(best);
  }
}
