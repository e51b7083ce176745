package dev.midas.pipelines.preprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.beam.sdk.util.CoderUtils;
import org.junit.jupiter.api.Test;

class SizingTest {
  @Test
  void shardsFollowTheInputSizeUnlessFixedAndBucketsSpreadEvenOneShard() {
    // 400 MB of input ~ 100M tokens: 95M train, 5M validation.
    Sizing computed = Sizing.of(400_000_000L, 0.05, 0, 16L << 20);
    assertThat(computed.trainShards()).isEqualTo(6);
    assertThat(computed.validationShards()).isEqualTo(1);
    assertThat(computed.trainBuckets()).isEqualTo(91);
    assertThat(computed.validationBuckets()).isEqualTo(5);

    Sizing fixed = Sizing.of(400_000_000L, 0.05, 64, 16L << 20);
    assertThat(fixed.shards(Splits.TRAIN)).isEqualTo(64);
    assertThat(fixed.shards(Splits.VALIDATION)).isEqualTo(4);
    assertThat(fixed.buckets(Splits.TRAIN)).isEqualTo(computed.trainBuckets());

    Sizing tiny = Sizing.of(1000, 0.2, 0, 16L << 20);
    assertThat(tiny).isEqualTo(new Sizing(1, 1, 1, 1));
  }

  @Test
  void dedupeAndCountBucketsGrowWithTheInputWithinBounds() {
    assertThat(Sizing.dedupeBuckets(1000)).isEqualTo(1);
    assertThat(Sizing.dedupeBuckets(34L << 20)).isEqualTo(9);
    assertThat(Sizing.dedupeBuckets(1L << 40)).isEqualTo(1 << 18);
    assertThat(Sizing.countBuckets(1000)).isEqualTo(16);
    assertThat(Sizing.countBuckets(1L << 40)).isEqualTo(1 << 16);
  }

  @Test
  void aSmallInputIsCutIntoSmallerRangesSoEveryWorkerReadsSome() {
    assertThat(Sizing.rangeBytes(1000)).isEqualTo(1L << 20);
    assertThat(Sizing.rangeBytes(16L << 20)).isEqualTo(1L << 20); // 16 ranges
    assertThat(Sizing.rangeBytes(256L << 20)).isEqualTo(4L << 20); // 64 ranges
    assertThat(Sizing.rangeBytes(1L << 40)).isEqualTo(32L << 20);
  }

  @Test
  void refusesANegativeShardCount() {
    assertThatThrownBy(() -> Sizing.of(1000, 0.1, -1, 100))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--numShards -1 must be >= 0");
  }

  @Test
  void tokenIdsTravelAsVarintsAndComeBackExactly() throws Exception {
    int[] ids = {0, 1, 127, 128, 8191, 16383, 16384, 65535, Integer.MAX_VALUE};
    byte[] bytes = CoderUtils.encodeToByteArray(IntArrayCoder.of(), ids);
    assertThat(bytes).hasSize(1 + 1 + 1 + 1 + 2 + 2 + 2 + 3 + 3 + 5);
    assertThat(CoderUtils.decodeFromByteArray(IntArrayCoder.of(), bytes)).containsExactly(ids);
  }
}
