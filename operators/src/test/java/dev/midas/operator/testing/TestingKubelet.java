package dev.midas.operator.testing;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Plays the kubelet and the Job controller for the mock API server: it watches the Jobs the
 * operator creates and runs each one's container as a local process, the way the image would start
 * it (the image's entry point, then the container's args), with the ConfigMap volume written to a
 * folder and Secret-backed env resolved (the only credentials a process gets). It writes Pod and
 * Job status back: Running, then the exit code and the last stdout line as termination message,
 * Complete or Failed. A suspended Job's process gets SIGTERM; {@link #kill} sends SIGKILL.
 */
public final class TestingKubelet implements AutoCloseable {
  private final KubernetesClient client;
  private final Map<String, List<String>> entrypoints;
  private final Map<String, String> extraEnv;
  private final Path workDir;
  private final Map<String, Process> running = new ConcurrentHashMap<>();
  private final Map<String, Boolean> started = new ConcurrentHashMap<>();
  private final List<String> launched = java.util.Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger maxConcurrent = new AtomicInteger();
  private final ExecutorService pool = Executors.newCachedThreadPool();
  private final Watch watch;
  private final Map<String, Long> seenAt = new ConcurrentHashMap<>();
  private final Map<String, Long> finishedAt = new ConcurrentHashMap<>();
  private final java.util.concurrent.Semaphore slots =
      new java.util.concurrent.Semaphore(Integer.MAX_VALUE);

  /**
   * @param entrypoints image name to the command its image starts (entry point before the args)
   * @param extraEnv environment every process gets on top of the container's (test knobs)
   */
  public TestingKubelet(
      KubernetesClient client,
      Map<String, List<String>> entrypoints,
      Map<String, String> extraEnv,
      Path workDir) {
    this.client = client;
    this.entrypoints = entrypoints;
    this.extraEnv = extraEnv;
    this.workDir = workDir;
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

  /** When this kubelet first saw each Job (System.nanoTime). */
  public Map<String, Long> seenAt() {
    return Map.copyOf(seenAt);
  }

  /** When each Job's final status was written (System.nanoTime). */
  public Map<String, Long> finishedAt() {
    return Map.copyOf(finishedAt);
  }

  /** Names of every Job whose process was started, in order. */
  public List<String> launched() {
    return List.copyOf(launched);
  }

  /** The most processes that ran at the same time. */
  public int maxConcurrent() {
    return maxConcurrent.get();
  }

  public boolean isRunning(String job) {
    Process p = running.get(job);
    return p != null && p.isAlive();
  }

  /** SIGKILL, like an OOM kill or a node loss: no chance to checkpoint. */
  public void kill(String job) {
    Process p = running.get(job);
    if (p != null) {
      p.toHandle().destroyForcibly();
    }
  }

  private void handle(Watcher.Action action, Job job) {
    String name = job.getMetadata().getName();
    try {
      if (action == Watcher.Action.DELETED) {
        Process p = running.remove(name);
        if (p != null) {
          p.toHandle().destroy();
        }
      } else if (Boolean.TRUE.equals(job.getSpec().getSuspend())) {
        Process p = running.get(name);
        if (p != null && p.isAlive()) {
          // SIGTERM through the handle: Process.destroy() would also close the pipe we read from.
          p.toHandle().destroy();
        }
      } else if (started.putIfAbsent(name, true) == null) {
        seenAt.put(name, System.nanoTime());
        start(job);
      }
    } catch (Exception e) {
      e.printStackTrace();
    }
  }

  private void start(Job job) throws IOException {
    String ns = job.getMetadata().getNamespace();
    String name = job.getMetadata().getName();
    var podSpec = job.getSpec().getTemplate().getSpec();
    Container c = podSpec.getContainers().get(0);
    Path dir = Files.createDirectories(workDir.resolve(ns + "-" + name));
    List<String> args = new ArrayList<>();
    for (String a : c.getArgs()) {
      args.add(mapPath(a, c, podSpec.getVolumes(), ns, dir));
    }
    List<String> command = new ArrayList<>(entrypoints.getOrDefault(c.getImage(), List.of()));
    if (command.isEmpty()) {
      throw new IllegalStateException("no entry point known for image " + c.getImage());
    }
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command).redirectError(dir.resolve("stderr").toFile());
    // A pod sees no credentials but those its container names.
    pb.environment().keySet().removeIf(k -> k.startsWith("AWS_"));
    for (EnvVar e : c.getEnv() == null ? List.<EnvVar>of() : c.getEnv()) {
      String v = e.getValue();
      if (e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null) {
        Secret s =
            client
                .secrets()
                .inNamespace(ns)
                .withName(e.getValueFrom().getSecretKeyRef().getName())
                .get();
        v = s == null ? null : secretValue(s, e.getValueFrom().getSecretKeyRef().getKey());
      }
      if (v != null && !e.getName().equals("HOME")) {
        pb.environment().put(e.getName(), v);
      }
    }
    pb.environment().putAll(extraEnv);
    slots.acquireUninterruptibly();
    Process p = pb.start();
    running.put(name, p);
    launched.add(name);
    maxConcurrent.accumulateAndGet(
        (int) running.values().stream().filter(Process::isAlive).count(), Math::max);
    String podName = name + "-pod";
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(podName)
            .withNamespace(ns)
            .withLabels(Map.of("job-name", name))
            .withCreationTimestamp(Instant.now().toString())
            .endMetadata()
            .withSpec(podSpec)
            .withNewStatus()
            .withPhase("Running")
            .endStatus()
            .build();
    client.pods().inNamespace(ns).resource(pod).createOr(x -> x.update());
    jobStatus(
        ns,
        name,
        new JobStatusBuilder().withActive(1).withStartTime(Instant.now().toString()).build());
    pool.submit(() -> await(ns, name, podName, p, dir));
  }

