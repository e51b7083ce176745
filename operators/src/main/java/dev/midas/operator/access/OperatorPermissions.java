package dev.midas.operator.access;

import java.util.ArrayList;
import java.util.List;

/**
 * Every Kubernetes API permission the operator uses, and why: {@code k8s/operator/rbac.yaml} grants
 * exactly these (OperatorPermissionsTest renders it with {@code kubectl kustomize} and compares,
 * and checks the requests a running operator makes against this list).
 */
public final class OperatorPermissions {
  /** One verb on one resource of one API group ({@code ""} is the core group). */
  public record Permission(String group, String resource, String verb, Scope scope) {}

  /** Where a permission is granted. */
  public enum Scope {
    /** Every watched namespace (cluster-wide, or per namespace with k8s/namespaced). */
    WATCHED,
    /** Only namespaces whose experiments name a store of their own (a RoleBinding there). */
    OWN_STORES,
    /** The operator's own namespace (the leader-election Lease). */
    OPERATOR
  }

  public static final List<Permission> NEEDED = needed();

  private OperatorPermissions() {}

  private static List<Permission> needed() {
    List<Permission> p = new ArrayList<>();
    // Custom resources: informers (list, watch), a sweep sibling's status and the owner check
    // after a conflict (get), sweep children (create).
    add(p, Scope.WATCHED, "midas.dev", "stackingexperiments", "get", "list", "watch", "create");
    add(p, Scope.WATCHED, "midas.dev", "stackingsweeps", "get", "list", "watch");
    // The one status writer, conditional on the resourceVersion it read (PUT).
    add(p, Scope.WATCHED, "midas.dev", "stackingexperiments/status", "update");
    add(p, Scope.WATCHED, "midas.dev", "stackingsweeps/status", "update");
    // Owner references with blockOwnerDeletion (Jobs, ConfigMaps, sweep children): the
    // OwnerReferencesPermissionEnforcement admission plugin asks for update on the owner's
    // finalizers; no request of the operator's goes there itself.
    add(p, Scope.WATCHED, "midas.dev", "stackingexperiments/finalizers", "update");
    add(p, Scope.WATCHED, "midas.dev", "stackingsweeps/finalizers", "update");
    // Stage Jobs: informer, a direct read when the cache has not seen one yet, create, and
    // delete (spec.suspend).
    add(p, Scope.WATCHED, "batch", "jobs", "get", "list", "watch", "create", "delete");
    // The spec ConfigMap stage pods read.
    add(p, Scope.WATCHED, "", "configmaps", "get", "create", "update");
    // Exit codes, termination messages, why a pod does not start.
    add(p, Scope.WATCHED, "", "pods", "list");
    add(p, Scope.WATCHED, "", "events", "create");
    // The Secret an experiment names for a store of its own, read to open that store with it.
    add(p, Scope.OWN_STORES, "", "secrets", "get");
    // Fabric8's leader elector creates and patches the Lease; JOSDK refuses to start the election
    // unless a SelfSubjectRulesReview shows get, create and update.
    add(p, Scope.OPERATOR, "coordination.k8s.io", "leases", "get", "create", "update", "patch");
    return List.copyOf(p);
  }

  private static void add(
      List<Permission> p, Scope scope, String group, String resource, String... verbs) {
    for (String v : verbs) {
      p.add(new Permission(group, resource, v, scope));
    }
  }
}
