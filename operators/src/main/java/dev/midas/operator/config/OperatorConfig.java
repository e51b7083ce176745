package dev.midas.operator.config;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the operator is configured with, read once at start-up ({@link #fromEnv}) and passed
 * down: no component reads the environment itself.
 *
 * @param stageImage stage-runner image for experiments that name none
 * @param defaultStorageRoot object-store root for experiments that name none
 * @param defaultStorageEndpoint S3 endpoint that goes with the default root (path-style)
 * @param workloadServiceAccount service account of stage pods (no API access)
 * @param pollInterval how often a running experiment's heartbeat and manifests are read
 * @param terminationGracePeriodSeconds time a stage pod gets to checkpoint after SIGTERM
 * @param metricsPort port of /metrics, /healthz and /readyz
 */
public record OperatorConfig(
    String stageImage,
    Optional<String> defaultStorageRoot,
    Optional<String> defaultStorageEndpoint,
    String workloadServiceAccount,
    Duration pollInterval,
    long terminationGracePeriodSeconds,
    int metricsPort) {

  public static final String DEFAULT_STAGE_IMAGE = "ghcr.io/midas-dev/midas-stage-runner:latest";

  public static OperatorConfig defaults() {
    return new OperatorConfig(
        DEFAULT_STAGE_IMAGE,
        Optional.empty(),
        Optional.empty(),
        "midas-workload",
        Duration.ofSeconds(15),
        300,
        8080);
  }

  /** Reads {@code MIDAS_*} variables; anything unset keeps its default. */
  public static OperatorConfig fromEnv(Map<String, String> env) {
    OperatorConfig d = defaults();
    return new OperatorConfig(
        env.getOrDefault("MIDAS_STAGE_IMAGE", d.stageImage()),
        Optional.ofNullable(env.get("MIDAS_DEFAULT_STORAGE_ROOT")).filter(s -> !s.isBlank()),
        Optional.ofNullable(env.get("MIDAS_DEFAULT_STORAGE_ENDPOINT")).filter(s -> !s.isBlank()),
        env.getOrDefault("MIDAS_WORKLOAD_SERVICE_ACCOUNT", d.workloadServiceAccount()),
        Duration.ofSeconds(
            Long.parseLong(
                env.getOrDefault(
                    "MIDAS_POLL_SECONDS", Long.toString(d.pollInterval().toSeconds())))),
        Long.parseLong(
            env.getOrDefault(
                "MIDAS_TERMINATION_GRACE_SECONDS",
                Long.toString(d.terminationGracePeriodSeconds()))),
        Integer.parseInt(
            env.getOrDefault("MIDAS_METRICS_PORT", Integer.toString(d.metricsPort()))));
  }
}
