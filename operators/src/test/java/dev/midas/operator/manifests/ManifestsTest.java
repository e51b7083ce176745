package dev.midas.operator.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midas.operator.api.StackingExperiment;
import dev.midas.operator.api.StackingSweep;
import dev.midas.operator.sweep.SweepChild;
import dev.midas.operator.sweep.SweepPlanner;
import dev.midas.plan.spec.SpecValidator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What k8s/ ships: examples that pass validation, least-privilege RBAC, a locked-down Deployment.
 */
class ManifestsTest {
  private static final Path K8S = Path.of("..", "k8s");

  @Test
  void exampleExperimentIsValid() throws IOException {
    StackingExperiment e =
        Serialization.unmarshal(
            Files.readString(K8S.resolve("examples/experiment.yaml")), StackingExperiment.class);
    var spec = SpecValidator.resolve(e.getMetadata().getName(), e.getSpec());
    assertThat(spec.numStages()).isEqualTo(3);
    assertThat(spec.storage().secretRef()).contains("midas-store-credentials");
  }

  @Test
  void exampleSweepExpandsIntoFourValidChildren() throws IOException {
    StackingSweep s =
        Serialization.unmarshal(
            Files.readString(K8S.resolve("examples/sweep.yaml")), StackingSweep.class);
    List<SweepChild> children = SweepPlanner.plan(s.getMetadata().getName(), s.getSpec());
    assertThat(children).hasSize(4);
    children.forEach(c -> SpecValidator.resolve(c.name(), c.spec()));
    assertThat(children).filteredOn(c -> c.sharesStagesWith().isPresent()).hasSize(2);
  }

  @Test
  void workloadServiceAccountHasNoApiAccess() throws IOException {
    List<HasMetadata> all = all();
    assertThat(all)
        .filteredOn(ServiceAccount.class::isInstance)
        .map(ServiceAccount.class::cast)
        .filteredOn(sa -> sa.getMetadata().getName().equals("midas-workload"))
        .singleElement()
        .satisfies(sa -> assertThat(sa.getAutomountServiceAccountToken()).isFalse());
    for (HasMetadata m : all) {
      if (m instanceof RoleBinding rb) {
        assertThat(rb.getSubjects()).noneMatch(s -> "midas-workload".equals(s.getName()));
      }
      if (m instanceof ClusterRoleBinding crb) {
        assertThat(crb.getSubjects()).noneMatch(s -> "midas-workload".equals(s.getName()));
      }
    }
  }

  @Test
  void operatorRoleNamesEveryResourceAndVerbExplicitly() throws IOException {
    ClusterRole role =
        all().stream()
            .filter(ClusterRole.class::isInstance)
            .map(ClusterRole.class::cast)
            .findFirst()
            .orElseThrow();
    assertThat(role.getRules())
        .allSatisfy(
            r -> {
              assertThat(r.getVerbs()).doesNotContain("*");
              assertThat(r.getResources()).doesNotContain("*");
              assertThat(r.getApiGroups()).doesNotContain("*");
            });
    assertThat(role.getRules())
        .filteredOn(r -> r.getResources().contains("secrets"))
        .singleElement()
        .satisfies(r -> assertThat(r.getVerbs()).containsExactly("get"));
  }

  @Test
  void operatorRunsNonRootOnAReadOnlyRootWithProbes() throws IOException {
    Deployment d =
        all().stream()
            .filter(Deployment.class::isInstance)
            .map(Deployment.class::cast)
            .filter(x -> x.getMetadata().getName().equals("midas-operator"))
            .findFirst()
            .orElseThrow();
    var pod = d.getSpec().getTemplate().getSpec();
    var c = pod.getContainers().get(0);
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
  }

  private static List<HasMetadata> all() throws IOException {
    List<HasMetadata> out = new ArrayList<>();
    try (Stream<Path> files = Files.walk(K8S)) {
      for (Path f :
          files
              .filter(
                  p ->
                      p.toString().endsWith(".yaml")
                          && !p.toString().contains("flink")
                          && !p.getFileName().toString().equals("kustomization.yaml")
                          && !p.startsWith(K8S.resolve("examples/experiment.yaml"))
                          && !p.startsWith(K8S.resolve("examples/sweep.yaml")))
              .toList()) {
        Object o = Serialization.unmarshal(Files.readString(f));
        if (o instanceof KubernetesList l) {
          out.addAll(l.getItems());
        } else if (o instanceof List<?> l) {
          l.forEach(x -> out.add((HasMetadata) x));
        } else {
          out.add((HasMetadata) o);
        }
      }
    }
    return out;
  }
}
