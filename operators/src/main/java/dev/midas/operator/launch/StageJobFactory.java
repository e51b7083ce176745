package dev.midas.operator.launch;

import dev.midas.operator.config.OperatorConfig;
import dev.midas.plan.exit.ExitClass;
import dev.midas.plan.spec.ResolvedSpec;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicy;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyBuilder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the batch/v1 Job of one stage attempt: the stage-runner image started with the spec file,
 * the object-store root and {@code --init}/{@code --resume}, on a GPU node, as a non-root user with
 * a service account that has no API access, credentials only from the referenced Secret. The
 * operator does its own retries, so the Job itself never retries ({@code backoffLimit: 0}).
 */
public class StageJobFactory {
  public static final String SPEC_DIR = "/etc/midas";
  public static final String SPEC_FILE = "experiment.yaml";
  public static final String SPEC_PATH = SPEC_DIR + "/" + SPEC_FILE;
  public static final String LABEL_EXPERIMENT = "midas.dev/experiment";
  public static final String LABEL_STAGE = "midas.dev/stage";
  public static final String LABEL_ATTEMPT = "midas.dev/attempt";
  public static final String LABEL_ROLE = "midas.dev/role";
  public static final String LABEL_QUEUE = "kueue.x-k8s.io/queue-name";
  public static final String GPU_RESOURCE = "nvidia.com/gpu";
  public static final long RUN_AS = 1000L;
  public static final String CONTAINER = "stage";

  private final OperatorConfig config;

  public StageJobFactory(OperatorConfig config) {
    this.config = config;
  }

