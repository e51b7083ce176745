package dev.midas.operator.testing;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * A node for {@link TestingKubelet}: turns a pod into a local process the way the image would start
 * it (the image's entry point, then the container's args), with ConfigMap volumes written to a
 * folder and only the credentials the container names in its env. A pod that could not start on a
 * real node stays Pending with Kubernetes' reason: an image this node cannot pull
 * (ImagePullBackOff), a Secret or key that is missing (CreateContainerConfigError), a nodeSelector
 * no node matches (Unschedulable).
 */
final class TestingPods {
  /** Labels of the one node: a GPU node, as the examples ask for. */
  /** The label the Job controller puts on its pods: the Job's uid. */
  static final String CONTROLLER_UID = "batch.kubernetes.io/controller-uid";

  static final Map<String, String> NODE_LABELS = Map.of("nvidia.com/gpu.present", "true");

  private final KubernetesClient client;
  private final Map<String, List<String>> entrypoints;
  private final Map<String, String> extraEnv;
  private final Path workDir;

  /** A pod started: its process, or null when it is stuck Pending. */
  record Started(Process process) {}

  TestingPods(
      KubernetesClient client,
      Map<String, List<String>> entrypoints,
      Map<String, String> extraEnv,
      Path workDir) {
    this.client = client;
    this.entrypoints = entrypoints;
    this.extraEnv = extraEnv;
    this.workDir = workDir;
  }

  Started start(Job job, String podName, Pod pod) throws IOException {
    String ns = job.getMetadata().getNamespace();
    PodSpec spec = pod.getSpec();
    Container c = spec.getContainers().get(0);
    client.pods().inNamespace(ns).resource(pod).createOr(x -> x.update());
    Map<String, String> selector =
        spec.getNodeSelector() == null ? Map.of() : spec.getNodeSelector();
    for (var e : selector.entrySet()) {
      if (!e.getValue().equals(NODE_LABELS.get(e.getKey()))) {
        pending(
            ns,
            podName,
            scheduled(
                "Unschedulable",
                "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector"),
            null,
            null);
        return new Started(null);
      }
    }
    List<String> command = new ArrayList<>(entrypoints.getOrDefault(c.getImage(), List.of()));
    if (command.isEmpty()) {
      pending(
          ns,
          podName,
          scheduled(null, null),
          "ImagePullBackOff",
          "Back-off pulling image \"" + c.getImage() + "\"");
      return new Started(null);
    }
    Path dir = Files.createDirectories(workDir.resolve(ns + "-" + podName));
    ProcessBuilder pb = new ProcessBuilder().redirectError(dir.resolve("stderr").toFile());
    // A pod sees no credentials but those its container names.
    pb.environment().keySet().removeIf(k -> k.startsWith("AWS_"));
    for (EnvVar e : c.getEnv() == null ? List.<EnvVar>of() : c.getEnv()) {
      String v = e.getValue();
      if (e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null) {
        var ref = e.getValueFrom().getSecretKeyRef();
        Secret s = client.secrets().inNamespace(ns).withName(ref.getName()).get();
        v = s == null ? null : secretValue(s, ref.getKey());
        if (v == null) {
          pending(
              ns,
              podName,
              scheduled(null, null),
              "CreateContainerConfigError",
              s == null
                  ? "secret \"" + ref.getName() + "\" not found"
                  : "couldn't find key " + ref.getKey() + " in Secret " + ns + "/" + ref.getName());
          return new Started(null);
        }
      }
      if (v != null && !e.getName().equals("HOME")) {
        pb.environment().put(e.getName(), v);
      }
    }
    for (String a : c.getArgs()) {
      command.add(mapPath(a, c, spec.getVolumes(), ns, dir));
    }
    pb.command(command);
    pb.environment().putAll(extraEnv);
    Process p = pb.start();
    client
        .pods()
        .inNamespace(ns)
        .withName(podName)
        .editStatus(
            x -> {
              x.getStatus().setPhase("Running");
              x.getStatus().setConditions(List.of(scheduled(null, null)));
              return x;
            });
    Files.writeString(dir.resolve("pid"), Long.toString(p.pid()));
    return new Started(p);
  }

