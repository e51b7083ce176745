package dev.midas.operator.events;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place events are emitted, each with a {@link Reason} from the closed list. An event that
 * cannot be written is logged and dropped: events are for people, never for control flow.
 *
 * <p>A failure that repeats on every retry ({@link #recordOnce}) is emitted once per distinct
 * reason and message per object, not once per retry: Kubernetes' own aggregation only counts
 * identical events, and a new event a second would bury the rest of {@code kubectl describe}. The
 * memory of what was emitted is bounded ({@link #REMEMBERED} objects, least recently used first
 * forgotten) and cleared for an object whose reconcile succeeds ({@link #resolved}), so a failure
 * that comes back later is reported again.
 */
public class EventRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
  private static final String COMPONENT = "midas-operator";

  private final KubernetesClient client;
  private final Clock clock;
  private final AtomicLong sequence = new AtomicLong();

  static final int REMEMBERED = 4096;

  /** By object UID: the reason and message last emitted through {@link #recordOnce}. */
  private final Map<String, String> repeated =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
          return size() > REMEMBERED;
        }
      };

  public EventRecorder(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  /**
   * Records {@code reason} and {@code message} about an object unless they are what was last
   * recorded through this method for it since its last {@link #resolved}: for failures each retry
   * meets again.
   */
  public void recordOnce(HasMetadata about, Reason reason, String message) {
    if (firstTime(about, reason, message)) {
      record(about, reason, message);
    }
  }

  /** Remembers {@code reason} and {@code message} for the object: whether they are new for it. */
  boolean firstTime(HasMetadata about, Reason reason, String message) {
    String key = reason.name() + "\n" + message;
    synchronized (repeated) {
      return !key.equals(repeated.put(uid(about), key));
    }
  }

  /** The object's reconcile succeeded: a failure it meets again is a new one. */
  public void resolved(HasMetadata about) {
    synchronized (repeated) {
      repeated.remove(uid(about));
    }
  }

  private static String uid(HasMetadata about) {
    String uid = about.getMetadata().getUid();
    return uid != null
        ? uid
        : about.getKind()
            + "/"
            + about.getMetadata().getNamespace()
            + "/"
            + about.getMetadata().getName();
  }

  public void record(HasMetadata about, Reason reason, String message) {
    String now = clock.instant().toString();
    String ns = about.getMetadata().getNamespace();
    LOG.info(
        "{} {}/{}: {} {}",
        reason.type(),
        about.getKind(),
        about.getMetadata().getName(),
        reason,
        message);
    try {
      client
          .v1()
          .events()
          .inNamespace(ns)
          .resource(
              new EventBuilder()
                  .withNewMetadata()
                  .withName(eventName(about))
                  .withNamespace(ns)
                  .endMetadata()
                  .withInvolvedObject(
                      new ObjectReferenceBuilder()
                          .withApiVersion(about.getApiVersion())
                          .withKind(about.getKind())
                          .withName(about.getMetadata().getName())
                          .withNamespace(ns)
                          .withUid(about.getMetadata().getUid())
                          .build())
                  .withType(reason.type().name())
                  .withReason(reason.name())
                  .withMessage(message)
                  .withFirstTimestamp(now)
                  .withLastTimestamp(now)
                  .withCount(1)
                  .withNewSource(COMPONENT, null)
                  .withReportingComponent(COMPONENT)
                  .build())
          .create();
    } catch (KubernetesClientException e) {
      LOG.warn(
          "could not record event {} for {}: {}",
          reason,
          about.getMetadata().getName(),
          e.getMessage());
    }
  }

  /** Unique like kubectl's: the object's name, the time in hex, and a sequence number. */
  private String eventName(HasMetadata about) {
    return about.getMetadata().getName()
        + "."
        + Long.toHexString(clock.millis())
        + Long.toHexString(sequence.incrementAndGet());
  }
}
