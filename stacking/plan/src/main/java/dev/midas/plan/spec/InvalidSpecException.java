package dev.midas.plan.spec;

import java.util.List;

/**
 * An experiment spec that cannot run, with every problem found, each in the user's terms
 * ("model.targetLayers 10 is not a multiple of growth.blockSize 4"). The stage runner maps it to
 * exit code 2 and the operator to an InvalidSpec condition; neither retries.
 */
public class InvalidSpecException extends RuntimeException {
  private final List<String> violations;

  public InvalidSpecException(List<String> violations) {
    super(render(violations));
    this.violations = List.copyOf(violations);
  }

  public InvalidSpecException(String violation) {
    this(List.of(violation));
  }

  /** Each problem on its own, for conditions and events. */
  public List<String> violations() {
    return violations;
  }

  private static String render(List<String> violations) {
    if (violations.size() == 1) {
      return "invalid experiment spec: " + violations.get(0);
    }
    StringBuilder b =
        new StringBuilder("invalid experiment spec (" + violations.size() + " problems):");
    violations.forEach(v -> b.append("\n  - ").append(v));
    return b.toString();
  }
}
