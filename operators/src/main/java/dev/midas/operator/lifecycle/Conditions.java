package dev.midas.operator.lifecycle;

import dev.midas.operator.events.ConditionReason;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.List;

/**
 * The condition types the operator writes, and the one way to set them: a condition keeps its
 * transition time while its status does not change.
 */
public final class Conditions {
  /** True while the spec cannot run; the reason is always InvalidSpec. */
  public static final String INVALID_SPEC = "InvalidSpec";

  /** True once the experiment failed for good (reason: the failure class). */
  public static final String FAILED = "Failed";

  /** True while spec.suspend holds the experiment. */
  public static final String SUSPENDED = "Suspended";

  private Conditions() {}

  public static void set(
      List<Condition> conditions,
      String type,
      boolean status,
      ConditionReason reason,
      String message,
      Long generation,
      Instant now) {
    String value = status ? "True" : "False";
    for (int i = 0; i < conditions.size(); i++) {
      Condition c = conditions.get(i);
      if (type.equals(c.getType())) {
        String since = value.equals(c.getStatus()) ? c.getLastTransitionTime() : now.toString();
        conditions.set(i, build(type, value, reason.name(), message, generation, since));
        return;
      }
    }
    conditions.add(build(type, value, reason.name(), message, generation, now.toString()));
  }

  /** Sets {@code type} to False if it is present; absent conditions stay absent. */
  public static void clear(
      List<Condition> conditions,
      String type,
      ConditionReason reason,
      Long generation,
      Instant now) {
    if (conditions.stream().anyMatch(c -> type.equals(c.getType()))) {
      set(conditions, type, false, reason, "", generation, now);
    }
  }

  public static boolean isTrue(List<Condition> conditions, String type) {
    return conditions.stream()
        .anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static Condition build(
      String type, String value, String reason, String message, Long generation, String since) {
    return new ConditionBuilder()
        .withType(type)
        .withStatus(value)
        .withReason(reason)
        .withMessage(message)
        .withObservedGeneration(generation)
        .withLastTransitionTime(since)
        .build();
  }
}
