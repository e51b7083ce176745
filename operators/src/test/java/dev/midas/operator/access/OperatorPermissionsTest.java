package dev.midas.operator.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midas.operator.access.OperatorPermissions.Permission;
import dev.midas.operator.access.OperatorPermissions.Scope;
import dev.midas.operator.api.StackingExperiment;
import dev.midas.operator.api.StackingSweep;
import dev.midas.operator.api.SweepAxes;
import dev.midas.operator.api.SweepSpec;
import dev.midas.operator.kubectl.Kustomize;
import dev.midas.operator.testing.FakeRunnerCluster;
import dev.midas.operator.testing.OperatorHarness;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Least privilege, checked both ways: {@code kubectl kustomize} of every install (k8s/, k8s/dev,
 * k8s/namespaced) grants the operator's service account exactly {@link OperatorPermissions#NEEDED},
 * each where it belongs (cluster-wide, or only in the watched namespaces; Secrets only where
 * experiments bring their own store; the Lease in midas-system), and every request a running
 * operator makes (an experiment suspended and resumed, a sweep, leader election) is one of them.
 */
class OperatorPermissionsTest {
  private static final Path K8S = Path.of("..", "k8s");
  private static final String EXPERIMENTS = "midas-experiments";
  private static final String SYSTEM = "midas-system";

  @RegisterExtension
  static final FakeRunnerCluster CLUSTER =
      new FakeRunnerCluster(
          Map.of("FAKE_STEP_MILLIS", "20"),
          b ->
              b.leaseNamespace(Optional.of(SYSTEM))
                  .identity("only")
                  .leaseDuration(Duration.ofSeconds(3))
                  .exitOnLostLease(false));

  /** A permission and where it holds: {@code *} cluster-wide, else a namespace. */
  record Grant(String group, String resource, String verb, String where) {
    @Override
    public String toString() {
      return (group.isEmpty() ? "core" : group) + " " + resource + " " + verb + " @" + where;
    }
  }

  @Test
  void everyInstallGrantsExactlyWhatTheOperatorNeedsWhereItNeedsIt() {
    assertThat(granted(Kustomize.render(K8S))).isEqualTo(expected("*"));
    assertThat(granted(Kustomize.render(K8S.resolve("dev")))).isEqualTo(expected("*"));
    assertThat(granted(Kustomize.render(K8S.resolve("namespaced"))))
        .isEqualTo(expected(EXPERIMENTS));
  }

  @Test
  void everyRequestOfARunningOperatorIsAPermissionItNeeds() {
    OperatorHarness cluster = CLUSTER.get();
    StackingExperiment exp =
        OperatorHarness.experiment("/experiments/three-stage.yaml", EXPERIMENTS, "permissions");
    exp.getSpec().schedule.totalSteps = 400L;
    cluster.create(exp);
    cluster.awaitExperiment(
        EXPERIMENTS,
        "permissions",
        Duration.ofSeconds(30),
        e -> "Running".equals(e.getStatus().phase) && e.getStatus().stages.get(1).attempts == 1);
    setSuspend(cluster, true);
    cluster.awaitPhase(EXPERIMENTS, "permissions", "Suspended", Duration.ofSeconds(30));
    setSuspend(cluster, false);
    cluster.create(sweep());
    cluster.awaitPhase(EXPERIMENTS, "permissions", "Succeeded", Duration.ofSeconds(60));
    dev.midas.operator.testing.Await.until(
        Duration.ofSeconds(60),
        () -> {
          StackingSweep s =
              cluster
                  .client()
                  .resources(StackingSweep.class)
                  .inNamespace(EXPERIMENTS)
                  .withName("grid")
                  .get();
          return s.getStatus() != null && "Succeeded".equals(s.getStatus().phase);
        },
        () -> "sweep not done");

    Set<Permission> used = new HashSet<>();
    for (String request : cluster.api().operatorRequests()) {
      Optional<Permission> p = permissionOf(request);
      p.ifPresent(used::add);
    }
    Set<String> needed = new TreeSet<>();
    OperatorPermissions.NEEDED.forEach(p -> needed.add(key(p)));
    Set<String> usedKeys = new TreeSet<>();
    used.forEach(p -> usedKeys.add(key(p)));
    assertThat(needed).containsAll(usedKeys);
    assertThat(usedKeys)
        .as("the requests were recorded")
        .contains(
            "batch jobs create",
            "batch jobs delete",
            "midas.dev stackingexperiments/status update",
            "midas.dev stackingexperiments create",
            "coordination.k8s.io leases patch");
  }

  private static Set<Grant> expected(String watched) {
    Set<Grant> out = new HashSet<>();
    for (Permission p : OperatorPermissions.NEEDED) {
      String where =
          switch (p.scope()) {
            case WATCHED -> watched;
            case OWN_STORES -> EXPERIMENTS;
            case OPERATOR -> SYSTEM;
          };
      out.add(new Grant(p.group(), p.resource(), p.verb(), where));
    }
    return out;
  }

