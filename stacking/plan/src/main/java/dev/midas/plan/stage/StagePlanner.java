package dev.midas.plan.stage;

/**
 * The stage state machine shared by the operator and the local runner: a pure function from what is
 * committed in the object store to the next action. Stages run strictly in order. A stage is
 * complete when its final checkpoint exists and, for all but the last stage, the grown checkpoint
 * for the next stage too. The first incomplete stage is resumed from its latest checkpoint if it
 * has one (a crash, a suspend, or a crash between final and grown), and otherwise started: stage 1
 * from random init, stage i from stage i-1's grown checkpoint.
 */
public final class StagePlanner {
  private StagePlanner() {}

  /** The next action for a run of {@code numStages} stages. */
  public static StageAction next(int numStages, ObservedRun observed) {
    if (numStages < 1) {
      throw new IllegalArgumentException("a run has at least one stage, not " + numStages);
    }
    for (int i = 1; i <= numStages; i++) {
      ObservedStage s = observed.stage(i);
      if (isComplete(s, i == numStages)) {
        continue;
      }
      if (s.finalCheckpoint().isPresent()) {
        return new StageAction.Resume(i, s.finalCheckpoint().get());
      }
      if (s.latestCheckpoint().isPresent()) {
        return new StageAction.Resume(i, s.latestCheckpoint().get());
      }
      return new StageAction.Run(
          i, i == 1 ? java.util.Optional.empty() : observed.stage(i - 1).grown());
    }
    return new StageAction.Done();
  }

  /** Stages complete from the start, in a row: how far the run has come. */
  public static int completedStages(int numStages, ObservedRun observed) {
    int done = 0;
    while (done < numStages && isComplete(observed.stage(done + 1), done + 1 == numStages)) {
      done++;
    }
    return done;
  }

  private static boolean isComplete(ObservedStage s, boolean last) {
    return s.finalCheckpoint().isPresent() && (last || s.grown().isPresent());
  }
}
