package dev.midas.stacking.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midas.checkpoint.TrainState;
import dev.midas.plan.lag.LagPlan;
import dev.midas.plan.spec.ResolvedSpec;
import dev.midas.stacking.data.InMemoryTokenDataset;
import dev.midas.stacking.progress.Progress;
import dev.midas.stacking.results.LagCurve;
import dev.midas.stacking.train.TrainStates;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** LAG's analysis: every candidate through the whole stage, ranked after each tau. */
class LagAnalysisTest {
  @Test
  void tausDoubleFromOneAndIncludeTheLagAndTheStagesEnd() {
    assertThat(LagAnalysis.taus(3, 10)).containsExactly(1, 2, 3, 4, 8, 10);
    assertThat(LagAnalysis.taus(4, 4)).containsExactly(1, 2, 4);
  }

  @Test
  void everyCandidateTrainsTheWholeStageAndTheEndOrdersItselfPerfectly() {
    ResolvedSpec spec = TimelineTest.lagSpec();
    TrainState end1 = TrainStates.fresh(spec.model().config(1), 5);
    int window = spec.model().seqLen() + 1;
    InMemoryTokenDataset train = new InMemoryTokenDataset(window, tokens(64 * window, 1));
    InMemoryTokenDataset validation = new InMemoryTokenDataset(window, tokens(64 * window, 2));
    List<String> messages = new ArrayList<>();

    LagCurve c = LagAnalysis.run(spec, 2, end1, train, validation, 1, recording(messages));

    long steps = spec.schedule().stages().steps(2);
    assertThat(c.stage()).isEqualTo(2);
    assertThat(c.lagSteps()).isEqualTo(4);
    assertThat(c.candidates()).isEqualTo(LagPlan.candidates(spec, 2));
    assertThat(c.taus()[c.taus().length - 1]).isEqualTo(steps);
    assertThat(c.loss().length).isEqualTo(c.candidates().size());
    for (double[] row : c.loss()) {
      assertThat(row).hasSize(c.taus().length);
      for (double v : row) {
        assertThat(v).isFinite().isPositive();
      }
    }
    assertThat(c.spearman()[c.taus().length - 1]).isEqualTo(1.0);
    assertThat(messages).contains("LAG analysis: " + c.candidates().get(0));
  }

  /** A repeating pattern with noise, so that candidates learn at different rates. */
  private static int[] tokens(int n, long seed) {
    Random r = new Random(seed);
    int[] t = new int[n];
    for (int i = 0; i < n; i++) {
      t[i] = r.nextInt(8) == 0 ? r.nextInt(64) : (i * 7) % 64;
    }
    return t;
  }

  private static Progress recording(List<String> messages) {
    return new Progress() {
      @Override
      public void stepTo(long done) {}

      @Override
      public void maxHint(long total) {}

      @Override
      public void message(String text) {
        messages.add(text);
      }

      @Override
      public void close() {}
    };
  }
}