  /**
   * @param exp the Job's owner: the experiment, or for a sweep's report the sweep
   * @param root the object-store root, passed to every role but the sweep report (whose runner
   *     arguments name it)
   */
  public Job build(HasMetadata exp, ResolvedSpec spec, String root, StageRun run) {
    ResolvedSpec.Resources res = spec.resources();
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("app.kubernetes.io/managed-by", "midas-operator");
    labels.put("app.kubernetes.io/name", "midas-stage");
    labels.put(LABEL_EXPERIMENT, exp.getMetadata().getName());
    labels.put(LABEL_STAGE, Integer.toString(run.stage()));
    labels.put(LABEL_ATTEMPT, Integer.toString(run.attempt()));
    labels.put(LABEL_ROLE, run.role());
    Map<String, String> jobLabels = new LinkedHashMap<>(labels);
    res.queue().ifPresent(q -> jobLabels.put(LABEL_QUEUE, q));

    List<String> args = new ArrayList<>();
    if (StageRun.ROLE_SWEEP_REPORT.equals(run.role())) {
      args.add("sweep-report");
    } else {
      if (StageRun.ROLE_EVALUATION.equals(run.role())) {
        args.add("evaluate");
      }
      args.addAll(List.of(SPEC_PATH, "--root", root));
    }
    args.addAll(run.runnerArgs());
    List<VolumeMount> mounts = new ArrayList<>();
    List<Volume> volumes = new ArrayList<>();
    if (run.specConfigMap() != null) {
      mounts.add(
          new VolumeMountBuilder()
              .withName("spec")
              .withMountPath(SPEC_DIR)
              .withReadOnly(true)
              .build());
      volumes.add(
          new VolumeBuilder()
              .withName("spec")
              .withNewConfigMap()
              .withName(run.specConfigMap())
              .endConfigMap()
              .build());
    }
    mounts.add(new VolumeMountBuilder().withName("tmp").withMountPath("/tmp").build());
    volumes.add(new VolumeBuilder().withName("tmp").withNewEmptyDir().endEmptyDir().build());

    Map<String, Quantity> limits = new LinkedHashMap<>();
    Map<String, Quantity> requests = new LinkedHashMap<>();
    // A sweep's report only reads results and draws: no accelerator.
    if (res.gpu() > 0 && !StageRun.ROLE_SWEEP_REPORT.equals(run.role())) {
      limits.put(GPU_RESOURCE, new Quantity(Integer.toString(res.gpu())));
    }
    res.cpu().ifPresent(c -> requests.put("cpu", new Quantity(c)));
    res.memory()
        .ifPresent(
            m -> {
              requests.put("memory", new Quantity(m));
              limits.put("memory", new Quantity(m));
            });

    return new JobBuilder()
        .withNewMetadata()
        .withName(run.jobName())
        .withNamespace(exp.getMetadata().getNamespace())
        .withLabels(jobLabels)
        .withOwnerReferences(OwnerRefs.controlledBy(exp))
        .endMetadata()
        .withNewSpec()
        .withBackoffLimit(0)
        .withTtlSecondsAfterFinished((int) Math.min(Integer.MAX_VALUE, config.jobTtl().toSeconds()))
        .withActiveDeadlineSeconds(deadline(spec, run).orElse(null))
        // Kueue admits a queued Job by unsuspending it; created suspended, no pod starts before.
        .withSuspend(res.queue().isPresent() ? Boolean.TRUE : null)
        .withPodFailurePolicy(podFailurePolicy())
        // A replacement pod only once the old one is gone: two pods never write one stage.
        .withPodReplacementPolicy("Failed")
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .withRestartPolicy("Never")
        .withServiceAccountName(config.workloadServiceAccount())
        .withAutomountServiceAccountToken(false)
        .withTerminationGracePeriodSeconds(config.terminationGracePeriodSeconds())
        .withNodeSelector(res.nodeSelector().isEmpty() ? null : res.nodeSelector())
        .withTolerations(tolerations(res.tolerations()))
        .withPriorityClassName(res.priorityClassName().orElse(null))
        .withNewSecurityContext()
        .withRunAsNonRoot(true)
        .withRunAsUser(RUN_AS)
        .withRunAsGroup(RUN_AS)
        .withFsGroup(RUN_AS)
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .endSecurityContext()
        .withContainers(
            new ContainerBuilder()
                .withName(CONTAINER)
                .withImage(res.image().orElse(config.stageImage()))
                .withArgs(args)
                .withEnv(env(spec.storage()))
                .withResources(
                    new ResourceRequirementsBuilder()
                        .withLimits(limits.isEmpty() ? null : limits)
                        .withRequests(requests.isEmpty() ? null : requests)
                        .build())
                .withNewSecurityContext()
                .withAllowPrivilegeEscalation(false)
                .withReadOnlyRootFilesystem(true)
                .withNewCapabilities()
                .withDrop("ALL")
                .endCapabilities()
                .endSecurityContext()
                .withVolumeMounts(mounts)
                .withTerminationMessagePolicy("FallbackToLogsOnError")
                .build())
        .withVolumes(volumes)
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  /**
   * Credentials come from the Secret by reference only: the pod spec names the Secret and key, the
   * operator never reads or copies the values. DJL's native cache goes to the writable /tmp.
   */
  private static List<EnvVar> env(ResolvedSpec.Storage storage) {
    List<EnvVar> env = new ArrayList<>();
    env.add(new EnvVarBuilder().withName("HOME").withValue("/tmp").build());
    env.add(new EnvVarBuilder().withName("DJL_CACHE_DIR").withValue("/tmp/djl").build());
    env.add(new EnvVarBuilder().withName("AWS_REGION").withValue(storage.region()).build());
    storage
        .secretRef()
        .ifPresent(
            secret -> {
              for (String key : List.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")) {
                env.add(
                    new EnvVarBuilder()
                        .withName(key)
                        .withNewValueFrom()
                        .withNewSecretKeyRef()
                        .withName(secret)
                        .withKey(key)
                        .endSecretKeyRef()
                        .endValueFrom()
                        .build());
              }
            });
    return env;
  }

  /** A stage's deadline; a LAG candidate's own timeout, else the stage's. */
  private static java.util.Optional<Long> deadline(ResolvedSpec spec, StageRun run) {
    if (StageRun.ROLE_LAG.equals(run.role())) {
      return spec.growth()
          .lag()
          .flatMap(ResolvedSpec.Lag::timeoutSeconds)
          .or(spec::stageDeadlineSeconds);
    }
    return spec.stageDeadlineSeconds();
  }

  /**
   * A disrupted pod (preempted for a higher priority, drained, evicted) is not the stage's fault:
   * the Job ignores it and starts another pod, which resumes from the latest checkpoint. An exit
   * that no retry can fix (bad spec, divergence, corrupt input) fails the Job at once.
   */
  static PodFailurePolicy podFailurePolicy() {
    List<Integer> never =
        Arrays.stream(ExitClass.values())
            .filter(c -> c.code() > 0 && !c.retryable())
            .map(ExitClass::code)
            .toList();
    return new PodFailurePolicyBuilder()
        .addNewRule()
        .withAction("Ignore")
        .addNewOnPodCondition()
        .withType("DisruptionTarget")
        .withStatus("True")
        .endOnPodCondition()
        .endRule()
        .addNewRule()
        .withAction("FailJob")
        .withNewOnExitCodes()
        .withContainerName(CONTAINER)
        .withOperator("In")
        .withValues(never)
        .endOnExitCodes()
        .endRule()
        .build();
  }

  private static List<Toleration> tolerations(List<ResolvedSpec.Toleration> ts) {
    return ts.stream()
        .map(
            t ->
                new TolerationBuilder()
                    .withKey(t.key())
                    .withOperator(t.operator())
                    .withValue(t.value())
                    .withEffect(t.effect())
                    .withTolerationSeconds(t.tolerationSeconds())
                    .build())
        .toList();
  }
}
