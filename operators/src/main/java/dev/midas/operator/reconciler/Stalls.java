package dev.midas.operator.reconciler;

import dev.midas.operator.api.StackingExperiment;
import dev.midas.operator.api.status.ExperimentStatus;
import dev.midas.operator.api.status.StageStatus;
import dev.midas.operator.events.ConditionReason;
import dev.midas.operator.events.EventRecorder;
import dev.midas.operator.events.Reason;
import dev.midas.operator.lifecycle.Conditions;
import dev.midas.operator.observer.StagePods;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Notices a running stage that makes no progress and says why with the Stalled condition and a
 * Warning event: a pod that has not started within the pending timeout (with Kubernetes' reason),
 * or a heartbeat older than the heartbeat timeout. The pods are only read when the heartbeat is not
 * fresh, so a healthy stage costs no API request.
 */
final class Stalls {
  private final KubernetesClient client;
  private final EventRecorder events;
  private final Clock clock;
  private final Duration pendingTimeout;
  private final Duration heartbeatTimeout;

  Stalls(
      KubernetesClient client,
      EventRecorder events,
      Clock clock,
      Duration pendingTimeout,
      Duration heartbeatTimeout) {
    this.client = client;
    this.events = events;
    this.clock = clock;
    this.pendingTimeout = pendingTimeout;
    this.heartbeatTimeout = heartbeatTimeout;
  }

  /** Checks stage {@code s}, admitted and not finished, whose attempt started at {@code since}. */
  void check(StackingExperiment exp, ExperimentStatus st, int s, Instant since) {
    StageStatus ss = st.stages.get(s - 1);
    Instant now = clock.instant();
    Optional<Instant> beat =
        Optional.ofNullable(st.heartbeat)
            .filter(h -> h.stage != null && h.stage == s && h.updatedAt != null)
            .map(h -> Instant.parse(h.updatedAt))
            .filter(t -> !t.isBefore(since));
    if (beat.isPresent() && Duration.between(beat.get(), now).compareTo(heartbeatTimeout) <= 0) {
      progressing(exp, st, s);
      return;
    }
    Optional<String[]> stuck =
        StagePods.of(client, exp.getMetadata().getNamespace(), ss.jobName).notStartedBecause();
    if (stuck.isPresent()) {
      if (Duration.between(since, now).compareTo(pendingTimeout) > 0) {
        stalled(
            exp,
            st,
            ConditionReason.ofPod(stuck.get()[0]),
            "stage "
                + s
                + " pod of Job "
                + ss.jobName
                + " has not started in "
                + Duration.between(since, now).toSeconds()
                + " s: "
                + stuck.get()[0]
                + ": "
                + stuck.get()[1]);
      }
      return;
    }
    Instant last = beat.orElse(since);
    if (Duration.between(last, now).compareTo(heartbeatTimeout) > 0) {
      stalled(
          exp,
          st,
          ConditionReason.HeartbeatStale,
          "stage "
              + s
              + (beat.isPresent()
                  ? " last wrote its heartbeat at " + last
                  : " has written no heartbeat")
              + ", "
              + Duration.between(last, now).toSeconds()
              + " s ago (more than "
              + heartbeatTimeout.toSeconds()
              + " s); its pod runs but does not report progress");
    }
  }

  /** The stage is not running any more (or runs fine): no stall to report. */
  void progressing(StackingExperiment exp, ExperimentStatus st, int s) {
    if (Conditions.isTrue(st.conditions, Conditions.STALLED)) {
      events.record(exp, Reason.StageProgressing, "stage " + s + " makes progress again");
    }
    Conditions.clear(
        st.conditions,
        Conditions.STALLED,
        ConditionReason.Progressing,
        exp.getMetadata().getGeneration(),
        clock.instant());
  }

  private void stalled(
      StackingExperiment exp, ExperimentStatus st, ConditionReason reason, String message) {
    boolean fresh =
        st.conditions.stream()
            .noneMatch(
                c ->
                    Conditions.STALLED.equals(c.getType())
                        && "True".equals(c.getStatus())
                        && reason.name().equals(c.getReason()));
    Conditions.set(
        st.conditions,
        Conditions.STALLED,
        true,
        reason,
        message,
        exp.getMetadata().getGeneration(),
        clock.instant());
    if (fresh) {
      events.record(exp, Reason.StageStalled, message);
    }
  }
}
