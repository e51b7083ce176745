package dev.midas.operator.status;

import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only writer of a resource's status (the Flink operator's StatusRecorder idea). It hands out a
 * working copy to change, derives the printed fields from it, and writes it only when it differs.
 * It remembers what it last wrote, so a reconcile that starts from a stale informer cache still
 * starts from the newest status.
 */
public class StatusRecorder<R extends CustomResource<?, S>, S> {
  private static final Logger LOG = LoggerFactory.getLogger(StatusRecorder.class);

  private final KubernetesClient client;
  private final Class<R> type;
  private final Class<S> statusType;
  private final Supplier<S> empty;
  private final Consumer<R> derive;
  private final Map<String, Written<S>> written = new ConcurrentHashMap<>();

  private record Written<S>(long resourceVersion, S status) {}

  /**
   * @param derive fills the derived fields (phase, printer columns) of the resource's status
   */
  public StatusRecorder(
      KubernetesClient client,
      Class<R> type,
      Class<S> statusType,
      Supplier<S> empty,
      Consumer<R> derive) {
    this.client = client;
    this.type = type;
    this.statusType = statusType;
    this.empty = empty;
    this.derive = derive;
  }

  /** A copy of the newest known status, to change and then pass to {@link #write}. */
  public S working(R resource) {
    Written<S> w = written.get(resource.getMetadata().getUid());
    S base = resource.getStatus();
    if (w != null && w.resourceVersion() > version(resource)) {
      base = w.status();
    }
    return base == null ? empty.get() : copy(base);
  }

  /**
   * Sets {@code status} on the resource, derives its printed fields and writes it if it changed.
   */
  public void write(R resource, S status) {
    S before = resource.getStatus();
    Written<S> w = written.get(resource.getMetadata().getUid());
    if (w != null && w.resourceVersion() > version(resource)) {
      before = w.status();
    }
    resource.setStatus(status);
    derive.accept(resource);
    if (before != null
        && Objects.equals(Serialization.asJson(before), Serialization.asJson(status))) {
      return;
    }
    S snapshot = copy(status);
    try {
      R updated =
          client
              .resources(type)
              .inNamespace(resource.getMetadata().getNamespace())
              .withName(resource.getMetadata().getName())
              .editStatus(
                  current -> {
                    current.setStatus(copy(snapshot));
                    return current;
                  });
      written.put(resource.getMetadata().getUid(), new Written<>(version(updated), snapshot));
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        written.remove(resource.getMetadata().getUid());
        return;
      }
      LOG.warn(
          "status of {} not written ({}); the next reconcile retries",
          resource.getMetadata().getName(),
          e.getMessage());
      throw e;
    }
  }

  /** Forgets a deleted resource. */
  public void forget(R resource) {
    written.remove(resource.getMetadata().getUid());
  }

  private S copy(S status) {
    return Serialization.unmarshal(Serialization.asJson(status), statusType);
  }

  private static long version(io.fabric8.kubernetes.api.model.HasMetadata r) {
    try {
      return Long.parseLong(r.getMetadata().getResourceVersion());
    } catch (RuntimeException e) {
      return -1;
    }
  }
}
