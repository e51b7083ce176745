package dev.midas.operator.validation;

import dev.midas.operator.config.OperatorConfig;
import dev.midas.plan.spec.ResolvedSpec;
import java.util.List;
import java.util.Map;

/**
 * What an experiment may ask of the cluster beyond its own namespace's quota, as the operator's
 * administrator allows it: images ({@code MIDAS_ALLOWED_IMAGES}), priority classes ({@code
 * MIDAS_ALLOWED_PRIORITY_CLASSES}) and node selectors ({@code MIDAS_ALLOWED_NODE_SELECTORS}). By
 * default an experiment may only run the operator's own stage image, with no priority class and no
 * node selector; anything else is refused before a Job exists, naming the field and what is
 * allowed.
 */
final class AllowList {
  private AllowList() {}

  static void check(OperatorConfig config, ResolvedSpec.Resources res, List<String> problems) {
    res.image()
        .filter(i -> !i.equals(config.stageImage()) && !matches(config.allowedImages(), i))
        .ifPresent(
            i ->
                problems.add(
                    "resources.image '"
                        + i
                        + "' is not allowed here (MIDAS_ALLOWED_IMAGES: "
                        + listed(config.allowedImages())
                        + "); leave it out to run "
                        + config.stageImage()
                        + ", or ask the operator's administrator"));
    res.priorityClassName()
        .filter(p -> !config.allowedPriorityClasses().contains(p))
        .ifPresent(
            p ->
                problems.add(
                    "resources.priorityClassName '"
                        + p
                        + "' is not allowed here (MIDAS_ALLOWED_PRIORITY_CLASSES: "
                        + listed(config.allowedPriorityClasses())
                        + ")"));
    for (Map.Entry<String, String> e : res.nodeSelector().entrySet()) {
      List<String> allowed = config.allowedNodeSelectors();
      if (!allowed.contains("*")
          && !allowed.contains(e.getKey())
          && !allowed.contains(e.getKey() + "=" + e.getValue())) {
        problems.add(
            "resources.nodeSelector "
                + e.getKey()
                + "="
                + e.getValue()
                + " is not allowed here (MIDAS_ALLOWED_NODE_SELECTORS: "
                + listed(allowed)
                + ")");
      }
    }
  }

  private static boolean matches(List<String> patterns, String value) {
    for (String p : patterns) {
      if (p.endsWith("*") ? value.startsWith(p.substring(0, p.length() - 1)) : p.equals(value)) {
        return true;
      }
    }
    return false;
  }

  private static String listed(List<String> allowed) {
    return allowed.isEmpty() ? "none" : String.join(", ", allowed);
  }
}
