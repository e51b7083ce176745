package dev.midas.operator.observer;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * How a finished stage pod exited: its exit code (the stage pod contract's failure class) and its
 * termination message (the stage's JSON result). Read from the Job's newest terminated pod.
 */
public record PodExit(int exitCode, String message) {

  public static Optional<PodExit> of(KubernetesClient client, String namespace, String jobName) {
    List<Pod> pods =
        client.pods().inNamespace(namespace).withLabel("job-name", jobName).list().getItems();
    return pods.stream()
        .sorted(
            Comparator.comparing(
                    (Pod p) ->
                        p.getMetadata().getCreationTimestamp() == null
                            ? ""
                            : p.getMetadata().getCreationTimestamp())
                .reversed())
        .flatMap(p -> terminated(p).stream())
        .findFirst();
  }

  private static Optional<PodExit> terminated(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
      return Optional.empty();
    }
    for (ContainerStatus cs : pod.getStatus().getContainerStatuses()) {
      if (cs.getState() != null && cs.getState().getTerminated() != null) {
        var t = cs.getState().getTerminated();
        return Optional.of(
            new PodExit(
                t.getExitCode() == null ? -1 : t.getExitCode(),
                t.getMessage() == null ? "" : t.getMessage()));
      }
    }
    return Optional.empty();
  }
}
