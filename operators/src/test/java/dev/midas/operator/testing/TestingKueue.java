package dev.midas.operator.testing;

import dev.midas.operator.launch.StageJobFactory;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Kueue's handshake with a Job, as {@link TestingKubelet} plays it: a Job with the queue label is
 * held suspended (the webhook sets {@code suspend: true}) until it is admitted, after a delay, by
 * setting {@code suspend: false}; {@link #preempt} suspends an admitted Job again (its pod gets
 * SIGTERM) and admits it once more later. Kueue owns {@code spec.suspend} of such Jobs.
 */
public final class TestingKueue {
  private final KubernetesClient client;
  private final ScheduledExecutorService pool;
  private final Duration admitAfter;
  private final Set<String> admitted = ConcurrentHashMap.newKeySet();
  private final Set<String> waiting = ConcurrentHashMap.newKeySet();
  private final AtomicInteger admissions = new AtomicInteger();

  TestingKueue(KubernetesClient client, ScheduledExecutorService pool, Duration admitAfter) {
    this.client = client;
    this.pool = pool;
    this.admitAfter = admitAfter;
  }

  /** Whether Kueue holds this Job now; a Job it has not seen yet is suspended and queued. */
  boolean holds(Job job) {
    var labels = job.getMetadata().getLabels();
    if (labels == null || !labels.containsKey(StageJobFactory.LABEL_QUEUE)) {
      return false;
    }
    String key = key(job.getMetadata().getNamespace(), job.getMetadata().getName());
    if (admitted.contains(key)) {
      return false;
    }
    if (waiting.add(key)) {
      if (!Boolean.TRUE.equals(job.getSpec().getSuspend())) {
        suspend(job.getMetadata().getNamespace(), job.getMetadata().getName(), true);
      }
      pool.schedule(
          () -> admit(job.getMetadata().getNamespace(), job.getMetadata().getName()),
          admitAfter.toMillis(),
          TimeUnit.MILLISECONDS);
    }
    return true;
  }

  /** Preempts an admitted Job (suspends it) and admits it again after {@code readmitAfter}. */
  public void preempt(String namespace, String job, Duration readmitAfter) {
    String key = key(namespace, job);
    admitted.remove(key);
    waiting.add(key);
    suspend(namespace, job, true);
    pool.schedule(() -> admit(namespace, job), readmitAfter.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** How many times a Job was admitted. */
  public int admissions() {
    return admissions.get();
  }

  private void admit(String namespace, String job) {
    String key = key(namespace, job);
    waiting.remove(key);
    admitted.add(key);
    admissions.incrementAndGet();
    suspend(namespace, job, false);
  }

  private void suspend(String namespace, String job, boolean suspend) {
    try {
      client
          .batch()
          .v1()
          .jobs()
          .inNamespace(namespace)
          .withName(job)
          .edit(
              j -> {
                j.getSpec().setSuspend(suspend);
                return j;
              });
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }

  private static String key(String namespace, String job) {
    return namespace + "/" + job;
  }
}
