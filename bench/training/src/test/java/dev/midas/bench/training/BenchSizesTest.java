package dev.midas.bench.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class BenchSizesTest {

  @Test
  void sizesHaveTheParameterCountsThePyTorchPeerPrints() {
    // bench/peer_train.py prints params=875264 (small) and params=6515200 (large).
    assertThat(TrainBench.parameterCount(BenchSizes.named("small").model())).isEqualTo(875_264);
    assertThat(TrainBench.parameterCount(BenchSizes.named("large").model())).isEqualTo(6_515_200);
    assertThat(BenchSizes.named("large").tokensPerStep()).isEqualTo(8 * 256);
    assertThatThrownBy(() -> BenchSizes.named("huge")).hasMessageContaining("huge");
  }

  @Test
  void memorySlopeIsFlatForSteadyRssAndPositiveForGrowth() {
    List<MemoryBench.Sample> flat =
        List.of(
            new MemoryBench.Sample(1, 100, 5000),
            new MemoryBench.Sample(2, 200, 5004),
            new MemoryBench.Sample(3, 300, 4996),
            new MemoryBench.Sample(4, 400, 5000));
    List<MemoryBench.Sample> growing =
        List.of(
            new MemoryBench.Sample(1, 100, 5000),
            new MemoryBench.Sample(2, 200, 6000),
            new MemoryBench.Sample(3, 300, 7000));
    assertThat(MemoryBench.slopeKbPerStep(flat))
        .isCloseTo(0.0, org.assertj.core.data.Offset.offset(0.05));
    assertThat(MemoryBench.slopeKbPerStep(growing)).isEqualTo(10.0);
  }
}
