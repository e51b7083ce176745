package dev.midas.plan.stage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StagePlannerTest {
  private static final String F1 = "file:///r/stage-01/ckpt/step-000000010/MANIFEST";
  private static final String G1 = "file:///r/stage-01/grown/MANIFEST";
  private static final String P2 = "file:///r/stage-02/ckpt/step-000000020/MANIFEST";
  private static final String F2 = "file:///r/stage-02/ckpt/step-000000030/MANIFEST";

  @Test
  void freshRunStartsStageOneFromRandomInit() {
    StageAction a = StagePlanner.next(3, ObservedRun.empty(3));

    assertThat(a).isEqualTo(new StageAction.Run(1, Optional.empty()));
    assertThat(a.runnerArgs()).containsExactly("--stage", "1");
  }

  @Test
  void completedStageLeadsToTheNextStageFromItsGrownCheckpoint() {
    ObservedRun run =
        new ObservedRun(List.of(ObservedStage.completed(F1, G1), ObservedStage.NOTHING));

    StageAction a = StagePlanner.next(3, run);

    assertThat(a).isEqualTo(new StageAction.Run(2, Optional.of(G1)));
    assertThat(a.runnerArgs()).containsExactly("--stage", "2", "--init", G1);
  }

  @Test
  void interruptedStageResumesFromItsLatestCheckpoint() {
    ObservedRun run =
        new ObservedRun(List.of(ObservedStage.completed(F1, G1), ObservedStage.inProgress(P2)));

    StageAction a = StagePlanner.next(3, run);

    assertThat(a).isEqualTo(new StageAction.Resume(2, P2));
    assertThat(a.runnerArgs()).containsExactly("--stage", "2", "--resume", P2);
  }

  @Test
  void crashBetweenFinalAndGrownResumesFromTheFinalCheckpointToGrow() {
    ObservedStage finalOnly = new ObservedStage(Optional.of(F1), Optional.empty(), Optional.of(F1));

    StageAction a = StagePlanner.next(2, new ObservedRun(List.of(finalOnly)));

    assertThat(a).isEqualTo(new StageAction.Resume(1, F1));
  }

  @Test
  void lastStageNeedsNoGrownCheckpointToBeDone() {
    ObservedStage lastFinal = new ObservedStage(Optional.of(F2), Optional.empty(), Optional.of(F2));
    ObservedRun run = new ObservedRun(List.of(ObservedStage.completed(F1, G1), lastFinal));

    assertThat(StagePlanner.next(2, run)).isEqualTo(new StageAction.Done());
    assertThat(StagePlanner.completedStages(2, run)).isEqualTo(2);
  }

  @Test
  void baselineIsDoneAfterItsOnlyStage() {
    ObservedStage only = new ObservedStage(Optional.of(F1), Optional.empty(), Optional.of(F1));

    assertThat(StagePlanner.next(1, ObservedRun.empty(1)))
        .isEqualTo(new StageAction.Run(1, Optional.empty()));
    assertThat(StagePlanner.next(1, new ObservedRun(List.of(only))))
        .isEqualTo(new StageAction.Done());
  }

  @Test
  void completedStagesCountsOnlyAnUnbrokenPrefix() {
    ObservedRun run =
        new ObservedRun(
            List.of(
                ObservedStage.completed(F1, G1),
                ObservedStage.inProgress(P2),
                ObservedStage.completed(F2, G1)));

    assertThat(StagePlanner.completedStages(3, run)).isEqualTo(1);
  }
}
