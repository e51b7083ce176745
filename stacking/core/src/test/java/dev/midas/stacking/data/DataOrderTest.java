package dev.midas.stacking.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class DataOrderTest {

  @Test
  void eachEpochVisitsEveryFullBatchWindowOnceInASeededOrder() {
    DataOrder order = new DataOrder(10, 3, 7);
    assertThat(order.batchesPerEpoch()).isEqualTo(3);
    TreeSet<Long> seen = new TreeSet<>();
    List<Long> epoch0 = new ArrayList<>();
    for (int c = 0; c < 3; c++) {
      for (long i : order.batch(0, c)) {
        seen.add(i);
        epoch0.add(i);
      }
    }
    assertThat(seen).hasSize(9);
    assertThat(epoch0).isNotEqualTo(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L));
    assertThat(new DataOrder(10, 3, 7).batch(1, 2)).containsExactly(order.batch(1, 2));
    assertThat(order.batch(1, 0)).isNotEqualTo(order.batch(0, 0));
    assertThat(new DataOrder(10, 3, 8).batch(0, 0)).isNotEqualTo(order.batch(0, 0));
  }

  @Test
  void prefetcherDeliversTheOrderFromAnyStartPositionAcrossEpochs() throws Exception {
    // Tokens 0..39 in windows of seq_len + 1 = 4.
    int[] stream = new int[40];
    for (int i = 0; i < stream.length; i++) {
      stream[i] = i;
    }
    TokenDataset data = new InMemoryTokenDataset(4, stream);
    DataOrder order = new DataOrder(data.sequences(), 4, 1);
    assertThat(order.batchesPerEpoch()).isEqualTo(2);
    try (BatchPrefetcher p = new BatchPrefetcher(data, order, 0, 1, 2)) {
      Batch b = p.next();
      assertThat(new long[] {b.epoch(), b.cursor(), b.nextEpoch(), b.nextCursor()})
          .containsExactly(0, 1, 1, 0);
      long first = order.batch(0, 1)[0];
      assertThat(b.tokens()[0]).isEqualTo((int) first * 4);
      Batch c = p.next();
      assertThat(new long[] {c.epoch(), c.cursor()}).containsExactly(1, 0);
      assertThat(c.tokens()[4]).isEqualTo((int) order.batch(1, 0)[1] * 4);
    }
  }
}