  /** What the bindings in {@code all} grant the operator's service account, and where. */
  private static Set<Grant> granted(List<HasMetadata> all) {
    Set<Grant> out = new HashSet<>();
    for (HasMetadata o : all) {
      if (o instanceof ClusterRoleBinding b && isOperator(b.getSubjects())) {
        rules(all, b.getRoleRef(), null).forEach(r -> expand(r, "*", out));
      } else if (o instanceof RoleBinding b && isOperator(b.getSubjects())) {
        rules(all, b.getRoleRef(), b.getMetadata().getNamespace())
            .forEach(r -> expand(r, b.getMetadata().getNamespace(), out));
      }
    }
    return out;
  }

  private static boolean isOperator(List<Subject> subjects) {
    return subjects.stream()
        .anyMatch(
            s ->
                "ServiceAccount".equals(s.getKind())
                    && "midas-operator".equals(s.getName())
                    && SYSTEM.equals(s.getNamespace()));
  }

  private static List<PolicyRule> rules(List<HasMetadata> all, RoleRef ref, String ns) {
    for (HasMetadata o : all) {
      if ("ClusterRole".equals(ref.getKind())
          && o instanceof ClusterRole r
          && r.getMetadata().getName().equals(ref.getName())) {
        return r.getRules();
      }
      if ("Role".equals(ref.getKind())
          && o instanceof Role r
          && r.getMetadata().getName().equals(ref.getName())
          && r.getMetadata().getNamespace().equals(ns)) {
        return r.getRules();
      }
    }
    throw new AssertionError("no " + ref.getKind() + " " + ref.getName() + " rendered");
  }

  private static void expand(PolicyRule r, String where, Set<Grant> out) {
    assertThat(r.getVerbs()).doesNotContain("*");
    assertThat(r.getResources()).doesNotContain("*");
    assertThat(r.getApiGroups()).doesNotContain("*");
    for (String g : r.getApiGroups()) {
      for (String res : r.getResources()) {
        for (String v : r.getVerbs()) {
          out.add(new Grant(g, res, v, where));
        }
      }
    }
  }

  /**
   * The permission an API request needs; empty for discovery, other non-resource paths and what
   * every authenticated user may do.
   */
  static Optional<Permission> permissionOf(String request) {
    String method = request.substring(0, request.indexOf(' '));
    String target = request.substring(request.indexOf(' ') + 1);
    String path = target.contains("?") ? target.substring(0, target.indexOf('?')) : target;
    String query = target.contains("?") ? target.substring(target.indexOf('?') + 1) : "";
    String[] p = path.replaceAll("^/+", "").split("/");
    String group;
    int rest;
    if (p[0].equals("api") && p.length > 2) {
      group = "";
      rest = 2;
    } else if (p[0].equals("apis") && p.length > 3) {
      group = p[1];
      rest = 3;
    } else {
      return Optional.empty();
    }
    List<String> r = List.of(p).subList(rest, p.length);
    if (r.size() >= 2 && r.get(0).equals("namespaces") && r.size() > 2) {
      r = r.subList(2, r.size());
    }
    String resource = r.get(0) + (r.size() > 2 ? "/" + r.get(2) : "");
    if (group.equals("authorization.k8s.io") && resource.startsWith("selfsubject")) {
      // What the caller itself may do (JOSDK asks before leader election): every authenticated
      // user may ask, through Kubernetes' default system:basic-user role.
      return Optional.empty();
    }
    boolean named = r.size() > 1;
    String verb =
        switch (method) {
          case "GET" -> named ? "get" : query.contains("watch=true") ? "watch" : "list";
          case "POST" -> "create";
          case "PUT" -> "update";
          case "PATCH" -> "patch";
          case "DELETE" -> named ? "delete" : "deletecollection";
          default -> method.toLowerCase(java.util.Locale.ROOT);
        };
    return Optional.of(new Permission(group, resource, verb, Scope.WATCHED));
  }

  private static String key(Permission p) {
    return (p.group().isEmpty() ? "core" : p.group()) + " " + p.resource() + " " + p.verb();
  }

  private static void setSuspend(OperatorHarness cluster, boolean suspend) {
    cluster
        .client()
        .resources(StackingExperiment.class)
        .inNamespace(EXPERIMENTS)
        .withName("permissions")
        .edit(
            e -> {
              e.getSpec().suspend = suspend;
              return e;
            });
  }

  private static StackingSweep sweep() {
    StackingSweep s = new StackingSweep();
    s.getMetadata().setName("grid");
    s.getMetadata().setNamespace(EXPERIMENTS);
    SweepSpec spec = new SweepSpec();
    spec.template =
        OperatorHarness.experiment("/experiments/three-stage.yaml", EXPERIMENTS, "t").getSpec();
    spec.axes = new SweepAxes();
    spec.axes.seed = List.of(1L, 2L);
    spec.maxParallel = 2;
    s.setSpec(spec);
    return s;
  }
}
