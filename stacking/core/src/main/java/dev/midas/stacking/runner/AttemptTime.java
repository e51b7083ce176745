package dev.midas.stacking.runner;

import dev.midas.plan.layout.RunLayout;
import dev.midas.proto.Heartbeat;
import dev.midas.proto.StageResult;
import dev.midas.run.RunReader;
import java.io.IOException;
import java.util.Optional;

/**
 * The wall clock a stage's earlier attempts took, so that a method's cost includes the time lost to
 * preemption and failures: the last result's running total, plus, when the last attempt died
 * without a result (killed), the span its heartbeats covered (up to one heartbeat period short).
 */
final class AttemptTime {
  private AttemptTime() {}

  static double earlierSeconds(RunReader runs, RunLayout run, int stage) throws IOException {
    Optional<StageResult> prior = runs.result(run, stage);
    double seconds =
        prior
            .map(
                r ->
                    r.getAttemptsWallSeconds() > 0
                        ? r.getAttemptsWallSeconds()
                        : r.getWallSeconds())
            .orElse(0.0);
    long resultAttempt = prior.map(StageResult::getAttemptStartedMillis).orElse(0L);
    Optional<Heartbeat> beat = runs.heartbeat(run, stage);
    if (beat.isPresent()
        && beat.get().getAttemptStartedMillis() > 0
        && beat.get().getAttemptStartedMillis() != resultAttempt) {
      seconds +=
          Math.max(0, beat.get().getUpdatedAtMillis() - beat.get().getAttemptStartedMillis())
              / 1000.0;
    }
    return seconds;
  }
}
