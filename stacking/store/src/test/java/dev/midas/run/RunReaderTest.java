package dev.midas.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.midas.checkpoint.CheckpointMeta;
import dev.midas.checkpoint.CheckpointStore;
import dev.midas.checkpoint.TrainStates;
import dev.midas.plan.layout.RunLayout;
import dev.midas.plan.schedule.Schedules;
import dev.midas.plan.schedule.StageSchedule;
import dev.midas.plan.stage.StageAction;
import dev.midas.plan.stage.StagePlanner;
import dev.midas.proto.CheckpointKind;
import dev.midas.proto.Heartbeat;
import dev.midas.proto.StageResult;
import dev.midas.store.ObjectStore;
import dev.midas.store.TestingObjectStore;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The one reader of run state: what the stage state machine reads ({@link StagePlanner}), and the
 * checkpoints, heartbeats, results and stage wall clocks the evaluator and the operator read.
 */
class RunReaderTest {
  private static final RunLayout RUN = new RunLayout("tiny", "u-1");
  private static final StageSchedule SCHEDULE = Schedules.explicit(List.of(10L, 20L));
  private final ObjectStore store = new TestingObjectStore();
  private final CheckpointStore ckpts = new CheckpointStore(store);
  private final RunReader runs = new RunReader(store);

  private URI save(int stage, CheckpointKind kind, long globalStep, long stageStep)
      throws Exception {
    return ckpts.save(
        RUN,
        stage,
        kind,
        TrainStates.random(globalStep, stage, globalStep, stageStep),
        CheckpointMeta.of(1));
  }

  private StageAction next() throws Exception {
    return StagePlanner.next(SCHEDULE.numStages(), runs.observe(RUN, SCHEDULE));
  }

  @Test
  void walksAStagedRunFromStartToDone() throws Exception {
    assertThat(next()).isEqualTo(new StageAction.Run(1, Optional.empty()));

    URI p1 = save(1, CheckpointKind.CHECKPOINT_KIND_PERIODIC, 5, 5);
    assertThat(next()).isEqualTo(new StageAction.Resume(1, p1.toString()));

    URI f1 = save(1, CheckpointKind.CHECKPOINT_KIND_STAGE_FINAL, 10, 10);
    assertThat(next()).isEqualTo(new StageAction.Resume(1, f1.toString()));

    URI g1 = save(1, CheckpointKind.CHECKPOINT_KIND_GROWN, 10, 0);
    assertThat(next()).isEqualTo(new StageAction.Run(2, Optional.of(g1.toString())));

    save(2, CheckpointKind.CHECKPOINT_KIND_STAGE_FINAL, 30, 20);
    assertThat(next()).isEqualTo(new StageAction.Done());
  }

  @Test
  void preemptedCheckpointAtTheStagesLastStepEndsTheStage() throws Exception {
    URI last = save(1, CheckpointKind.CHECKPOINT_KIND_PREEMPTED, 10, 10);

    assertThat(runs.observe(RUN, SCHEDULE).stage(1).finalCheckpoint()).contains(last.toString());
  }

  @Test
  void listsEveryCommittedCheckpointStageByStageInStepOrder() throws Exception {
    save(1, CheckpointKind.CHECKPOINT_KIND_PERIODIC, 5, 5);
    save(1, CheckpointKind.CHECKPOINT_KIND_STAGE_FINAL, 10, 10);
    save(1, CheckpointKind.CHECKPOINT_KIND_GROWN, 10, 0);
    save(2, CheckpointKind.CHECKPOINT_KIND_PERIODIC, 15, 5);
    store.put(RUN.checkpointPrefix(2, 20) + "params.bin", new byte[4]); // never committed

    assertThat(runs.allCheckpoints(RUN, 2))
        .extracting(c -> c.stage() + "@" + c.globalStep())
        .containsExactly("1@5", "1@10", "2@15");
  }

  @Test
  void readsHeartbeatsAndResultsAndTheStagesWallClocks() throws Exception {
    assertThat(runs.heartbeat(RUN, 1)).isEmpty();
    put(RUN.heartbeatKey(1), "{\"stage\": 1, \"globalStep\": \"7\"}");
    put(RUN.resultKey(1), "{\"stage\": 1, \"wallSeconds\": 12.5}");
    put(RUN.heartbeatKey(2), "{\"stage\": 2, \"glob"); // being overwritten

    assertThat(runs.heartbeat(RUN, 1).map(Heartbeat::getGlobalStep)).contains(7L);
    assertThat(runs.heartbeat(RUN, 2)).isEmpty();
    assertThat(runs.result(RUN, 1).map(StageResult::getWallSeconds)).contains(12.5);
    assertThatThrownBy(() -> runs.stageWalls(RUN, 2))
        .hasMessageContaining("stage 2 left no readable result");
    put(RUN.resultKey(2), "{\"stage\": 2, \"wallSeconds\": 20}");
    assertThat(runs.stageWalls(RUN, 2)).containsExactly(12.5, 20.0);
  }

  @Test
  void aStagesWallClockCountsItsEarlierAttemptsAndItsLoopTimeItsSteps() throws Exception {
    // The last attempt ran 20 s; with the preempted one before it the stage took 50 s.
    put(
        RUN.resultKey(1),
        "{\"stage\": 1, \"wallSeconds\": 20, \"attemptsWallSeconds\": 50,"
            + " \"stageSteps\": \"100\", \"tokensPerSecond\": 400}");

    assertThat(runs.stageWalls(RUN, 1)).containsExactly(50.0);
    // 100 steps of 32 tokens at 400 tokens/s.
    assertThat(runs.stageLoopSeconds(RUN, 1, 32)).containsExactly(8.0);
  }

  private void put(String key, String json) throws Exception {
    store.put(key, json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void stagesASweepSiblingTrainedAreReadFromItsRunThroughTheLineage() throws Exception {
    RunLayout leader = new RunLayout("grid-01", "u-leader");
    URI shared =
        ckpts.save(
            leader,
            1,
            CheckpointKind.CHECKPOINT_KIND_STAGE_FINAL,
            TrainStates.random(1, 1, 10, 10),
            CheckpointMeta.of(1));
    put(leader.resultKey(1), "{\"stage\": 1, \"wallSeconds\": 3}");
    ckpts.save(
        RUN,
        2,
        CheckpointKind.CHECKPOINT_KIND_STAGE_FINAL,
        TrainStates.random(2, 2, 30, 20),
        CheckpointMeta.of(1).withParent(shared.toString()));
    put(RUN.resultKey(2), "{\"stage\": 2, \"wallSeconds\": 7}");

    assertThat(runs.stageRuns(RUN, 2)).containsExactly(leader, RUN);
    assertThat(runs.allCheckpoints(RUN, 2))
        .extracting(
            c ->
                c.stage()
                    + "@"
                    + c.globalStep()
                    + " "
                    + c.manifest().getPath().contains("u-leader"))
        .containsExactly("1@10 true", "2@30 false");
    assertThat(runs.stageWalls(RUN, 2)).containsExactly(3.0, 7.0);
  }
}
