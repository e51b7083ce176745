package dev.midas.operator.sweep;

import dev.midas.operator.api.StackingSweep;
import dev.midas.operator.api.SweepAxes;
import dev.midas.operator.api.SweepSpec;
import dev.midas.plan.layout.SafeNames;
import dev.midas.plan.spec.InvalidSpecException;
import dev.midas.plan.spec.SpecValidator;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a sweep before it creates anything: its name (a DNS label, since it labels and names every
 * child), its bounds, the size of its grid, and every child's spec with the child's own name, so
 * that no invalid child is ever created. Each problem says what to change.
 */
final class SweepValidator {
  /** How many children with problems are listed; the rest are counted. */
  private static final int LISTED = 3;

  private SweepValidator() {}

  static List<String> problems(StackingSweep sweep) {
    List<String> out = new ArrayList<>();
    String name = sweep.getMetadata().getName();
    String nameProblem = SafeNames.problem("metadata.name", name);
    if (nameProblem != null) {
      out.add(nameProblem + ": rename the sweep (it labels and names its children)");
    }
    SweepSpec s = sweep.getSpec();
    if (s == null || s.template == null) {
      out.add("spec.template is required");
      return out;
    }
    if (s.maxParallel != null && (s.maxParallel < 1 || s.maxParallel > SweepPlanner.MAX_CHILDREN)) {
      out.add(
          "spec.maxParallel "
              + s.maxParallel
              + " must be in [1, "
              + SweepPlanner.MAX_CHILDREN
              + "]");
    }
    if (s.maxFailed != null && (s.maxFailed < 0 || s.maxFailed > SweepPlanner.MAX_CHILDREN)) {
      out.add(
          "spec.maxFailed " + s.maxFailed + " must be in [0, " + SweepPlanner.MAX_CHILDREN + "]");
    }
    long size = SweepPlanner.size(s);
    if (size > SweepPlanner.MAX_CHILDREN) {
      SweepAxes a = s.axes;
      out.add(
          "spec.axes make "
              + size
              + " children (operator "
              + count(a.operator)
              + " x blockSize "
              + count(a.blockSize)
              + " x alpha "
              + count(a.alpha)
              + " x seed "
              + count(a.seed)
              + "); at most "
              + SweepPlanner.MAX_CHILDREN
              + ": split it into several sweeps");
    }
    if (!out.isEmpty()) {
      return out;
    }
    int bad = 0;
    for (SweepChild c : SweepPlanner.plan(name, s)) {
      try {
        SpecValidator.resolve(c.name(), c.spec());
      } catch (InvalidSpecException e) {
        if (bad++ < LISTED) {
          out.add(
              "child " + c.name() + " (" + c.axes() + "): " + String.join("; ", e.violations()));
        }
      }
    }
    if (bad > LISTED) {
      out.add((bad - LISTED) + " more children with problems");
    }
    return out;
  }

  private static int count(List<?> axis) {
    return axis == null || axis.isEmpty() ? 1 : axis.size();
  }
}
