package dev.midas.operator.observer;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import java.util.Optional;

/** What a stage Job's status says, reduced to what the reconciler acts on. */
public record JobState(
    String name, Phase phase, Optional<String> startTime, Optional<String> completionTime) {

  /** Where a Job stands. */
  public enum Phase {
    /** Created, pod pending or running. */
    Active,
    Succeeded,
    Failed,
    /** {@code spec.suspend} set and no pod left. */
    Suspended,
    /** {@code spec.suspend} set, pod still checkpointing. */
    Suspending
  }

  public static JobState of(Job job) {
    var status = job.getStatus();
    Phase phase = Phase.Active;
    if (status != null && status.getConditions() != null) {
      for (JobCondition c : status.getConditions()) {
        if (!"True".equals(c.getStatus())) {
          continue;
        }
        if ("Complete".equals(c.getType()) || "SuccessCriteriaMet".equals(c.getType())) {
          phase = Phase.Succeeded;
        } else if ("Failed".equals(c.getType()) || "FailureTarget".equals(c.getType())) {
          phase = Phase.Failed;
        }
      }
    }
    if (phase == Phase.Active && Boolean.TRUE.equals(job.getSpec().getSuspend())) {
      int active = status == null || status.getActive() == null ? 0 : status.getActive();
      int terminating =
          status == null || status.getTerminating() == null ? 0 : status.getTerminating();
      phase = active + terminating == 0 ? Phase.Suspended : Phase.Suspending;
    }
    return new JobState(
        job.getMetadata().getName(),
        phase,
        Optional.ofNullable(status == null ? null : status.getStartTime()),
        Optional.ofNullable(status == null ? null : status.getCompletionTime()));
  }
}
