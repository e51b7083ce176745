package dev.midas.operator.status;

import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only writer of a resource's status (the Flink operator's StatusRecorder idea). It hands out a
 * working copy to change, derives the printed fields from it, and writes it only when it differs.
 * Every write carries the resourceVersion its status was computed from, so a write based on a stale
 * view (another operator replica, a user's edit in between) is refused with a conflict and the
 * reconcile retried, never applied over newer state. It remembers what it last wrote, so a
 * reconcile that starts from an informer cache that has not seen that write yet still starts from
 * it: resourceVersions are compared only for equality, as the API server asks (they are opaque). At
 * most {@link #REMEMBERED} resources are remembered (least recently written go first): a deleted or
 * finished resource is never written again and ages out.
 */
public class StatusRecorder<R extends CustomResource<?, S>, S> {
  static final int REMEMBERED = 4096;
  private static final Logger LOG = LoggerFactory.getLogger(StatusRecorder.class);

  private final KubernetesClient client;
  private final Class<R> type;
  private final Class<S> statusType;
  private final Supplier<S> empty;
  private final Consumer<R> derive;
  private final Map<String, Written<S>> written;

  /**
   * A status this recorder wrote: the resourceVersion it was computed from and the one the write
   * produced.
   */
  private record Written<S>(String base, String result, S status) {}

  /**
   * @param derive fills the derived fields (phase, printer columns) of the resource's status
   */
  public StatusRecorder(
      KubernetesClient client,
      Class<R> type,
      Class<S> statusType,
      Supplier<S> empty,
      Consumer<R> derive) {
    this(client, type, statusType, empty, derive, REMEMBERED);
  }

  StatusRecorder(
      KubernetesClient client,
      Class<R> type,
      Class<S> statusType,
      Supplier<S> empty,
      Consumer<R> derive,
      int remembered) {
    this.written =
        Collections.synchronizedMap(
            new LinkedHashMap<>(64, 0.75f, true) {
              @Override
              protected boolean removeEldestEntry(Map.Entry<String, Written<S>> eldest) {
                return size() > remembered;
              }
            });
    this.client = client;
    this.type = type;
    this.statusType = statusType;
    this.empty = empty;
    this.derive = derive;
  }

  /** A copy of the newest known status, to change and then pass to {@link #write}. */
  public S working(R resource) {
    Written<S> w = stale(resource);
    S base = w != null ? w.status() : resource.getStatus();
    return base == null ? empty.get() : copy(base);
  }

  /**
   * Sets {@code status} on the resource, derives its printed fields and writes it if it changed,
   * conditional on the resourceVersion it was computed from.
   *
   * @throws KubernetesClientException 409 when the resource changed since; JOSDK retries
   */
  public void write(R resource, S status) {
    Written<S> w = stale(resource);
    S before = w != null ? w.status() : resource.getStatus();
    String base = w != null ? w.result() : resource.getMetadata().getResourceVersion();
    resource.setStatus(status);
    derive.accept(resource);
    if (before != null
        && Objects.equals(Serialization.asJson(before), Serialization.asJson(status))) {
      return;
    }
    S snapshot = copy(status);
    R update = Serialization.clone(resource);
    update.getMetadata().setResourceVersion(base);
    update.setStatus(copy(snapshot));
    String uid = resource.getMetadata().getUid();
    try {
      R updated =
          client
              .resources(type)
              .inNamespace(resource.getMetadata().getNamespace())
              .resource(update)
              .updateStatus();
      written.put(uid, new Written<>(base, updated.getMetadata().getResourceVersion(), snapshot));
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        written.remove(uid);
        return;
      }
      LOG.warn(
          "status of {} not written ({}); the next reconcile retries",
          resource.getMetadata().getName(),
          e.getMessage());
      throw e;
    }
  }

  /** How many resources are remembered. */
  int remembered() {
    return written.size();
  }

  /** What this recorder wrote, while {@code resource} is still the version that write replaced. */
  private Written<S> stale(R resource) {
    Written<S> w = written.get(resource.getMetadata().getUid());
    return w != null && Objects.equals(w.base(), resource.getMetadata().getResourceVersion())
        ? w
        : null;
  }

  private S copy(S status) {
    return Serialization.unmarshal(Serialization.asJson(status), statusType);
  }
}
