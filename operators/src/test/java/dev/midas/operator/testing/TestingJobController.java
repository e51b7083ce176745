package dev.midas.operator.testing;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyOnExitCodesRequirement;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyRule;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What Kubernetes' Job controller writes into a Job's status when one of its pods ends, for the
 * cases stage Jobs meet: success, a failure counted against {@code backoffLimit}, the first
 * matching {@code podFailurePolicy} rule (Ignore: another pod; FailJob: fail now), a suspension,
 * and {@code activeDeadlineSeconds} (a {@code FailureTarget} while the pod terminates, then {@code
 * Failed}, both with reason DeadlineExceeded).
 */
final class TestingJobController {
  /** What happens after a pod of a Job ended. */
  enum After {
    /** The Job is finished (Complete or Failed). */
    FINISHED,
    /** Another pod is due (an ignored failure). */
    NEW_POD,
    /** Nothing until the Job changes (suspended). */
    IDLE
  }

  record Decision(JobStatus status, After after) {}

  private TestingJobController() {}

  /**
   * @param failedPods pods of this Job that failed and counted so far (before this one)
   * @param disrupted whether the pod carried a DisruptionTarget condition
   * @param deadlineHit whether the Job ran past activeDeadlineSeconds before the pod ended
   */
  static Decision podEnded(
      Job job,
      String podName,
      int exitCode,
      boolean disrupted,
      boolean deadlineHit,
      int failedPods) {
    String now = Instant.now().toString();
    String start =
        job.getStatus() == null || job.getStatus().getStartTime() == null
            ? now
            : job.getStatus().getStartTime();
    JobStatusBuilder st = new JobStatusBuilder().withActive(0).withStartTime(start);
    if (deadlineHit) {
      return failed(st, failedPods + 1, "DeadlineExceeded", "Job was active longer than specified");
    }
    if (exitCode == 0) {
      return new Decision(
          st.withSucceeded(1)
              .withCompletionTime(now)
              .withConditions(condition("Complete", null, null))
              .build(),
          After.FINISHED);
    }
    if (Boolean.TRUE.equals(job.getSpec().getSuspend())) {
      return new Decision(
          st.withConditions(condition("Suspended", "JobSuspended", "Job suspended")).build(),
          After.IDLE);
    }
    List<PodFailurePolicyRule> rules =
        job.getSpec().getPodFailurePolicy() == null
            ? List.of()
            : job.getSpec().getPodFailurePolicy().getRules();
    for (int i = 0; i < rules.size(); i++) {
      PodFailurePolicyRule r = rules.get(i);
      if (!matches(r, exitCode, disrupted)) {
        continue;
      }
      switch (r.getAction()) {
        case "Ignore":
          return new Decision(st.withFailed(failedPods).build(), After.NEW_POD);
        case "FailJob":
          return failed(
              st,
              failedPods + 1,
              "PodFailurePolicy",
              "Container stage for pod "
                  + podName
                  + " failed with exit code "
                  + exitCode
                  + " matching FailJob rule at index "
                  + i);
        default:
          break;
      }
      break;
    }
    int backoffLimit =
        job.getSpec().getBackoffLimit() == null ? 6 : job.getSpec().getBackoffLimit();
    if (failedPods + 1 > backoffLimit) {
      return failed(
          st,
          failedPods + 1,
          "BackoffLimitExceeded",
          "Job has reached the specified backoff limit");
    }
    return new Decision(st.withFailed(failedPods + 1).build(), After.NEW_POD);
  }

  /** The FailureTarget condition the Job controller adds as soon as it decides the Job fails. */
  static JobCondition failureTarget(String reason, String message) {
    return condition("FailureTarget", reason, message);
  }

  private static Decision failed(JobStatusBuilder st, int failed, String reason, String message) {
    List<JobCondition> conditions = new ArrayList<>();
    conditions.add(failureTarget(reason, message));
    conditions.add(condition("Failed", reason, message));
    return new Decision(st.withFailed(failed).withConditions(conditions).build(), After.FINISHED);
  }

  private static boolean matches(PodFailurePolicyRule r, int exitCode, boolean disrupted) {
    if (r.getOnPodConditions() != null && !r.getOnPodConditions().isEmpty()) {
      return disrupted
          && r.getOnPodConditions().stream().anyMatch(c -> "DisruptionTarget".equals(c.getType()));
    }
    PodFailurePolicyOnExitCodesRequirement codes = r.getOnExitCodes();
    if (codes == null) {
      return false;
    }
    boolean in = codes.getValues().contains(exitCode);
    return "In".equals(codes.getOperator()) ? in : !in && exitCode != 0;
  }

  private static JobCondition condition(String type, String reason, String message) {
    return new JobConditionBuilder()
        .withType(type)
        .withStatus("True")
        .withReason(reason)
        .withMessage(message)
        .withLastTransitionTime(Instant.now().toString())
        .build();
  }
}
