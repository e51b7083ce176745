package dev.midas.plan.spec;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects every problem of a spec while defaults are applied, so the user sees them all at once.
 * Each check returns a usable value (the default, or a placeholder) even when it records a problem,
 * so later checks can still run.
 */
final class Violations {
  private final List<String> problems = new ArrayList<>();

  void add(String problem) {
    problems.add(problem);
  }

  boolean isEmpty() {
    return problems.isEmpty();
  }

  void throwIfAny() {
    if (!problems.isEmpty()) {
      throw new InvalidSpecException(problems);
    }
  }

  /** A required positive int; 1 as a placeholder when missing or wrong. */
  int requiredPositive(String path, Integer value) {
    if (value == null) {
      add(path + " is required");
      return 1;
    }
    return positive(path, value, 1);
  }

  int positive(String path, Integer value, int dflt) {
    return (int) positive(path, value == null ? null : value.longValue(), dflt);
  }

  /** A required int in {@code [1, max]}; 1 as a placeholder when missing or wrong. */
  int requiredPositive(String path, Integer value, int max) {
    if (value == null) {
      add(path + " is required");
      return 1;
    }
    return positive(path, value, 1, max);
  }

  /** An int in {@code [1, max]}, {@code dflt} when absent, 1 as a placeholder when wrong. */
  int positive(String path, Integer value, int dflt, int max) {
    return (int) positive(path, value == null ? null : value.longValue(), dflt, max);
  }

  /** A long in {@code [1, max]}, {@code dflt} when absent, 1 as a placeholder when wrong. */
  long positive(String path, Long value, long dflt, long max) {
    long v = positive(path, value, dflt);
    if (value != null && value > max) {
      add(path + " " + value + " must be at most " + max);
      return 1;
    }
    return v;
  }

  /** An int in {@code [0, max]}, {@code dflt} when absent or wrong. */
  int nonNegative(String path, Integer value, int dflt, int max) {
    return (int) nonNegative(path, value == null ? null : value.longValue(), dflt, max);
  }

  /** A long in {@code [0, max]}, {@code dflt} when absent or wrong. */
  long nonNegative(String path, Long value, long dflt, long max) {
    if (value != null && value > max) {
      add(path + " " + value + " must be at most " + max);
      return dflt;
    }
    return nonNegative(path, value, dflt);
  }

  long positive(String path, Long value, long dflt) {
    if (value == null) {
      return dflt;
    }
    if (value <= 0) {
      add(path + " " + value + " must be positive");
      return 1;
    }
    return value;
  }

  int nonNegative(String path, Integer value, int dflt) {
    return (int) nonNegative(path, value == null ? null : value.longValue(), dflt);
  }

  long nonNegative(String path, Long value, long dflt) {
    if (value != null && value < 0) {
      add(path + " " + value + " must not be negative");
      return dflt;
    }
    return value == null ? dflt : value;
  }

  /** A finite double in {@code [min, max]} (or {@code [min, max)} when {@code maxOpen}). */
  double within(String path, Double value, double dflt, double min, double max, boolean maxOpen) {
    if (value == null) {
      return dflt;
    }
    boolean ok = Double.isFinite(value) && value >= min && (maxOpen ? value < max : value <= max);
    if (!ok) {
      String range = "[" + fmt(min) + ", " + fmt(max) + (maxOpen ? ")" : "]");
      add(path + " " + value + " must be in " + range);
      return dflt;
    }
    return value;
  }

  double positive(String path, Double value, double dflt) {
    if (value == null) {
      return dflt;
    }
    if (!Double.isFinite(value) || value <= 0) {
      add(path + " " + value + " must be a positive number");
      return dflt;
    }
    return value;
  }

  /** One of a closed list of words, named in the message when it is not. */
  String oneOf(String path, String value, List<String> allowed, String dflt) {
    if (value == null) {
      return dflt;
    }
    if (!allowed.contains(value)) {
      add(path + " '" + value + "' is not one of " + allowed);
      return dflt;
    }
    return value;
  }

  private static String fmt(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
  }
}
