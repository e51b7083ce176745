package dev.midas.stacking.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.midas.checkpoint.TrainState;
import dev.midas.stacking.data.DatasetException;
import dev.midas.stacking.data.InMemoryTokenDataset;
import dev.midas.stacking.model.TestingModels;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SelectionLossTest {
  static int[] tokens(int windows, int window, long seed) {
    Random r = new Random(seed);
    int[] t = new int[windows * window];
    for (int i = 0; i < t.length; i++) {
      t[i] = r.nextInt(48);
    }
    return t;
  }

  @Test
  void lagSelectsOnTheWindowsAfterTheReportedOnes() {
    TrainState state = TrainStates.fresh(TestingModels.tiny(1), 2);
    int window = 17;
    int[] all = tokens(10, window, 4);
    InMemoryTokenDataset data = new InMemoryTokenDataset(window, all);
    // Batches of 2, 2 batches: validation reads windows 0..3, selection 4..7.
    InMemoryTokenDataset after =
        new InMemoryTokenDataset(window, Arrays.copyOfRange(all, 4 * window, 8 * window));
    InMemoryTokenDataset before =
        new InMemoryTokenDataset(window, Arrays.copyOfRange(all, 0, 4 * window));

    double selection = Evaluator.selectionLoss(state, data, 2, 2, 1);

    assertThat(selection).isCloseTo(Evaluator.validationLoss(state, after, 2, 2, 1), within(1e-6));
    assertThat(selection).isNotEqualTo(Evaluator.validationLoss(state, before, 2, 2, 1));
  }

  @Test
  void validationDataWithNothingBeyondTheReportedWindowsIsRefusedSayingWhy() {
    TrainState state = TrainStates.fresh(TestingModels.tiny(1), 2);
    InMemoryTokenDataset data = new InMemoryTokenDataset(17, tokens(4, 17, 4));

    assertThatThrownBy(() -> Evaluator.selectionLoss(state, data, 2, 2, 1))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining("holds 4 windows and the reported validation loss reads the first 4");
  }
}
