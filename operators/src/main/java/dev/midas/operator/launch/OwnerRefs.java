package dev.midas.operator.launch;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.List;

/**
 * The owner reference the operator puts on everything it creates: deleting the owner lets
 * Kubernetes' garbage collector delete Jobs, ConfigMaps and child experiments (never artifacts).
 */
public final class OwnerRefs {
  private OwnerRefs() {}

  public static OwnerReference controlledBy(HasMetadata owner) {
    return new OwnerReferenceBuilder()
        .withApiVersion(owner.getApiVersion())
        .withKind(owner.getKind())
        .withName(owner.getMetadata().getName())
        .withUid(owner.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }

  /** Whether {@code obj}'s controller is {@code owner} itself (same uid, not just same name). */
  public static boolean isControlledBy(HasMetadata obj, HasMetadata owner) {
    List<OwnerReference> refs = obj.getMetadata().getOwnerReferences();
    return refs != null
        && refs.stream()
            .anyMatch(
                r ->
                    Boolean.TRUE.equals(r.getController())
                        && owner.getMetadata().getUid().equals(r.getUid()));
  }

  /**
   * The object of that name belongs to someone else: a predecessor of the same name whose objects
   * the garbage collector has not deleted yet, or something not made by the operator. It is never
   * adopted; the reconcile is retried with backoff until the name is free.
   */
  public static ForeignObjectException notOurs(HasMetadata found, HasMetadata owner) {
    String controller =
        found.getMetadata().getOwnerReferences() == null
            ? "nothing"
            : found.getMetadata().getOwnerReferences().stream()
                .filter(r -> Boolean.TRUE.equals(r.getController()))
                .map(r -> r.getKind() + " " + r.getName() + " (uid " + r.getUid() + ")")
                .findFirst()
                .orElse("nothing");
    return new ForeignObjectException(
        found.getKind()
            + " "
            + found.getMetadata().getName()
            + " already exists, controlled by "
            + controller
            + ", not by "
            + owner.getKind()
            + " "
            + owner.getMetadata().getName()
            + " (uid "
            + owner.getMetadata().getUid()
            + "); it is not adopted. If a resource of the same name was deleted, its objects are"
            + " still being garbage-collected; otherwise delete or rename the object");
  }
}
