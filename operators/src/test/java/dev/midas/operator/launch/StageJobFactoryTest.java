package dev.midas.operator.launch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midas.operator.api.StackingExperiment;
import dev.midas.operator.config.OperatorConfig;
import dev.midas.operator.testing.OperatorHarness;
import dev.midas.plan.spec.ResolvedSpec;
import dev.midas.plan.spec.ResourcesSpec;
import dev.midas.plan.spec.SpecValidator;
import dev.midas.plan.spec.StorageSpec;
import dev.midas.plan.spec.TolerationSpec;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Job of a stage carries everything the spec asks for, and never a credential. */
class StageJobFactoryTest {
  private final StageJobFactory factory = new StageJobFactory(OperatorConfig.defaults());

  @Test
  void stageJobRequestsTheGpuAndPlacementAndRunsTheRunnerWithItsArguments() {
    StackingExperiment exp = experiment();
    ResolvedSpec spec = SpecValidator.resolve("three-stage", exp.getSpec());
    Job job =
        factory.build(
            exp,
            spec,
            "s3://bucket/midas",
            new StageRun(
                "three-stage-s02-a3",
                2,
                3,
                List.of("--stage", "2", "--resume", "s3://bucket/midas/runs/x/ckpt/MANIFEST"),
                "three-stage-spec",
                StageRun.ROLE_STAGE));

    PodSpec pod = job.getSpec().getTemplate().getSpec();
    Container c = pod.getContainers().get(0);
    assertThat(job.getMetadata().getName()).isEqualTo("three-stage-s02-a3");
    assertThat(job.getSpec().getBackoffLimit()).isZero();
    assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(3600L);
    assertThat(job.getMetadata().getLabels())
        .containsEntry("kueue.x-k8s.io/queue-name", "gpu-queue")
        .containsEntry("midas.dev/stage", "2")
        .containsEntry("midas.dev/attempt", "3");
    assertThat(c.getImage()).isEqualTo("registry.local/stage:1");
    assertThat(c.getArgs())
        .containsExactly(
            "/etc/midas/experiment.yaml",
            "--root",
            "s3://bucket/midas",
            "--stage",
            "2",
            "--resume",
            "s3://bucket/midas/runs/x/ckpt/MANIFEST");
    assertThat(c.getResources().getLimits()).containsKey("nvidia.com/gpu");
    assertThat(c.getResources().getLimits().get("nvidia.com/gpu").getAmount()).isEqualTo("2");
    assertThat(c.getResources().getRequests().get("memory").toString()).isEqualTo("24Gi");
    assertThat(pod.getNodeSelector()).containsEntry("gpu", "a100");
    assertThat(pod.getTolerations())
        .singleElement()
        .satisfies(t -> assertThat(t.getKey()).isEqualTo("nvidia.com/gpu"));
    assertThat(pod.getPriorityClassName()).isEqualTo("training");
    assertThat(pod.getServiceAccountName()).isEqualTo("midas-workload");
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    assertThat(pod.getRestartPolicy()).isEqualTo("Never");
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
  }

  @Test
  void credentialsOnlyEverAppearAsASecretReference() {
    StackingExperiment exp = experiment();
    ResolvedSpec spec = SpecValidator.resolve("three-stage", exp.getSpec());
    Job job =
        factory.build(
            exp,
            spec,
            "s3://bucket/midas",
            new StageRun("j", 1, 1, List.of("--stage", "1"), "cm", StageRun.ROLE_STAGE));

    Container c = job.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(c.getEnv())
        .filteredOn(
            e -> e.getName().startsWith("AWS_ACCESS") || e.getName().startsWith("AWS_SECRET"))
        .hasSize(2)
        .allSatisfy(
            e -> {
              assertThat(e.getValue()).isNull();
              assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("store-creds");
            });
    assertThat(Serialization.asYaml(job)).doesNotContain("secret-value");
  }

  private static StackingExperiment experiment() {
    StackingExperiment exp =
        OperatorHarness.experiment("/experiments/three-stage.yaml", "ns", "three-stage");
    exp.getMetadata().setUid("uid-1");
    exp.getSpec().stageDeadlineSeconds = 3600L;
    ResourcesSpec r = new ResourcesSpec();
    r.image = "registry.local/stage:1";
    r.gpu = 2;
    r.memory = "24Gi";
    r.nodeSelector = Map.of("gpu", "a100");
    TolerationSpec t = new TolerationSpec();
    t.key = "nvidia.com/gpu";
    t.operator = "Exists";
    t.effect = "NoSchedule";
    r.tolerations = List.of(t);
    r.priorityClassName = "training";
    r.queue = "gpu-queue";
    exp.getSpec().resources = r;
    StorageSpec s = new StorageSpec();
    s.root = "s3://bucket/midas";
    s.secretRef = "store-creds";
    exp.getSpec().storage = s;
    return exp;
  }
}
