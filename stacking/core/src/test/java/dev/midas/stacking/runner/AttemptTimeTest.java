package dev.midas.stacking.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.protobuf.util.JsonFormat;
import dev.midas.plan.layout.RunLayout;
import dev.midas.proto.Heartbeat;
import dev.midas.proto.StageResult;
import dev.midas.run.RunReader;
import dev.midas.store.FileObjectStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A stage's earlier attempts are part of what the method cost. */
class AttemptTimeTest {
  private static final RunLayout RUN = new RunLayout("exp", "u-1");
  @TempDir Path dir;

  private RunReader runs() throws Exception {
    return new RunReader(new FileObjectStore(dir));
  }

  private void put(String key, com.google.protobuf.MessageOrBuilder m) throws Exception {
    new FileObjectStore(dir)
        .put(key, JsonFormat.printer().print(m).getBytes(StandardCharsets.UTF_8));
  }

  private void secondAttemptPreemptedAfter10Of30Seconds() throws Exception {
    put(
        RUN.resultKey(2),
        StageResult.newBuilder()
            .setWallSeconds(10)
            .setAttemptsWallSeconds(30)
            .setAttemptStartedMillis(50_000));
  }

  @Test
  void aFirstAttemptHasNoEarlierTime() throws Exception {
    assertThat(AttemptTime.earlierSeconds(runs(), RUN, 2)).isZero();
  }

  @Test
  void aPreemptedAttemptCountsWithEveryAttemptBeforeIt() throws Exception {
    // The second attempt was preempted after 10 s; with the first, 30 s so far. Its own last
    // heartbeat is already counted in its result.
    secondAttemptPreemptedAfter10Of30Seconds();
    put(
        RUN.heartbeatKey(2),
        Heartbeat.newBuilder().setAttemptStartedMillis(50_000).setUpdatedAtMillis(59_000));

    assertThat(AttemptTime.earlierSeconds(runs(), RUN, 2)).isCloseTo(30, within(1e-9));
  }

  @Test
  void aKilledAttemptThatLeftNoResultCountsTheSpanOfItsHeartbeats() throws Exception {
    secondAttemptPreemptedAfter10Of30Seconds();
    // A third attempt started at 70 s and was killed; its last heartbeat was at 82.5 s.
    put(
        RUN.heartbeatKey(2),
        Heartbeat.newBuilder().setAttemptStartedMillis(70_000).setUpdatedAtMillis(82_500));

    assertThat(AttemptTime.earlierSeconds(runs(), RUN, 2)).isCloseTo(42.5, within(1e-9));
  }
}
