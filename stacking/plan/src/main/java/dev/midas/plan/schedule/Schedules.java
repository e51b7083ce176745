package dev.midas.plan.schedule;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/** The stage schedules of MIDAS.md section 3, as pure functions of (total steps, stages). */
public final class Schedules {
  private Schedules() {}

  /** The baseline: one stage at full depth for all {@code totalSteps}. */
  public static StageSchedule baseline(long totalSteps) {
    return new StageSchedule(List.of(totalSteps));
  }

  /** Steps given stage by stage. */
  public static StageSchedule explicit(List<Long> stageSteps) {
    return new StageSchedule(stageSteps);
  }

  /**
   * Prop-alpha: stage {@code i} gets {@code T * i^alpha / sum_j j^alpha} steps, rounded by the
   * largest-remainder method so the stages add up to exactly {@code T}: every stage first gets the
   * floor of its quota, then the steps left over go one each to the stages with the largest
   * fractional parts (ties to the later, deeper stage). A stage may round down to zero steps when
   * {@code T} is small: the steps come back with those zeros (for validation messages), and {@link
   * StageSchedule} refuses them.
   */
  public static List<Long> propAlphaSteps(long totalSteps, int stages, double alpha) {
    if (totalSteps < 0 || stages < 1 || !(alpha >= 0) || Double.isInfinite(alpha)) {
      throw new IllegalArgumentException(
          "prop-alpha needs totalSteps >= 0, stages >= 1 and a finite alpha >= 0; got "
              + totalSteps
              + ", "
              + stages
              + ", "
              + alpha);
    }
    double[] weight = new double[stages];
    double sum = 0;
    for (int i = 0; i < stages; i++) {
      weight[i] = Math.pow(i + 1, alpha);
      sum += weight[i];
    }
    long[] steps = new long[stages];
    double[] remainder = new double[stages];
    long assigned = 0;
    for (int i = 0; i < stages; i++) {
      double quota = totalSteps * (weight[i] / sum);
      steps[i] = (long) Math.floor(quota + 1e-9);
      remainder[i] = quota - steps[i];
      assigned += steps[i];
    }
    // Fractional parts within 1e-9 count as equal, so float noise cannot reorder true ties.
    List<Integer> order =
        IntStream.range(0, stages)
            .boxed()
            .sorted(
                Comparator.<Integer>comparingDouble(i -> -Math.round(remainder[i] * 1e9) / 1e9)
                    .thenComparing(Comparator.reverseOrder()))
            .toList();
    for (int n = 0; n < totalSteps - assigned; n++) {
      steps[order.get(n % stages)]++;
    }
    List<Long> out = new ArrayList<>(stages);
    for (long s : steps) {
      out.add(s);
    }
    return out;
  }
}
