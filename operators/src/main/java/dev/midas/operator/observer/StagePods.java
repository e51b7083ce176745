package dev.midas.operator.observer;

import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The pods of one stage Job, newest first, read from the API server (never a cache: a decision to
 * start the next attempt must not be taken on a stale view of the previous one's pods).
 */
public record StagePods(List<Pod> pods) {

  public static StagePods of(KubernetesClient client, String namespace, String jobName) {
    List<Pod> pods =
        client.pods().inNamespace(namespace).withLabel("job-name", jobName).list().getItems();
    return new StagePods(
        pods.stream()
            .sorted(
                Comparator.comparing(
                        (Pod p) ->
                            p.getMetadata().getCreationTimestamp() == null
                                ? ""
                                : p.getMetadata().getCreationTimestamp())
                    .reversed())
            .toList());
  }

  /** Whether a pod may still run or write: neither Succeeded nor Failed. */
  public boolean anyAlive() {
    return pods.stream().anyMatch(p -> !terminal(p));
  }

  /** How the newest pod that finished exited. */
  public Optional<PodExit> lastExit() {
    for (Pod p : pods) {
      Optional<PodExit> e = exit(p);
      if (e.isPresent()) {
        return e;
      }
    }
    return Optional.empty();
  }

  /**
   * Why the newest pod has not started, in Kubernetes' words (Unschedulable, ImagePullBackOff,
   * ErrImagePull, CreateContainerConfigError, ...) with its message, if it is stuck.
   */
  public Optional<String[]> notStartedBecause() {
    if (pods.isEmpty()) {
      return Optional.empty();
    }
    Pod p = pods.get(0);
    if (p.getStatus() == null) {
      return Optional.empty();
    }
    for (ContainerStatus cs : nullToEmpty(p.getStatus().getContainerStatuses())) {
      ContainerStateWaiting w = cs.getState() == null ? null : cs.getState().getWaiting();
      if (w != null && w.getReason() != null && !"ContainerCreating".equals(w.getReason())) {
        return Optional.of(new String[] {w.getReason(), String.valueOf(w.getMessage())});
      }
    }
    for (PodCondition c : nullToEmpty(p.getStatus().getConditions())) {
      if ("PodScheduled".equals(c.getType())
          && "False".equals(c.getStatus())
          && c.getReason() != null) {
        return Optional.of(new String[] {c.getReason(), String.valueOf(c.getMessage())});
      }
    }
    return Optional.empty();
  }

  private static Optional<PodExit> exit(Pod pod) {
    if (pod.getStatus() == null) {
      return Optional.empty();
    }
    boolean disrupted =
        nullToEmpty(pod.getStatus().getConditions()).stream()
            .anyMatch(c -> "DisruptionTarget".equals(c.getType()) && "True".equals(c.getStatus()));
    for (ContainerStatus cs : nullToEmpty(pod.getStatus().getContainerStatuses())) {
      if (cs.getState() != null && cs.getState().getTerminated() != null) {
        var t = cs.getState().getTerminated();
        return Optional.of(
            new PodExit(
                t.getExitCode() == null ? -1 : t.getExitCode(),
                t.getMessage() == null ? "" : t.getMessage(),
                disrupted));
      }
    }
    if (disrupted && terminal(pod)) {
      return Optional.of(new PodExit(-1, "pod disrupted before its container ran", true));
    }
    return Optional.empty();
  }

  private static boolean terminal(Pod p) {
    String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }

  private static <T> List<T> nullToEmpty(List<T> l) {
    return l == null ? List.of() : l;
  }
}
