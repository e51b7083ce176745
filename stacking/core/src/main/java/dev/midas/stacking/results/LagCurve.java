package dev.midas.stacking.results;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * LAG's analysis at one growth point: every candidate trained through the whole stage, its loss on
 * the selection windows after each tau steps, and per tau the Spearman rank correlation of the
 * candidates' losses with their losses at the stage's end (the last tau).
 *
 * @param lagSteps the lag LAG itself chose after
 * @param loss loss[c][t]: candidate c after taus[t] steps
 * @param spearman per tau, across candidates; NaN where the losses do not order them
 */
public record LagCurve(
    int stage,
    long lagSteps,
    List<String> candidates,
    long[] taus,
    double[][] loss,
    double[] spearman) {

  public LagCurve {
    candidates = List.copyOf(candidates);
    taus = taus.clone();
    loss = Arrays.stream(loss).map(double[]::clone).toArray(double[][]::new);
    spearman = spearman.clone();
  }

  // A record compares arrays by identity; a curve read back from results.json is the same curve.
  @Override
  public boolean equals(Object o) {
    return o instanceof LagCurve c
        && stage == c.stage
        && lagSteps == c.lagSteps
        && candidates.equals(c.candidates)
        && Arrays.equals(taus, c.taus)
        && Arrays.deepEquals(loss, c.loss)
        && Arrays.equals(spearman, c.spearman);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        stage, lagSteps, candidates, Arrays.hashCode(taus), Arrays.deepHashCode(loss));
  }
}
