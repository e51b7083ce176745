package dev.midas.operator.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midas.operator.api.StackingExperiment;
import dev.midas.operator.api.StackingSweep;
import dev.midas.operator.config.OperatorConfig;
import dev.midas.operator.config.Version;
import dev.midas.operator.kubectl.Kustomize;
import dev.midas.operator.launch.StageJobFactory;
import dev.midas.operator.launch.StageRun;
import dev.midas.operator.store.StoreCredentialsForbiddenException;
import dev.midas.operator.sweep.SweepChild;
import dev.midas.operator.sweep.SweepPlanner;
import dev.midas.operator.testing.OperatorHarness;
import dev.midas.operator.validation.ExperimentValidator;
import dev.midas.plan.spec.SpecValidator;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What k8s/ installs, rendered with {@code kubectl kustomize} as {@code kubectl apply -k} renders
 * it: examples that pass validation; a default install without the development store or example
 * credentials; restricted Pod Security where experiments run, and stage pods that meet it; stage
 * pods that reach only DNS and the store; images pinned to the project version; a ServiceMonitor
 * example that finds the metrics port; a locked-down Deployment of two replicas; no cluster-wide
 * grant on Secrets anywhere. The rest of RBAC is {@code OperatorPermissionsTest}'s.
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
  void exampleExperimentPassesTheShippedOperatorsOwnChecks() throws IOException {
    Map<String, String> env = new java.util.HashMap<>();
    operator(Kustomize.render(K8S.resolve("dev")))
        .getSpec()
        .getTemplate()
        .getSpec()
        .getContainers()
        .get(0)
        .getEnv()
        .stream()
        .filter(e -> e.getValue() != null)
        .forEach(e -> env.put(e.getName(), e.getValue()));
    OperatorConfig shipped = OperatorConfig.fromEnv(env);
    StackingExperiment e =
        Serialization.unmarshal(
            Files.readString(K8S.resolve("examples/experiment.yaml")), StackingExperiment.class);

    var valid = new ExperimentValidator(shipped).validate(e);

    assertThat(valid.root()).isEqualTo("s3://midas/");
    assertThat(shipped.allowedNodeSelectors()).contains("nvidia.com/gpu.present");
    assertThat(shipped.stageImage()).isEqualTo(OperatorConfig.DEFAULT_STAGE_IMAGE);
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
  void defaultInstallHasNoDevelopmentStoreNorExampleCredentials() {
    List<HasMetadata> base = Kustomize.render(K8S);
    assertThat(base).noneMatch(Secret.class::isInstance);
    assertThat(base).noneMatch(o -> o.getMetadata().getName().equals("midas-store"));
    assertThat(env(operator(base), "MIDAS_DEFAULT_STORAGE_ROOT")).isEmpty();

    List<HasMetadata> dev = Kustomize.render(K8S.resolve("dev"));
    assertThat(dev).filteredOn(Secret.class::isInstance).hasSize(3);
    assertThat(dev).anyMatch(o -> o.getMetadata().getName().equals("midas-store"));
    assertThat(env(operator(dev), "MIDAS_DEFAULT_STORAGE_ROOT")).isEqualTo("s3://midas/");
    assertThat(env(operator(dev), "MIDAS_DEFAULT_STORAGE_ENDPOINT"))
        .isEqualTo("http://midas-store.midas-system:9000");
  }

  @Test
  void experimentsRunUnderRestrictedPodSecurityAndStagePodsMeetIt() {
    List<HasMetadata> base = Kustomize.render(K8S);
    for (String ns : List.of("midas-experiments", "midas-system")) {
      Namespace n = one(base, Namespace.class, o -> o.getMetadata().getName().equals(ns));
      assertThat(n.getMetadata().getLabels())
          .containsEntry("pod-security.kubernetes.io/enforce", "restricted");
    }
    PodSpec pod = stagePod();
    Container c = pod.getContainers().get(0);
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
  }

  @Test
  void stagePodsReachOnlyDnsAndTheStore() {
    NetworkPolicy base = one(Kustomize.render(K8S), NetworkPolicy.class, o -> true);
    assertThat(base.getSpec().getPodSelector().getMatchLabels())
        .isEqualTo(Map.of("app.kubernetes.io/name", "midas-stage"));
    assertThat(stagePodLabels())
        .as("stage pods carry the labels the policy selects")
        .containsAllEntriesOf(base.getSpec().getPodSelector().getMatchLabels());
    assertThat(base.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
    assertThat(base.getSpec().getIngress()).isEmpty();
    assertThat(ports(base)).containsExactlyInAnyOrder(53, 53, 443);
    NetworkPolicy dev = one(Kustomize.render(K8S.resolve("dev")), NetworkPolicy.class, o -> true);
    assertThat(ports(dev)).containsExactlyInAnyOrder(53, 53, 443, 9000);
  }

  @Test
  void imagesArePinnedToTheProjectVersion() throws IOException {
    String version = projectVersion();
    assertThat(Version.PROJECT).isEqualTo(version);
    for (Path dir : List.of(K8S, K8S.resolve("dev"), K8S.resolve("namespaced"))) {
      String rendered = Serialization.asYaml(Kustomize.render(dir));
      assertThat(rendered).doesNotContain(":latest");
      Deployment d = operator(Kustomize.render(dir));
      assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
          .endsWith("/midas-operator:" + version);
      assertThat(env(d, "MIDAS_STAGE_IMAGE")).endsWith("/midas-stage-runner:" + version + "-cuda");
    }
    assertThat(OperatorConfig.DEFAULT_STAGE_IMAGE).endsWith(":" + version + "-cuda");
  }

  @Test
  void workloadServiceAccountHasNoApiAccess() {
    List<HasMetadata> all = Kustomize.render(K8S);
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

  /**
   * No rendering of k8s/ (the install, every overlay, every part) has a ClusterRoleBinding that
   * grants any verb on Secrets: the operator reads an experiment's store Secret only where a
   * RoleBinding lets it, which the installs create in the experiments namespace, bound to exactly
   * the role, service account and name that the operator's refusal message tells an admin to use.
   */
  @Test
  void noClusterRoleBindingGrantsSecretsAndTheExperimentsNamespaceBindsTheSecretsRole()
      throws IOException {
    List<Path> kustomizations;
    try (var files = Files.walk(K8S)) {
      kustomizations =
          files.filter(f -> f.getFileName().toString().equals("kustomization.yaml")).toList();
    }
    assertThat(kustomizations).hasSizeGreaterThanOrEqualTo(7);
    String command =
        StoreCredentialsForbiddenException.command(
            "midas-experiments", OperatorConfig.defaults().serviceAccount());
    for (Path k : kustomizations) {
      List<HasMetadata> all = Kustomize.render(k.getParent());
      for (HasMetadata o : all) {
        if (o instanceof ClusterRoleBinding crb) {
          assertThat(rulesOf(all, crb.getRoleRef().getName()))
              .as("ClusterRoleBinding %s in %s", crb.getMetadata().getName(), k)
              .noneMatch(
                  r ->
                      r.getResources().contains("secrets")
                          || r.getResources().contains("*")
                          || (r.getApiGroups().contains("*")));
        }
      }
      boolean install =
          all.stream().anyMatch(Deployment.class::isInstance)
              && all.stream()
                  .anyMatch(
                      o ->
                          o instanceof Namespace
                              && o.getMetadata().getName().equals("midas-experiments"));
      if (!install) {
        continue;
      }
      RoleBinding secrets =
          one(
              all,
              RoleBinding.class,
              rb ->
                  rb.getRoleRef()
                      .getName()
                      .equals(StoreCredentialsForbiddenException.CLUSTER_ROLE));
      assertThat(secrets.getMetadata().getNamespace()).isEqualTo("midas-experiments");
      assertThat(secrets.getRoleRef().getKind()).isEqualTo("ClusterRole");
      assertThat(secrets.getSubjects())
          .singleElement()
          .satisfies(
              s ->
                  assertThat(
                          "kubectl create rolebinding "
                              + secrets.getMetadata().getName()
                              + " --clusterrole="
                              + secrets.getRoleRef().getName()
                              + " --serviceaccount="
                              + s.getNamespace()
                              + ":"
                              + s.getName()
                              + " -n "
                              + secrets.getMetadata().getNamespace())
                      .as("the command the operator gives makes this very binding")
                      .isEqualTo(command));
      assertThat(rulesOf(all, StoreCredentialsForbiddenException.CLUSTER_ROLE))
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.getResources()).containsExactly("secrets");
                assertThat(r.getVerbs()).containsExactly("get");
              });
    }
  }

  private static List<PolicyRule> rulesOf(List<HasMetadata> all, String clusterRole) {
    return one(all, ClusterRole.class, r -> r.getMetadata().getName().equals(clusterRole))
        .getRules();
  }

  /**
   * The ServiceMonitor example selects the operator's metrics Service in its namespace, and that
   * Service reaches the Deployment's named metrics port, where {@code /metrics} is served.
   */
  @Test
  void serviceMonitorExampleScrapesTheOperatorsMetricsPort() throws IOException {
    GenericKubernetesResource monitor =
        Serialization.unmarshal(
            Files.readString(K8S.resolve("examples/servicemonitor.yaml")),
            GenericKubernetesResource.class);
    List<HasMetadata> base = Kustomize.render(K8S);
    Service svc = one(base, Service.class, o -> o.getMetadata().getName().contains("metrics"));
    Deployment d = operator(base);

    Map<String, Object> spec = monitor.get("spec");
    assertThat(monitor.getKind()).isEqualTo("ServiceMonitor");
    assertThat(monitor.<List<String>>get("spec", "namespaceSelector", "matchNames"))
        .containsExactly(svc.getMetadata().getNamespace());
    assertThat(svc.getMetadata().getLabels())
        .containsAllEntriesOf(monitor.<Map<String, String>>get("spec", "selector", "matchLabels"));
    @SuppressWarnings("unchecked")
    Map<String, Object> endpoint = ((List<Map<String, Object>>) spec.get("endpoints")).get(0);
    assertThat(endpoint).containsEntry("path", "/metrics");
    var port =
        svc.getSpec().getPorts().stream()
            .filter(p -> p.getName().equals(endpoint.get("port")))
            .findFirst()
            .orElseThrow();
    assertThat(d.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(svc.getSpec().getSelector());
    assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getPorts())
        .anyMatch(cp -> cp.getName().equals(port.getTargetPort().getStrVal()));
  }

  @Test
  void operatorRunsTwoNonRootReplicasOnAReadOnlyRootWithProbes() {
    Deployment d = operator(Kustomize.render(K8S));
    var pod = d.getSpec().getTemplate().getSpec();
    var c = pod.getContainers().get(0);
    assertThat(d.getSpec().getReplicas()).isEqualTo(2);
    assertThat(c.getEnv()).anyMatch(e -> e.getName().equals("MIDAS_LEASE_NAMESPACE"));
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
  }

  private static PodSpec stagePod() {
    return stageJob().getSpec().getTemplate().getSpec();
  }

  private static Map<String, String> stagePodLabels() {
    return stageJob().getSpec().getTemplate().getMetadata().getLabels();
  }

  private static Job stageJob() {
    StackingExperiment exp =
        OperatorHarness.experiment("/experiments/three-stage.yaml", "midas-experiments", "x");
    return new StageJobFactory(OperatorConfig.defaults())
        .build(
            exp,
            SpecValidator.resolve("x", exp.getSpec()),
            "s3://b/r",
            new StageRun("x-s01-a1", 1, 1, List.of("--stage", "1"), "x-spec", StageRun.ROLE_STAGE));
  }

  private static List<Integer> ports(NetworkPolicy p) {
    return p.getSpec().getEgress().stream()
        .flatMap(e -> e.getPorts().stream())
        .map(port -> port.getPort().getIntVal())
        .toList();
  }

  private static Deployment operator(List<HasMetadata> all) {
    return one(all, Deployment.class, d -> d.getMetadata().getName().equals("midas-operator"));
  }

  private static String env(Deployment d, String name) {
    return d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
        .filter(e -> e.getName().equals(name))
        .map(e -> e.getValue() == null ? "" : e.getValue())
        .findFirst()
        .orElseThrow();
  }

  private static <T extends HasMetadata> T one(
      List<HasMetadata> all, Class<T> type, Predicate<T> which) {
    return all.stream()
        .filter(type::isInstance)
        .map(type::cast)
        .filter(which)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " rendered"));
  }

  private static String projectVersion() throws IOException {
    Matcher v =
        Pattern.compile("<parent>.*?<version>([^<]+)</version>", Pattern.DOTALL)
            .matcher(Files.readString(Path.of("pom.xml")));
    assertThat(v.find()).isTrue();
    return v.group(1);
  }
}
