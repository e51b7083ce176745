package dev.midas.operator.observer;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import java.util.Optional;

/**
 * What a stage Job's status says, reduced to what the reconciler acts on. A suspended Job is one a
 * queue holds (Kueue suspends every Job with its queue label until it admits it, and suspends an
 * admitted one to preempt it): the operator never suspends Jobs itself, it deletes them.
 *
 * @param reason the reason of the condition that decided the phase (e.g. DeadlineExceeded,
 *     PodFailurePolicy, BackoffLimitExceeded), when there is one
 * @param message that condition's message
 */
public record JobState(
    String name,
    Phase phase,
    Optional<String> reason,
    Optional<String> message,
    Optional<String> startTime,
    Optional<String> completionTime) {

  /** Where a Job stands. */
  public enum Phase {
    /** Admitted: its pod is pending or running. */
    Active,
    /** Suspended by its queue: waiting for admission, or preempted and waiting again. */
    Queued,
    /**
     * {@code FailureTarget}: the Job will fail, but its pod is still terminating (and may still be
     * writing a checkpoint); the final {@code Failed} condition follows once it is gone.
     */
    Failing,
    Succeeded,
    Failed
  }

  public static JobState of(Job job) {
    var status = job.getStatus();
    Phase phase = Phase.Active;
    JobCondition decisive = null;
    if (status != null && status.getConditions() != null) {
      for (JobCondition c : status.getConditions()) {
        if (!"True".equals(c.getStatus())) {
          continue;
        }
        switch (c.getType()) {
          case "Complete", "SuccessCriteriaMet" -> {
            phase = Phase.Succeeded;
            decisive = c;
          }
          case "Failed" -> {
            phase = Phase.Failed;
            decisive = c;
          }
          case "FailureTarget" -> {
            if (phase != Phase.Failed && phase != Phase.Succeeded) {
              phase = Phase.Failing;
              decisive = c;
            }
          }
          default -> {}
        }
      }
    }
    if (phase == Phase.Active && Boolean.TRUE.equals(job.getSpec().getSuspend())) {
      phase = Phase.Queued;
    }
    JobCondition d = decisive;
    return new JobState(
        job.getMetadata().getName(),
        phase,
        Optional.ofNullable(d == null ? null : d.getReason()),
        Optional.ofNullable(d == null ? null : d.getMessage()),
        Optional.ofNullable(status == null ? null : status.getStartTime()),
        Optional.ofNullable(status == null ? null : status.getCompletionTime()));
  }

  /** Whether the Job failed because it ran past {@code activeDeadlineSeconds}. */
  public boolean deadlineExceeded() {
    return reason.filter("DeadlineExceeded"::equals).isPresent();
  }
}
