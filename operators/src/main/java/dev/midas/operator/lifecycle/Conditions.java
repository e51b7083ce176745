package dev.midas.operator.lifecycle;

import dev.midas.operator.events.ConditionReason;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The condition types the operator writes, and the one way to set them: a condition keeps its
 * transition time while its status does not change.
 */
public final class Conditions {
  /** True while the spec cannot run; the reason is always InvalidSpec. */
  public static final String INVALID_SPEC = "InvalidSpec";

  /** True once every stage has committed; derived from the stages. */
  public static final String SUCCEEDED = "Succeeded";

  /**
   * True while the experiment is Running with nothing wrong, or Succeeded; False with the reason
   * otherwise (Pending, Queued, Suspended, Stalled's reason, StoreUnreachable, a failure). Derived.
   */
  public static final String READY = "Ready";

  /** True once the experiment failed for good (reason: the failure class). */
  public static final String FAILED = "Failed";

  /** True while spec.suspend holds the experiment (every stage stopped); derived. */
  public static final String SUSPENDED = "Suspended";

  /**
   * True while the running stage makes no progress: its pod has not started within the pending
   * timeout (reason: Kubernetes' own, e.g. Unschedulable, ImagePullBackOff,
   * CreateContainerConfigError) or its heartbeat is older than the heartbeat timeout
   * (HeartbeatStale). The Job is left alone: the cause may go away (a node, a Secret).
   */
  public static final String STALLED = "Stalled";

  /**
   * True while the spec differs from the one the run was frozen with (anything but spec.suspend and
   * spec.restartNonce was edited): the run goes on with the frozen spec.
   */
  public static final String SPEC_EDIT_REJECTED = "SpecEditRejected";

  /**
   * True while the run's object store cannot be read: unreachable or refusing (StoreUnreachable,
   * reconciles retry with backoff), or its Secret forbidden to the operator
   * (StoreCredentialsForbidden, asked again after the credentials TTL, no retries).
   */
  public static final String STORAGE_UNAVAILABLE = "StorageUnavailable";

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

  public static Optional<Condition> get(List<Condition> conditions, String type) {
    return conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
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
