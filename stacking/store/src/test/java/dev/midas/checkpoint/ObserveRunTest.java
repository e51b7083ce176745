package dev.midas.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midas.plan.layout.RunLayout;
import dev.midas.plan.schedule.Schedules;
import dev.midas.plan.schedule.StageSchedule;
import dev.midas.plan.stage.StageAction;
import dev.midas.plan.stage.StagePlanner;
import dev.midas.proto.CheckpointKind;
import dev.midas.store.TestingObjectStore;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The store-reading half of the stage state machine, driving {@link StagePlanner}. */
class ObserveRunTest {
  private static final RunLayout RUN = new RunLayout("tiny", "u-1");
  private static final StageSchedule SCHEDULE = Schedules.explicit(List.of(10L, 20L));
  private final CheckpointStore ckpts = new CheckpointStore(new TestingObjectStore());

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
    return StagePlanner.next(SCHEDULE.numStages(), ckpts.observe(RUN, SCHEDULE));
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

    assertThat(ckpts.observe(RUN, SCHEDULE).stage(1).finalCheckpoint()).contains(last.toString());
  }
}
