package dev.midas.stacking.train;

/**
 * Linear warmup then cosine decay to {@code minLrRatio * peak} at {@code totalSteps}, a function of
 * the GLOBAL step so it runs on across stage boundaries (MIDAS.md section 2, default). Option: a
 * linear re-warmup over the first {@code rewarmupSteps} steps of every stage after the first.
 */
public final class LearningRateSchedule {
  private final TrainConfig c;

  public LearningRateSchedule(TrainConfig c) {
    this.c = c;
  }

  /**
   * The rate for the step about to be taken.
   *
   * @param globalStep steps taken so far in the whole run
   * @param stageStep steps taken so far in this stage
   */
  public double at(long globalStep, long stageStep) {
    double peak = c.peakLr();
    double lr;
    if (globalStep < c.warmupSteps()) {
      lr = peak * (globalStep + 1) / c.warmupSteps();
    } else if (c.totalSteps() <= c.warmupSteps()) {
      lr = peak;
    } else {
      double progress =
          Math.min(
              1.0, (double) (globalStep - c.warmupSteps()) / (c.totalSteps() - c.warmupSteps()));
      double min = peak * c.minLrRatio();
      lr = min + (peak - min) * 0.5 * (1 + StrictMath.cos(StrictMath.PI * progress));
    }
    boolean laterStage = globalStep > stageStep;
    if (laterStage && stageStep < c.rewarmupSteps()) {
      lr *= (double) (stageStep + 1) / c.rewarmupSteps();
    }
    return lr;
  }
}
