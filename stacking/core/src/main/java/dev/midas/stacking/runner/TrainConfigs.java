package dev.midas.stacking.runner;

import dev.midas.plan.spec.ResolvedSpec;
import dev.midas.stacking.train.TrainConfig;

/** The trainer's configuration from a resolved spec: one global schedule over all stages. */
public final class TrainConfigs {
  private TrainConfigs() {}

  public static TrainConfig of(ResolvedSpec spec, int threads) {
    ResolvedSpec.Schedule s = spec.schedule();
    ResolvedSpec.LearningRate lr = s.lr();
    return TrainConfig.builder()
        .batchSize(s.batchSize())
        .peakLr(lr.peak())
        .warmupSteps(lr.warmupSteps())
        .totalSteps(s.stages().totalSteps())
        .minLrRatio(lr.minRatio())
        .rewarmupSteps(lr.rewarmupSteps())
        .weightDecay(lr.weightDecay())
        .betas(lr.beta1(), lr.beta2())
        .eps(lr.eps())
        .clipNorm(lr.clipNorm())
        .seed(spec.seed())
        .checkpointEvery(s.checkpointEvery())
        .threads(threads)
        .loopRegularizer(
            s.loopRegularizer().map(ResolvedSpec.LoopRegularizer::weight).orElse(0.0),
            s.loopRegularizer().map(ResolvedSpec.LoopRegularizer::blockLayers).orElse(1))
        .build();
  }
}
