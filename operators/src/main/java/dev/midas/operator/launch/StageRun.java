package dev.midas.operator.launch;

import java.util.List;

/**
 * One Job to launch: which stage, which attempt, the stage runner's arguments after the spec and
 * root, and the ConfigMap holding the spec it runs.
 */
public record StageRun(
    String jobName,
    int stage,
    int attempt,
    List<String> runnerArgs,
    String specConfigMap,
    String role) {

  public static final String ROLE_STAGE = "stage";
  public static final String ROLE_LAG = "lag";

  /** A run's evaluation: the stage image's {@code evaluate} entry point. */
  public static final String ROLE_EVALUATION = "evaluation";

  /** A sweep's comparison report: the stage image's {@code sweep-report} entry point. */
  public static final String ROLE_SWEEP_REPORT = "sweep-report";

  public StageRun {
    runnerArgs = List.copyOf(runnerArgs);
  }
}
