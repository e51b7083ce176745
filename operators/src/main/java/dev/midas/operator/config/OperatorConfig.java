package dev.midas.operator.config;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the operator is configured with, read once at start-up ({@link #fromEnv}) and passed
 * down: no component reads the environment itself. {@link #builder()} starts from the defaults.
 *
 * @param stageImage stage-runner image for experiments that name none
 * @param defaultStorageRoot object-store root for experiments that name none
 * @param defaultStorageEndpoint S3 endpoint that goes with the default root (path-style)
 * @param workloadServiceAccount service account of stage pods (no API access)
 * @param pollInterval how often a running experiment's heartbeat and manifests are read
 * @param terminationGracePeriodSeconds time a stage pod gets to checkpoint after SIGTERM
 * @param metricsPort port of /metrics, /healthz and /readyz
 * @param retryInitialInterval first wait after a reconcile failed (an unreachable store, an API
 *     error); it doubles with each failure in a row
 * @param retryMaxInterval the longest wait between retries of a failing reconcile
 * @param pendingTimeout how long a stage pod may wait to start (no node, an image it cannot pull, a
 *     missing Secret) before the experiment gets a Stalled condition saying why
 * @param heartbeatTimeout how old a running stage's heartbeat may get before the experiment gets a
 *     Stalled condition (the stage runner writes one every 15 s)
 * @param leaseNamespace where the leader-election Lease lives; empty: no election (one replica)
 * @param identity this replica's name in the Lease (the pod name)
 * @param leaseDuration how long a Lease holds without renewal before another replica takes over
 * @param exitOnLostLease whether a replica that loses the Lease exits (so it restarts as a clean
 *     follower); tests that run two replicas in one JVM keep them
 * @param watchNamespaces the namespaces whose experiments and sweeps this operator runs; empty: all
 * @param allowedImages images experiments may ask for ({@code resources.image}): exact names, or
 *     prefixes ending in {@code *}; empty: only the operator's stage image
 * @param allowedPriorityClasses priority classes experiments may ask for; empty: none
 * @param allowedNodeSelectors node-selector labels experiments may ask for: {@code key} (any value)
 *     or {@code key=value}; empty: none
 * @param jobTtl how long a finished stage Job (and its pod, with its logs) stays before Kubernetes'
 *     TTL controller deletes it ({@code ttlSecondsAfterFinished}); the store keeps the results
 * @param credentialsTtl how long credentials read from an experiment's Secret are used before the
 *     Secret is read again, and how long the operator waits before asking again for a Secret it was
 *     forbidden to read (never sooner, whatever wakes the experiment)
 * @param serviceAccount the operator's own service account, {@code namespace:name}, as a {@code
 *     kubectl create rolebinding --serviceaccount} names it in the messages that ask for one
 */
public record OperatorConfig(
    String stageImage,
    Optional<String> defaultStorageRoot,
    Optional<String> defaultStorageEndpoint,
    String workloadServiceAccount,
    Duration pollInterval,
    long terminationGracePeriodSeconds,
    int metricsPort,
    Duration retryInitialInterval,
    Duration retryMaxInterval,
    Duration pendingTimeout,
    Duration heartbeatTimeout,
    Optional<String> leaseNamespace,
    String identity,
    Duration leaseDuration,
    boolean exitOnLostLease,
    java.util.Set<String> watchNamespaces,
    java.util.List<String> allowedImages,
    java.util.List<String> allowedPriorityClasses,
    java.util.List<String> allowedNodeSelectors,
    Duration jobTtl,
    Duration credentialsTtl,
    String serviceAccount) {

  /** The GPU stage-runner image of this very version (the stage-runner image pom builds it). */
  public static final String DEFAULT_STAGE_IMAGE =
      "ghcr.io/midas-dev/midas-stage-runner:" + Version.PROJECT + "-cuda";

  public static OperatorConfig defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Whether {@code root} with {@code storage}'s endpoint is this operator's default store, which it
   * reads with its own credentials; any other store is the experiment's own.
   */
  public boolean isDefaultStore(String root, dev.midas.plan.spec.ResolvedSpec.Storage storage) {
    return defaultStorageRoot
            .map(d -> d.replaceAll("/+$", "").equals(root.replaceAll("/+$", "")))
            .orElse(false)
        && storage.endpoint().equals(defaultStorageEndpoint);
  }

  /** A builder holding this configuration, to change a few values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.stageImage = stageImage;
    b.defaultStorageRoot = defaultStorageRoot;
    b.defaultStorageEndpoint = defaultStorageEndpoint;
    b.workloadServiceAccount = workloadServiceAccount;
    b.pollInterval = pollInterval;
    b.terminationGracePeriodSeconds = terminationGracePeriodSeconds;
    b.metricsPort = metricsPort;
    b.retryInitialInterval = retryInitialInterval;
    b.retryMaxInterval = retryMaxInterval;
    b.pendingTimeout = pendingTimeout;
    b.heartbeatTimeout = heartbeatTimeout;
    b.leaseNamespace = leaseNamespace;
    b.identity = identity;
    b.leaseDuration = leaseDuration;
    b.exitOnLostLease = exitOnLostLease;
    b.watchNamespaces = watchNamespaces;
    b.allowedImages = allowedImages;
    b.allowedPriorityClasses = allowedPriorityClasses;
    b.allowedNodeSelectors = allowedNodeSelectors;
    b.jobTtl = jobTtl;
    b.credentialsTtl = credentialsTtl;
    b.serviceAccount = serviceAccount;
    return b;
  }

  /** Reads {@code MIDAS_*} variables; anything unset keeps its default. */
  public static OperatorConfig fromEnv(Map<String, String> env) {
    EnvReader e = new EnvReader(env);
    OperatorConfig d = defaults();
    return builder()
        .stageImage(e.string("MIDAS_STAGE_IMAGE", d.stageImage()))
        .defaultStorageRoot(e.optional("MIDAS_DEFAULT_STORAGE_ROOT"))
        .defaultStorageEndpoint(e.optional("MIDAS_DEFAULT_STORAGE_ENDPOINT"))
        .workloadServiceAccount(
            e.string("MIDAS_WORKLOAD_SERVICE_ACCOUNT", d.workloadServiceAccount()))
        .pollInterval(e.seconds("MIDAS_POLL_SECONDS", d.pollInterval()))
        .terminationGracePeriodSeconds(
            e.seconds("MIDAS_TERMINATION_GRACE_SECONDS", Duration.ofSeconds(300)).toSeconds())
        .metricsPort((int) e.number("MIDAS_METRICS_PORT", d.metricsPort()))
        .retryInitialInterval(e.seconds("MIDAS_RETRY_INITIAL_SECONDS", d.retryInitialInterval()))
        .retryMaxInterval(e.seconds("MIDAS_RETRY_MAX_SECONDS", d.retryMaxInterval()))
        .pendingTimeout(e.seconds("MIDAS_PENDING_TIMEOUT_SECONDS", d.pendingTimeout()))
        .heartbeatTimeout(e.seconds("MIDAS_HEARTBEAT_TIMEOUT_SECONDS", d.heartbeatTimeout()))
        .leaseNamespace(e.optional("MIDAS_LEASE_NAMESPACE"))
        .identity(e.string("POD_NAME", e.string("HOSTNAME", d.identity())))
        .leaseDuration(e.seconds("MIDAS_LEASE_SECONDS", d.leaseDuration()))
        .watchNamespaces(java.util.Set.copyOf(e.list("MIDAS_WATCH_NAMESPACES")))
        .allowedImages(e.list("MIDAS_ALLOWED_IMAGES"))
        .allowedPriorityClasses(e.list("MIDAS_ALLOWED_PRIORITY_CLASSES"))
        .allowedNodeSelectors(e.list("MIDAS_ALLOWED_NODE_SELECTORS"))
        .jobTtl(e.seconds("MIDAS_JOB_TTL_SECONDS", d.jobTtl()))
        .credentialsTtl(e.seconds("MIDAS_CREDENTIALS_TTL_SECONDS", d.credentialsTtl()))
        .serviceAccount(
            e.string("MIDAS_OPERATOR_NAMESPACE", "midas-system")
                + ":"
                + e.string("MIDAS_OPERATOR_SERVICE_ACCOUNT", "midas-operator"))
        .build();
  }

  /** Collects values, starting from the defaults. */
  public static final class Builder {
    private String stageImage = DEFAULT_STAGE_IMAGE;
    private Optional<String> defaultStorageRoot = Optional.empty();
    private Optional<String> defaultStorageEndpoint = Optional.empty();
    private String workloadServiceAccount = "midas-workload";
    private Duration pollInterval = Duration.ofSeconds(15);
    private long terminationGracePeriodSeconds = 300;
    private int metricsPort = 8080;
    private Duration retryInitialInterval = Duration.ofSeconds(2);
    private Duration retryMaxInterval = Duration.ofMinutes(5);
    private Duration pendingTimeout = Duration.ofMinutes(10);
    private Duration heartbeatTimeout = Duration.ofMinutes(5);
    private Optional<String> leaseNamespace = Optional.empty();
    private String identity = "midas-operator";
    private Duration leaseDuration = Duration.ofSeconds(15);
    private boolean exitOnLostLease = true;
    private java.util.Set<String> watchNamespaces = java.util.Set.of();
    private java.util.List<String> allowedImages = java.util.List.of();
    private java.util.List<String> allowedPriorityClasses = java.util.List.of();
    private java.util.List<String> allowedNodeSelectors = java.util.List.of();
    private Duration jobTtl = Duration.ofDays(1);
    private Duration credentialsTtl = Duration.ofMinutes(10);
    private String serviceAccount = "midas-system:midas-operator";

    private Builder() {}

    public Builder stageImage(String v) {
      stageImage = v;
      return this;
    }

    public Builder defaultStorageRoot(Optional<String> v) {
      defaultStorageRoot = v;
      return this;
    }

    public Builder defaultStorageEndpoint(Optional<String> v) {
      defaultStorageEndpoint = v;
      return this;
    }

    public Builder workloadServiceAccount(String v) {
      workloadServiceAccount = v;
      return this;
    }

    public Builder pollInterval(Duration v) {
      pollInterval = v;
      return this;
    }

    public Builder terminationGracePeriodSeconds(long v) {
      terminationGracePeriodSeconds = v;
      return this;
    }

    public Builder metricsPort(int v) {
      metricsPort = v;
      return this;
    }

    public Builder retryInitialInterval(Duration v) {
      retryInitialInterval = v;
      return this;
    }

    public Builder retryMaxInterval(Duration v) {
      retryMaxInterval = v;
      return this;
    }

    public Builder pendingTimeout(Duration v) {
      pendingTimeout = v;
      return this;
    }

    public Builder heartbeatTimeout(Duration v) {
      heartbeatTimeout = v;
      return this;
    }

    public Builder leaseNamespace(Optional<String> v) {
      leaseNamespace = v;
      return this;
    }

    public Builder identity(String v) {
      identity = v;
      return this;
    }

    public Builder leaseDuration(Duration v) {
      leaseDuration = v;
      return this;
    }

    public Builder exitOnLostLease(boolean v) {
      exitOnLostLease = v;
      return this;
    }

    public Builder watchNamespaces(java.util.Set<String> v) {
      watchNamespaces = v;
      return this;
    }

    public Builder allowedImages(java.util.List<String> v) {
      allowedImages = java.util.List.copyOf(v);
      return this;
    }

    public Builder allowedPriorityClasses(java.util.List<String> v) {
      allowedPriorityClasses = java.util.List.copyOf(v);
      return this;
    }

    public Builder allowedNodeSelectors(java.util.List<String> v) {
      allowedNodeSelectors = java.util.List.copyOf(v);
      return this;
    }

    public Builder jobTtl(Duration v) {
      jobTtl = v;
      return this;
    }

    public Builder credentialsTtl(Duration v) {
      credentialsTtl = v;
      return this;
    }

    public Builder serviceAccount(String v) {
      serviceAccount = v;
      return this;
    }

    public OperatorConfig build() {
      return new OperatorConfig(
          stageImage,
          defaultStorageRoot,
          defaultStorageEndpoint,
          workloadServiceAccount,
          pollInterval,
          terminationGracePeriodSeconds,
          metricsPort,
          retryInitialInterval,
          retryMaxInterval,
          pendingTimeout,
          heartbeatTimeout,
          leaseNamespace,
          identity,
          leaseDuration,
          exitOnLostLease,
          watchNamespaces,
          allowedImages,
          allowedPriorityClasses,
          allowedNodeSelectors,
          jobTtl,
          credentialsTtl,
          serviceAccount);
    }
  }
}
