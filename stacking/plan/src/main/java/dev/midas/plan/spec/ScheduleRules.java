package dev.midas.plan.spec;

import dev.midas.plan.schedule.Schedules;
import dev.midas.plan.schedule.StageDepths;
import dev.midas.plan.schedule.StageSchedule;
import java.util.List;

/** Validation and defaults of {@code schedule} (MIDAS.md section 3). */
final class ScheduleRules {
  private ScheduleRules() {}

  /**
   * @param depths null when model and growth already disagree; stage counts are not checked then
   */
  static ResolvedSpec.Schedule resolve(
      Violations v, ScheduleSpec s, StageDepths depths, ResolvedSpec.Growth growth) {
    String type =
        v.oneOf("schedule.type", s.type, AllowedValues.SCHEDULE_TYPES, SpecDefaults.SCHEDULE_TYPE);
    boolean explicit = "explicit".equals(type);
    if (explicit && s.alpha != null) {
      v.add("schedule.alpha is only used by schedule.type prop-alpha, not explicit");
    }
    if (!explicit && s.stageSteps != null) {
      v.add("schedule.stageSteps is only used by schedule.type explicit, not " + type);
    }
    double alpha =
        v.within("schedule.alpha", s.alpha, SpecDefaults.ALPHA, 0, SpecBounds.MAX_ALPHA, false);
    Long total = s.totalSteps;
    if (total == null && explicit && s.stageSteps != null) {
      total = sum(s.stageSteps);
    }
    if (total == null) {
      v.add("schedule.totalSteps is required");
      total = 1L;
    }
    long totalSteps = v.positive("schedule.totalSteps", total, 1L, SpecBounds.MAX_STEPS);
    StageSchedule stages = depths == null ? null : stages(v, s, depths, type, alpha, totalSteps);
    if (stages == null) {
      stages = Schedules.baseline(totalSteps);
    }
    int batch =
        v.positive(
            "schedule.batchSize", s.batchSize, SpecDefaults.BATCH_SIZE, SpecBounds.MAX_BATCH_SIZE);
    long every =
        v.positive(
            "schedule.checkpointEvery",
            s.checkpointEvery,
            SpecDefaults.CHECKPOINT_EVERY,
            SpecBounds.MAX_STEPS);
    int keep =
        v.positive(
            "schedule.keepCheckpoints",
            s.keepCheckpoints,
            SpecDefaults.KEEP_CHECKPOINTS,
            SpecBounds.MAX_KEEP_CHECKPOINTS);
    ResolvedSpec.LearningRate lr =
        learningRate(v, s.lr == null ? new LearningRateSpec() : s.lr, totalSteps);
    return new ResolvedSpec.Schedule(
        type, alpha, totalSteps, batch, every, keep, lr, stages, loopRegularizer(v, s, growth));
  }

  private static java.util.Optional<ResolvedSpec.LoopRegularizer> loopRegularizer(
      Violations v, ScheduleSpec s, ResolvedSpec.Growth growth) {
    LoopRegularizerSpec r = s.loopRegularizer;
    if (r == null) {
      return java.util.Optional.empty();
    }
    if (AllowedValues.LOOP.equals(growth.operator())) {
      v.add(
          "schedule.loopRegularizer pulls unshared layers together; growth.operator loop already"
              + " shares them");
    }
    if (r.weight == null) {
      v.add("schedule.loopRegularizer.weight is required (10 in LOOP)");
    }
    double weight = v.positive("schedule.loopRegularizer.weight", r.weight, 1.0);
    int k = v.positive("schedule.loopRegularizer.blockLayers", r.blockLayers, growth.blockSize());
    return java.util.Optional.of(new ResolvedSpec.LoopRegularizer(weight, k));
  }