  private void await(String ns, String name, String podName, Process p, Path dir) {
    try {
      String last = "";
      try (BufferedReader out =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
          Files.writeString(
              dir.resolve("stdout"),
              line + "\n",
              StandardCharsets.UTF_8,
              java.nio.file.StandardOpenOption.CREATE,
              java.nio.file.StandardOpenOption.APPEND);
          last = line;
        }
      }
      int code = p.waitFor();
      slots.release();
      running.remove(name, p);
      String message = last;
      client
          .pods()
          .inNamespace(ns)
          .withName(podName)
          .editStatus(
              pod -> {
                pod.getStatus().setPhase(code == 0 ? "Succeeded" : "Failed");
                pod.getStatus()
                    .setContainerStatuses(
                        List.of(
                            new io.fabric8.kubernetes.api.model.ContainerStatusBuilder()
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
      Job job = client.batch().v1().jobs().inNamespace(ns).withName(name).get();
      if (job == null) {
        return;
      }
      String now = Instant.now().toString();
      String start = job.getStatus() == null ? now : job.getStatus().getStartTime();
      JobStatus st;
      if (code != 0 && Boolean.TRUE.equals(job.getSpec().getSuspend())) {
        st =
            new JobStatusBuilder()
                .withActive(0)
                .withStartTime(start)
                .withConditions(
                    new JobConditionBuilder()
                        .withType("Suspended")
                        .withStatus("True")
                        .withReason("JobSuspended")
                        .build())
                .build();
      } else if (code == 0) {
        st =
            new JobStatusBuilder()
                .withActive(0)
                .withSucceeded(1)
                .withStartTime(start)
                .withCompletionTime(now)
                .withConditions(
                    new JobConditionBuilder().withType("Complete").withStatus("True").build())
                .build();
      } else {
        st =
            new JobStatusBuilder()
                .withActive(0)
                .withFailed(1)
                .withStartTime(start)
                .withConditions(
                    new JobConditionBuilder()
                        .withType("Failed")
                        .withStatus("True")
                        .withReason("BackoffLimitExceeded")
                        .build())
                .build();
      }
      jobStatus(ns, name, st);
      finishedAt.put(name, System.nanoTime());
    } catch (Exception e) {
      e.printStackTrace();
    }
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

  @Override
  public void close() throws InterruptedException {
    watch.close();
    running.values().forEach(Process::destroyForcibly);
    pool.shutdownNow();
    pool.awaitTermination(5, TimeUnit.SECONDS);
  }
}
