package dev.midas.operator.observer;

import dev.midas.plan.exit.ExitClass;
import java.util.Optional;

/**
 * How a failed attempt (a stage's or a LAG candidate's) ended, classified in one place from what
 * Kubernetes says, before the plan's exit-class table decides whether it is retried:
 *
 * <ul>
 *   <li>the Job ran past its {@code activeDeadlineSeconds} (reason DeadlineExceeded): the table has
 *       no row for a deadline, so it is a counted, retried failure, as {@link ExitClass#TRANSIENT},
 *       whatever the pod exited with when SIGTERM stopped it;
 *   <li>the pod carried {@code DisruptionTarget} (preempted by priority, drained, evicted): stopped
 *       by the cluster, not by the stage, so resumed at once and not counted, as {@link
 *       ExitClass#PREEMPTED};
 *   <li>otherwise the pod's own exit code, through the table.
 * </ul>
 *
 * Only called once the Job has its final Failed condition and none of its pods is alive, so the
 * exit code is the pod's, never a guess.
 *
 * @param exitCode the newest finished pod's exit code; -1 when no pod exit is known
 * @param why what went wrong, in the user's terms
 */
public record AttemptEnd(ExitClass exitClass, int exitCode, String why) {

  /**
   * @param deadline the field that set the Job's deadline and its value, e.g. {@code
   *     "stageDeadlineSeconds 3600"}
   */
  public static AttemptEnd of(JobState job, StagePods pods, String deadline) {
    Optional<PodExit> exit = pods.lastExit();
    int code = exit.map(PodExit::exitCode).orElse(-1);
    if (job.deadlineExceeded()) {
      return new AttemptEnd(
          ExitClass.TRANSIENT,
          code,
          "ran past "
              + deadline
              + " (Job "
              + job.name()
              + ": "
              + job.message().orElse("DeadlineExceeded")
              + ")");
    }
    if (exit.map(PodExit::disrupted).orElse(false)) {
      return new AttemptEnd(
          ExitClass.PREEMPTED, code, "pod disrupted by Kubernetes (DisruptionTarget)");
    }
    String podMessage = exit.map(PodExit::message).filter(m -> !m.isBlank()).orElse("");
    return new AttemptEnd(
        ExitClass.of(code),
        code,
        !podMessage.isEmpty()
            ? podMessage
            : "Job "
                + job.name()
                + " failed"
                + job.reason().map(r -> " (" + r + ")").orElse("")
                + job.message().map(m -> ": " + m).orElse(""));
  }
}