  /** Reads the process's stdout to its end (into a file); returns the last line. */
  String drainOutput(String ns, String job, Process p) throws IOException {
    Path out = Files.createDirectories(workDir.resolve(ns + "-" + job)).resolve("stdout");
    String last = "";
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        Files.writeString(
            out,
            line + "\n",
            StandardCharsets.UTF_8,
            StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
        last = line;
      }
    }
    return last;
  }

  /** The container's end: exit code, last stdout line as termination message. */
  void terminated(String ns, String podName, int code, String message, boolean disrupted) {
    client
        .pods()
        .inNamespace(ns)
        .withName(podName)
        .editStatus(
            pod -> {
              pod.getStatus().setPhase(code == 0 ? "Succeeded" : "Failed");
              List<PodCondition> conditions = new ArrayList<>();
              if (disrupted) {
                conditions.add(
                    new PodConditionBuilder()
                        .withType("DisruptionTarget")
                        .withStatus("True")
                        .withReason("EvictionByEvictionAPI")
                        .withMessage("Eviction API: evicting")
                        .build());
              }
              pod.getStatus().setConditions(conditions);
              pod.getStatus()
                  .setContainerStatuses(
                      List.of(
                          new ContainerStatusBuilder()
                              .withName("stage")
                              .withNewState()
                              .withNewTerminated()
                              .withExitCode(code)
                              .withMessage(message)
                              .withFinishedAt(Instant.now().toString())
                              .endTerminated()
                              .endState()
                              .build()));
              return pod;
            });
  }

  /**
   * The garbage collector: a deleted Job's pods go once they have stopped. By the Job's uid, as the
   * collector follows owner references: a newer Job of the same name keeps its pods.
   */
  void deleteAll(String ns, String job, String jobUid) {
    if (jobUid == null) {
      client.pods().inNamespace(ns).withLabel("job-name", job).delete();
    } else {
      client.pods().inNamespace(ns).withLabel(CONTROLLER_UID, jobUid).delete();
    }
  }

  private void pending(
      String ns, String podName, PodCondition scheduled, String waiting, String message) {
    client
        .pods()
        .inNamespace(ns)
        .withName(podName)
        .editStatus(
            pod -> {
              pod.getStatus().setPhase("Pending");
              pod.getStatus().setConditions(List.of(scheduled));
              if (waiting != null) {
                pod.getStatus()
                    .setContainerStatuses(
                        List.of(
                            new ContainerStatusBuilder()
                                .withName("stage")
                                .withNewState()
                                .withNewWaiting()
                                .withReason(waiting)
                                .withMessage(message)
                                .endWaiting()
                                .endState()
                                .build()));
              }
              return pod;
            });
  }

  private static PodCondition scheduled(String reason, String message) {
    return new PodConditionBuilder()
        .withType("PodScheduled")
        .withStatus(reason == null ? "True" : "False")
        .withReason(reason)
        .withMessage(message)
        .build();
  }

  /** The API server turns stringData into data; the mock keeps whichever was written. */
  private static String secretValue(Secret s, String key) {
    if (s.getData() != null && s.getData().containsKey(key)) {
      return new String(Base64.getDecoder().decode(s.getData().get(key)), StandardCharsets.UTF_8);
    }
    return s.getStringData() == null ? null : s.getStringData().get(key);
  }

  /** A path inside a mounted ConfigMap becomes the same file in a local folder. */
  private String mapPath(String arg, Container c, List<Volume> volumes, String ns, Path dir)
      throws IOException {
    for (VolumeMount m : c.getVolumeMounts()) {
      if (!arg.startsWith(m.getMountPath() + "/")) {
        continue;
      }
      for (Volume v : volumes) {
        if (v.getName().equals(m.getName()) && v.getConfigMap() != null) {
          ConfigMap cm =
              client.configMaps().inNamespace(ns).withName(v.getConfigMap().getName()).get();
          Path local = Files.createDirectories(dir.resolve(m.getName()));
          for (var e : cm.getData().entrySet()) {
            Files.writeString(local.resolve(e.getKey()), e.getValue());
          }
          return local.resolve(arg.substring(m.getMountPath().length() + 1)).toString();
        }
      }
    }
    return arg;
  }
}
