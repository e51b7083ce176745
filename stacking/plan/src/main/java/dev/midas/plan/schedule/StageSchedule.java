package dev.midas.plan.schedule;

import java.util.List;

/**
 * Steps of every stage, in order: stage {@code i} (1-based) runs {@code steps(i)} optimizer steps
 * starting at global step {@code globalStart(i)}. The learning-rate schedule runs over the global
 * step, so it is continuous across stages.
 */
public record StageSchedule(List<Long> stageSteps) {

  public StageSchedule {
    stageSteps = List.copyOf(stageSteps);
    if (stageSteps.isEmpty()) {
      throw new IllegalArgumentException("a schedule needs at least one stage");
    }
    for (int i = 0; i < stageSteps.size(); i++) {
      if (stageSteps.get(i) <= 0) {
        throw new IllegalArgumentException(
            "stage " + (i + 1) + " has " + stageSteps.get(i) + " steps; every stage needs >= 1");
      }
    }
  }

  public int numStages() {
    return stageSteps.size();
  }

  /** Steps of 1-based stage {@code stage}. */
  public long steps(int stage) {
    return stageSteps.get(index(stage));
  }

  /** Global step at which 1-based stage {@code stage} starts (0 for stage 1). */
  public long globalStart(int stage) {
    long start = 0;
    for (int i = 0; i < index(stage); i++) {
      start += stageSteps.get(i);
    }
    return start;
  }

  public long totalSteps() {
    return stageSteps.stream().mapToLong(Long::longValue).sum();
  }

  private int index(int stage) {
    if (stage < 1 || stage > stageSteps.size()) {
      throw new IllegalArgumentException(
          "stage " + stage + " is outside 1.." + stageSteps.size() + " of this schedule");
    }
    return stage - 1;
  }
}
