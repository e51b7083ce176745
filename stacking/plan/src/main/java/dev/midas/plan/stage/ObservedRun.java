package dev.midas.plan.stage;

import java.util.List;

/** What the object store holds for every stage of a run, stage 1 first. */
public record ObservedRun(List<ObservedStage> stages) {

  public ObservedRun {
    stages = List.copyOf(stages);
  }

  /** Nothing committed yet. */
  public static ObservedRun empty(int numStages) {
    return new ObservedRun(java.util.Collections.nCopies(numStages, ObservedStage.NOTHING));
  }

  /** What is known of 1-based {@code stage}; nothing for stages past the list. */
  public ObservedStage stage(int stage) {
    return stage >= 1 && stage <= stages.size() ? stages.get(stage - 1) : ObservedStage.NOTHING;
  }
}
