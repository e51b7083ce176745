package dev.midas.operator.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midas.operator.api.StackingExperiment;
import dev.midas.operator.api.status.StageStatus;
import dev.midas.operator.testing.Await;
import dev.midas.operator.testing.FakeRunnerCluster;
import dev.midas.operator.testing.OperatorHarness;
import dev.midas.plan.layout.RunLayout;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * How an attempt ends, as Kubernetes says it: a Job past {@code stageDeadlineSeconds} first gets
 * FailureTarget while its pod still checkpoints, and only its final Failed condition and the pod's
 * exit end the attempt, which counts as a failure (reason DeadlineExceeded, never a preemption); an
 * evicted pod (DisruptionTarget) is ignored by the Job's podFailurePolicy, whose next pod resumes
 * from the checkpoint; a bad-spec exit fails the Job at once through the same policy.
 */
class StageEndTest {
  @RegisterExtension
  static final FakeRunnerCluster CLUSTER =
      new FakeRunnerCluster(
          Map.of(
              "FAKE_STEP_MILLIS", "40",
              "FAKE_TERM_MILLIS", "1000",
              "FAKE_EXIT", "bad-exit:1:2"));

  static OperatorHarness cluster;

  @BeforeAll
  static void start() {
    cluster = CLUSTER.get();
  }

  @Test
  void failureTargetOfAStagePastItsDeadlineWaitsForThePodsExitAndCountsAsAFailure()
      throws Exception {
    StackingExperiment exp =
        OperatorHarness.experiment("/experiments/three-stage.yaml", "deadline", "late");
    exp.getSpec().stageDeadlineSeconds = 3L;
    exp.getSpec().schedule.totalSteps = 1200L;
    exp.getSpec().retry.limit = 1;
    cluster.create(exp);

    // While the Job says FailureTarget and not yet Failed (its pod checkpoints for 1 s), the
    // attempt has not ended: the experiment read before that Job shows no failure counted.
    Await.until(
        Duration.ofSeconds(30),
        () -> {
          StackingExperiment before = cluster.get("deadline", "late");
          Job job =
              cluster
                  .client()
                  .batch()
                  .v1()
                  .jobs()
                  .inNamespace("deadline")
                  .withName("late-s01-a1")
                  .get();
          if (!has(job, "FailureTarget") || has(job, "Failed")) {
            return false;
          }
          StageStatus s1 = before.getStatus().stages.get(0);
          assertThat(s1.failures == null ? 0 : s1.failures).isZero();
          assertThat(s1.attempts).isEqualTo(1);
          assertThat(s1.phase).isEqualTo("Running");
          return true;
        },
        () -> "late-s01-a1 never showed FailureTarget without Failed");

    StackingExperiment failed =
        cluster.awaitPhase("deadline", "late", "Failed", Duration.ofSeconds(60));

    StageStatus stage1 = failed.getStatus().stages.get(0);
    assertThat(stage1.attempts).isEqualTo(2);
    assertThat(stage1.failures).as("a deadline is a failure, not a preemption").isEqualTo(2);
    assertThat(stage1.lastExitCode)
        .as("the pod's own exit code (6, stopped on SIGTERM), never -1")
        .isEqualTo(6);
    assertThat(stage1.lastFailure).contains("ran past stageDeadlineSeconds 3");
    assertThat(stage1.resumeManifest)
        .as("the second attempt resumed from the checkpoint the first committed on SIGTERM")
        .contains("/stages/stage-01/ckpt/step-");
    long a1Ended = cluster.kubelet().finishedAt().get("late-s01-a1");
    long a2Seen = cluster.kubelet().seenAt().get("late-s01-a2");
    assertThat(a2Seen)
        .as("attempt 2 was created only after attempt 1's pod had exited")
        .isGreaterThan(a1Ended);
    assertThat(reasonOf("deadline", "late-s01-a1")).isEqualTo("DeadlineExceeded");
  }

  @Test
  void evictedPodIsIgnoredAndTheJobsNextPodResumesFromTheCheckpoint() throws Exception {
    StackingExperiment exp =
        cluster.create(
            OperatorHarness.experiment("/experiments/three-stage.yaml", "evict", "evicted"));
    RunLayout run = new RunLayout("evicted", exp.getMetadata().getUid());
    cluster.awaitCheckpoint(run, 3, 70, Duration.ofSeconds(60));

    cluster.kubelet().evict("evicted-s03-a1");
    StackingExperiment done =
        cluster.awaitPhase("evict", "evicted", "Succeeded", Duration.ofSeconds(60));

    StageStatus stage3 = done.getStatus().stages.get(2);
    assertThat(stage3.attempts).isEqualTo(1);
    assertThat(stage3.failures).isZero();
    assertThat(cluster.kubelet().launched()).filteredOn("evicted-s03-a1"::equals).hasSize(2);
    assertThat(cluster.manifest(stage3.finalManifest).getParentManifest())
        .contains("/stages/stage-03/ckpt/step-");
  }

  @Test
  void badSpecExitFailsTheJobThroughItsPodFailurePolicy() {
    cluster.create(OperatorHarness.experiment("/experiments/three-stage.yaml", "fast", "bad-exit"));

    StackingExperiment failed =
        cluster.awaitPhase("fast", "bad-exit", "Failed", Duration.ofSeconds(60));

    assertThat(failed.getStatus().stages.get(0).lastExitCode).isEqualTo(2);
    assertThat(failed.getStatus().stages.get(0).attempts).isEqualTo(1);
    assertThat(reasonOf("fast", "bad-exit-s01-a1")).isEqualTo("PodFailurePolicy");
  }

  private static boolean has(Job job, String condition) {
    return job != null
        && job.getStatus() != null
        && job.getStatus().getConditions() != null
        && job.getStatus().getConditions().stream()
            .anyMatch(c -> condition.equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static String reasonOf(String ns, String job) {
    return cluster
        .client()
        .batch()
        .v1()
        .jobs()
        .inNamespace(ns)
        .withName(job)
        .get()
        .getStatus()
        .getConditions()
        .stream()
        .filter(c -> "Failed".equals(c.getType()))
        .map(JobCondition::getReason)
        .findFirst()
        .orElse(null);
  }
}
