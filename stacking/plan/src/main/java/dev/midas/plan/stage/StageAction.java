package dev.midas.plan.stage;

import java.util.List;
import java.util.Optional;

/**
 * What to do next for an experiment, decided by {@link StagePlanner}: start a stage (from random
 * init, or from the previous stage's grown checkpoint), resume a stage from a checkpoint, or
 * nothing because every stage is complete. {@link #runnerArgs()} is the stage runner's part of the
 * command line.
 */
public sealed interface StageAction {

  /** 1-based stage this action runs; 0 for {@link Done}. */
  int stage();

  /** Arguments for the stage runner: {@code --stage N} and {@code --init} or {@code --resume}. */
  List<String> runnerArgs();

  /** Start stage {@code stage}: from {@code init} (a grown manifest URI), or random init. */
  record Run(int stage, Optional<String> init) implements StageAction {
    @Override
    public List<String> runnerArgs() {
      return init.map(i -> List.of("--stage", Integer.toString(stage), "--init", i))
          .orElse(List.of("--stage", Integer.toString(stage)));
    }
  }

  /**
   * Resume stage {@code stage} from {@code checkpoint} (a checkpoint manifest URI). When that
   * checkpoint already ends the stage, the runner only grows and evaluates.
   */
  record Resume(int stage, String checkpoint) implements StageAction {
    @Override
    public List<String> runnerArgs() {
      return List.of("--stage", Integer.toString(stage), "--resume", checkpoint);
    }
  }

  /** Every stage has its final checkpoint (and grown checkpoint, for all but the last). */
  record Done() implements StageAction {
    @Override
    public int stage() {
      return 0;
    }

    @Override
    public List<String> runnerArgs() {
      return List.of();
    }
  }
}
