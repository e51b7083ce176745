package dev.midas.operator.testing;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Plays the kubelet, the Job controller, the garbage collector and (optionally) Kueue for the mock
 * API server. It watches Jobs and runs each pod's container as a local process, the way the image
 * would start it ({@link TestingPods}), and writes Pod and Job status back as Kubernetes does
 * ({@link TestingJobController}): podFailurePolicy, backoffLimit, activeDeadlineSeconds with
 * FailureTarget first, suspension, ttlSecondsAfterFinished. A deleted Job's pod gets SIGTERM and
 * its pod object goes once it has exited. Tests can SIGKILL a pod ({@link #kill}), evict it with a
 * DisruptionTarget condition ({@link #evict}), and turn on {@link #kueue} mode.
 */
public final class TestingKubelet implements AutoCloseable {
  private static final DateTimeFormatter CREATED =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private final KubernetesClient client;
  private final TestingPods pods;
  private final Map<String, JobRun> jobs = new ConcurrentHashMap<>();
  private final List<String> launched = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger maxConcurrent = new AtomicInteger();
  private final AtomicInteger alive = new AtomicInteger();
  private final ScheduledExecutorService pool = Executors.newScheduledThreadPool(8);
  private final Map<String, Long> seenAt = new ConcurrentHashMap<>();
  private final Map<String, Long> finishedAt = new ConcurrentHashMap<>();
  private final Semaphore slots = new Semaphore(Integer.MAX_VALUE);
  private final Watch watch;
  private volatile TestingKueue kueue;

  /** What this kubelet knows of one Job; every change happens under its lock. */
  private static final class JobRun {
    final String ns;
    final String name;
    final String uid;
    Process process;
    String podName;
    int podCount;
    int failedPods;
    boolean podActive;
    boolean finished;
    boolean deleted;
    boolean deadlineHit;
    boolean deadlineArmed;
    boolean evicting;

    JobRun(String ns, String name, String uid) {
      this.ns = ns;
      this.name = name;
      this.uid = uid;
    }
  }

  /**
   * @param entrypoints image name to the command its image starts (entry point before the args); an
   *     image missing here cannot be pulled
   * @param extraEnv environment every process gets on top of the container's (test knobs)
   */
  public TestingKubelet(
      KubernetesClient client,
      Map<String, List<String>> entrypoints,
      Map<String, String> extraEnv,
      Path workDir) {
    this.client = client;
    this.pods = new TestingPods(client, entrypoints, extraEnv, workDir);
    this.watch =
        client
            .batch()
            .v1()
            .jobs()
            .inAnyNamespace()
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, Job job) {
                    pool.submit(() -> handle(action, job));
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                });
  }

  /** Like a cluster with {@code n} GPUs: at most {@code n} stage processes run, the rest wait. */
  public void capacity(int n) {
    slots.drainPermits();
    slots.release(n);
  }

  /**
   * Kueue mode: Jobs with the queue label are held suspended (as Kueue's webhook does) and admitted
   * after {@code admitAfter}.
   */
  public TestingKueue kueue(Duration admitAfter) {
    kueue = new TestingKueue(client, pool, admitAfter);
    return kueue;
  }

  /** When this kubelet first saw each Job (System.nanoTime). */
  public Map<String, Long> seenAt() {
    return Map.copyOf(seenAt);
  }

  /** When each Job's final status was written (System.nanoTime). */
  public Map<String, Long> finishedAt() {
    return Map.copyOf(finishedAt);
  }

  /** Names of the Jobs whose pods were started, once per pod, in order. */
  public List<String> launched() {
    return List.copyOf(launched);
  }

  /** The most processes that ran at the same time. */
  public int maxConcurrent() {
    return maxConcurrent.get();
  }

  /** Whether a pod of this Job (in any namespace) is running now. */
  public boolean isRunning(String job) {
    return jobs.values().stream()
        .anyMatch(r -> r.name.equals(job) && r.process != null && r.process.isAlive());
  }

  /** SIGKILL, like an OOM kill or a node loss: no chance to checkpoint. */
  public void kill(String job) {
    jobs.values().stream()
        .filter(r -> r.name.equals(job) && r.process != null)
        .forEach(r -> r.process.toHandle().destroyForcibly());
  }

  /**
   * Evicts the Job's running pod as a drain or a preemption by priority does: the pod gets a
   * DisruptionTarget condition and SIGTERM.
   */
  public void evict(String job) {
    for (JobRun r : jobs.values()) {
      synchronized (r) {
        if (r.name.equals(job) && r.process != null && r.process.isAlive()) {
          r.evicting = true;
          r.process.toHandle().destroy();
        }
      }
    }
  }

  private void handle(Watcher.Action action, Job job) {
    String ns = job.getMetadata().getNamespace();
    String name = job.getMetadata().getName();
    // By uid: a Job deleted and created again under its name is another Job.
    String key = job.getMetadata().getUid() != null ? job.getMetadata().getUid() : ns + "/" + name;
    JobRun r = jobs.computeIfAbsent(key, k -> new JobRun(ns, name, job.getMetadata().getUid()));
    boolean start = false;
    try {
      synchronized (r) {
        seenAt.putIfAbsent(name, System.nanoTime());
        if (action == Watcher.Action.DELETED) {
          r.deleted = true;
          if (r.process != null && r.process.isAlive()) {
            // SIGTERM through the handle: Process.destroy() would also close the pipe we read.
            r.process.toHandle().destroy();
          } else if (!r.podActive) {
            pods.deleteAll(ns, name, r.uid);
          }
          return;
        }
        TestingKueue q = kueue;
        boolean held = q != null && q.holds(job);
        if (held || Boolean.TRUE.equals(job.getSpec().getSuspend())) {
          if (r.process != null && r.process.isAlive()) {
            r.process.toHandle().destroy();
          }
          return;
        }
        if (r.finished || r.deleted || r.podActive) {
          return;
        }
        r.podActive = true;
        start = true;
      }
      if (start) {
        startPod(r, job);
      }
    } catch (Exception e) {
      e.printStackTrace();
    }
  }

  private void startPod(JobRun r, Job job) throws IOException {
    slots.acquireUninterruptibly();
    Process p;
    String podName;
    synchronized (r) {
      r.podCount++;
      // Like the Job controller's random suffix: a Job created again under the same name while
      // its predecessor's pod still terminates gets pods of other names.
      podName = r.name + "-" + podSuffix(r) + r.podCount;
      r.podName = podName;
      Pod pod = podObject(r, job, podName);
      TestingPods.Started started = pods.start(job, podName, pod);
      if (started.process() == null) {
        // Stuck before its container runs (no image, a missing Secret, no node): stays Pending.
        slots.release();
        return;
      }
      p = started.process();
      r.process = p;
      launched.add(r.name);
      maxConcurrent.accumulateAndGet(alive.incrementAndGet(), Math::max);
      jobStatus(
          r.ns,
          r.name,
          new JobStatusBuilder()
              .withActive(1)
              .withStartTime(
                  job.getStatus() != null && job.getStatus().getStartTime() != null
                      ? job.getStatus().getStartTime()
                      : Instant.now().toString())
              .build());
      armDeadline(r, job);
    }
    pool.submit(() -> await(r, podName, p));
  }

  private Pod podObject(JobRun r, Job job, String podName) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(podName)
        .withNamespace(r.ns)
        .withLabels(
            r.uid == null
                ? Map.of("job-name", r.name)
                : Map.of("job-name", r.name, TestingPods.CONTROLLER_UID, r.uid))
        .withCreationTimestamp(CREATED.format(Instant.now()))
        .endMetadata()
        .withSpec(job.getSpec().getTemplate().getSpec())
        .withNewStatus()
        .withPhase("Pending")
        .endStatus()
        .build();
  }

  /** activeDeadlineSeconds: FailureTarget and SIGTERM when it passes while the pod runs. */
  private void armDeadline(JobRun r, Job job) {
    Long deadline = job.getSpec().getActiveDeadlineSeconds();
    if (deadline == null || r.deadlineArmed) {
      return;
    }
    r.deadlineArmed = true;
    pool.schedule(
        () -> {
          synchronized (r) {
            if (r.finished || r.process == null || !r.process.isAlive()) {
              return;
            }
            r.deadlineHit = true;
            editJobStatus(
                r,
                st -> {
                  st.getConditions()
                      .add(
                          TestingJobController.failureTarget(
                              "DeadlineExceeded", "Job was active longer than specified"));
                });
            r.process.toHandle().destroy();
          }
        },
        deadline,
        TimeUnit.SECONDS);
  }

  private void await(JobRun r, String podName, Process p) {
    try {
      String last = pods.drainOutput(r.ns, r.name, p);
      int code = p.waitFor();
      slots.release();
      alive.decrementAndGet();
      boolean again = false;
      Job job = null;
      synchronized (r) {
        pods.terminated(r.ns, podName, code, last, r.evicting);
        r.process = null;
        r.podActive = false;
        boolean disrupted = r.evicting;
        r.evicting = false;
        job =
            r.deleted ? null : client.batch().v1().jobs().inNamespace(r.ns).withName(r.name).get();
        if (job == null || (r.uid != null && !r.uid.equals(job.getMetadata().getUid()))) {
          pods.deleteAll(r.ns, r.name, r.uid);
          return;
        }
        TestingJobController.Decision d =
            TestingJobController.podEnded(
                job, podName, code, disrupted, r.deadlineHit, r.failedPods);
        r.failedPods = d.status().getFailed() == null ? r.failedPods : d.status().getFailed();
        jobStatus(r.ns, r.name, d.status());
        if (d.after() == TestingJobController.After.FINISHED) {
          r.finished = true;
          finishedAt.put(r.name, System.nanoTime());
          ttl(r, job);
        }
        again = d.after() == TestingJobController.After.NEW_POD;
      }
      if (again) {
        handle(Watcher.Action.MODIFIED, job);
      }
    } catch (Exception e) {
      e.printStackTrace();
    }
  }

  /** ttlSecondsAfterFinished: the TTL controller deletes a finished Job (and its pods). */
  private void ttl(JobRun r, Job job) {
    Integer ttl = job.getSpec().getTtlSecondsAfterFinished();
    if (ttl == null) {
      return;
    }
    pool.schedule(
        () -> {
          // Only this Job: never a newer one created under its name since.
          Job now = client.batch().v1().jobs().inNamespace(r.ns).withName(r.name).get();
          if (now != null && (r.uid == null || r.uid.equals(now.getMetadata().getUid()))) {
            client.batch().v1().jobs().inNamespace(r.ns).withName(r.name).delete();
          }
        },
        ttl,
        TimeUnit.SECONDS);
  }

  private static String podSuffix(JobRun r) {
    return r.uid == null ? "" : Integer.toString(Math.floorMod(r.uid.hashCode(), 46656), 36) + "-";
  }

  private void jobStatus(String ns, String name, JobStatus status) {
    try {
      client
          .batch()
          .v1()
          .jobs()
          .inNamespace(ns)
          .withName(name)
          .editStatus(
              j -> {
                j.setStatus(status);
                return j;
              });
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }

  private void editJobStatus(JobRun r, java.util.function.Consumer<JobStatus> change) {
    try {
      client
          .batch()
          .v1()
          .jobs()
          .inNamespace(r.ns)
          .withName(r.name)
          .editStatus(
              j -> {
                if (j.getStatus() == null) {
                  j.setStatus(new JobStatus());
                }
                if (j.getStatus().getConditions() == null) {
                  j.getStatus().setConditions(new ArrayList<>());
                }
                change.accept(j.getStatus());
                return j;
              });
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    watch.close();
    jobs.values().stream().filter(r -> r.process != null).forEach(r -> r.process.destroyForcibly());
    pool.shutdownNow();
    pool.awaitTermination(5, TimeUnit.SECONDS);
  }
}