  /** Steps per stage, or null after reporting why there are none. */
  private static StageSchedule stages(
      Violations v,
      ScheduleSpec s,
      StageDepths depths,
      String type,
      double alpha,
      long totalSteps) {
    int k = depths.numStages();
    if (k == 1 && !"explicit".equals(type)) {
      return Schedules.baseline(totalSteps);
    }
    if ("explicit".equals(type)) {
      if (s.stageSteps == null) {
        v.add("schedule.stageSteps is required by schedule.type explicit (" + k + " stages)");
        return null;
      }
      List<Long> steps = s.stageSteps;
      boolean ok = true;
      if (steps.size() != k) {
        v.add(
            "schedule.stageSteps has "
                + steps.size()
                + " entries but the growth gives "
                + k
                + " stages (model.targetLayers "
                + depths.targetLayers()
                + ", growth.blockSize "
                + depths.blockSize()
                + ")");
        ok = false;
      }
      for (int i = 0; i < steps.size(); i++) {
        if (steps.get(i) == null || steps.get(i) <= 0) {
          v.add("schedule.stageSteps[" + i + "] " + steps.get(i) + " must be positive");
          ok = false;
        } else if (steps.get(i) > SpecBounds.MAX_STEPS) {
          v.add(
              "schedule.stageSteps["
                  + i
                  + "] "
                  + steps.get(i)
                  + " must be at most "
                  + SpecBounds.MAX_STEPS);
          ok = false;
        }
      }
      long sum = ok ? sum(steps) : totalSteps;
      if (sum != totalSteps) {
        v.add("schedule.stageSteps add up to " + sum + ", not schedule.totalSteps " + totalSteps);
        ok = false;
      }
      return ok ? Schedules.explicit(steps) : null;
    }
    List<Long> steps = Schedules.propAlphaSteps(totalSteps, k, alpha);
    int empty = steps.indexOf(0L);
    if (empty >= 0) {
      v.add(
          "schedule.totalSteps "
              + totalSteps
              + " leaves stage "
              + (empty + 1)
              + " of "
              + k
              + " with no steps under prop-alpha "
              + alpha);
      return null;
    }
    return Schedules.explicit(steps);
  }

  /** The sum of the entries (nulls as 0), saturating instead of wrapping around. */
  private static long sum(List<Long> steps) {
    long sum = 0;
    for (Long x : steps) {
      try {
        sum = Math.addExact(sum, x == null ? 0 : x);
      } catch (ArithmeticException e) {
        return Long.MAX_VALUE;
      }
    }
    return sum;
  }

  private static ResolvedSpec.LearningRate learningRate(
      Violations v, LearningRateSpec lr, long totalSteps) {
    long warmup =
        v.nonNegative(
            "schedule.lr.warmupSteps", lr.warmupSteps, totalSteps / SpecDefaults.WARMUP_DIVISOR);
    if (warmup > totalSteps) {
      v.add(
          "schedule.lr.warmupSteps " + warmup + " is more than schedule.totalSteps " + totalSteps);
    }
    long rewarmup =
        v.nonNegative("schedule.lr.rewarmupSteps", lr.rewarmupSteps, SpecDefaults.REWARMUP_STEPS);
    if (rewarmup > totalSteps) {
      v.add(
          "schedule.lr.rewarmupSteps "
              + rewarmup
              + " is more than schedule.totalSteps "
              + totalSteps);
    }
    double peak = v.positive("schedule.lr.peak", lr.peak, SpecDefaults.LR_PEAK);
    if (peak > SpecBounds.MAX_LR) {
      v.add("schedule.lr.peak " + peak + " must be at most " + (long) SpecBounds.MAX_LR);
    }
    double eps = v.positive("schedule.lr.eps", lr.eps, SpecDefaults.EPS);
    if (eps > SpecBounds.MAX_EPS) {
      v.add("schedule.lr.eps " + eps + " must be at most " + (long) SpecBounds.MAX_EPS);
    }
    return new ResolvedSpec.LearningRate(
        peak,
        warmup,
        v.within("schedule.lr.minRatio", lr.minRatio, SpecDefaults.LR_MIN_RATIO, 0, 1, false),
        rewarmup,
        v.within(
            "schedule.lr.weightDecay",
            lr.weightDecay,
            SpecDefaults.WEIGHT_DECAY,
            0,
            SpecBounds.MAX_WEIGHT_DECAY,
            false),
        v.within("schedule.lr.beta1", lr.beta1, SpecDefaults.BETA1, 0, 1, true),
        v.within("schedule.lr.beta2", lr.beta2, SpecDefaults.BETA2, 0, 1, true),
        eps,
        v.within(
            "schedule.lr.clipNorm",
            lr.clipNorm,
            SpecDefaults.CLIP_NORM,
            0,
            SpecBounds.MAX_CLIP_NORM,
            false));
  }
}
