package dev.midas.stacking.evaluation;

import dev.midas.checkpoint.TrainState;
import dev.midas.plan.lag.LagPlan;
import dev.midas.plan.spec.ResolvedSpec;
import dev.midas.stacking.analysis.Spearman;
import dev.midas.stacking.data.TokenDataset;
import dev.midas.stacking.progress.Progress;
import dev.midas.stacking.results.LagCurve;
import dev.midas.stacking.runner.StageGrowth;
import dev.midas.stacking.runner.TrainConfigs;
import dev.midas.stacking.train.Evaluator;
import dev.midas.stacking.train.TrainConfig;
import dev.midas.stacking.train.TrainListener;
import dev.midas.stacking.train.Trainer;
import java.util.List;
import java.util.TreeSet;

/**
 * LAG's analysis (Karp et al. 2024) at one growth point: every candidate LAG would try grows the
 * previous stage's final checkpoint and trains the whole stage on the stage's data and schedule;
 * its loss on the selection windows is read after tau = 1, 2, 4, ... steps, after LAG's lag and at
 * the stage's end. For each tau, the Spearman rank correlation across candidates of the loss after
 * tau steps with the loss at the end says how well a lag of tau predicts the best growth. Costs a
 * stage's training per candidate; the run's own training is not touched.
 */
public final class LagAnalysis {
  private LagAnalysis() {}

  /**
   * @param previousFinal stage {@code stage - 1}'s final train state
   * @param threads PyTorch threads to train with
   */
  public static LagCurve run(
      ResolvedSpec spec,
      int stage,
      TrainState previousFinal,
      TokenDataset train,
      TokenDataset validation,
      int threads,
      Progress progress) {
    List<String> candidates = LagPlan.candidates(spec, stage);
    long steps = spec.schedule().stages().steps(stage);
    long lag = spec.growth().lag().orElseThrow().steps();
    long[] taus = taus(lag, steps);
    TrainConfig config = TrainConfigs.of(spec, threads).toBuilder().checkpointEvery(0).build();
    int batch = spec.schedule().batchSize();
    int valBatches = spec.evaluation().valBatches();
    double[][] loss = new double[candidates.size()][taus.length];
    for (int c = 0; c < candidates.size(); c++) {
      progress.message("LAG analysis: " + candidates.get(c));
      TrainState state =
          StageGrowth.apply(spec, stage - 1, previousFinal, candidates.get(c)).state();
      long done = 0;
      for (int t = 0; t < taus.length; t++) {
        state = Trainer.train(state, train, config, taus[t] - done, TrainListener.NONE).state();
        done = taus[t];
        loss[c][t] = Evaluator.selectionLoss(state, validation, batch, valBatches, threads);
      }
    }
    double[] rho = new double[taus.length];
    double[] end = column(loss, taus.length - 1);
    for (int t = 0; t < taus.length; t++) {
      rho[t] = Spearman.of(column(loss, t), end);
    }
    return new LagCurve(stage, lag, candidates, taus, loss, rho);
  }

  /** 1, 2, 4, ... up to the stage's steps, with the lag and the stage's end among them. */
  static long[] taus(long lag, long steps) {
    TreeSet<Long> t = new TreeSet<>();
    for (long p = 1; p < steps; p *= 2) {
      t.add(p);
    }
    t.add(Math.min(lag, steps));
    t.add(steps);
    return t.stream().mapToLong(Long::longValue).toArray();
  }

  private static double[] column(double[][] m, int j) {
    double[] c = new double[m.length];
    for (int i = 0; i < m.length; i++) {
      c[i] = m[i][j];
    }
    return c;
  }
}
