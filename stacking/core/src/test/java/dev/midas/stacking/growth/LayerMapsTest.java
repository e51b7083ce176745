package dev.midas.stacking.growth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LayerMapsTest {

  /** Independent construction: a list of 1-based blocks, one inserted, expanded to layers. */
  private static int[] fromBlocks(List<Integer> blocks, int b) {
    int[] src = new int[blocks.size() * b];
    for (int i = 0; i < blocks.size(); i++) {
      for (int l = 0; l < b; l++) {
        src[i * b + l] = (blocks.get(i) - 1) * b + l;
      }
    }
    return src;
  }

  private static List<Integer> blocks(int n) {
    List<Integer> l = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      l.add(i);
    }
    return l;
  }

  @Test
  void midasDuplicatesTheMiddleBlockNextToItselfForOneToSixBlocks() {
    for (int n = 1; n <= 6; n++) {
      for (int b = 1; b <= 3; b++) {
        int m = (int) Math.ceil(n / 2.0);
        List<Integer> grown = blocks(n);
        grown.add(m, m);
        assertThat(LayerMaps.midas(n, b))
            .as("n=%d b=%d", n, b)
            .containsExactly(fromBlocks(grown, b));
      }
    }
  }

  @Test
  void gradstackCopiesTheLastBlockOnTopForOneToSixBlocks() {
    for (int n = 1; n <= 6; n++) {
      for (int b = 1; b <= 3; b++) {
        List<Integer> grown = blocks(n);
        grown.add(n);
        assertThat(LayerMaps.gradstack(n, b))
            .as("n=%d b=%d", n, b)
            .containsExactly(fromBlocks(grown, b));
      }
    }
  }

  @Test
  void doubleStacksTheWholeModelOnItselfForOneToSixBlocks() {
    for (int n = 1; n <= 6; n++) {
      for (int b = 1; b <= 3; b++) {
        List<Integer> grown = blocks(n);
        grown.addAll(blocks(n));
        assertThat(LayerMaps.doubling(n, b))
            .as("n=%d b=%d", n, b)
            .containsExactly(fromBlocks(grown, b));
      }
    }
  }

  @Test
  void evenBlockCountsDuplicateTheLeftOfTheTwoCentralBlocks() {
    assertThat(
            new int[] {LayerMaps.midasBlock(2), LayerMaps.midasBlock(4), LayerMaps.midasBlock(6)})
        .containsExactly(1, 2, 3);
    assertThat(
            new int[] {LayerMaps.midasBlock(1), LayerMaps.midasBlock(3), LayerMaps.midasBlock(5)})
        .containsExactly(1, 2, 3);
    assertThat(LayerMaps.midas(2, 1)).containsExactly(0, 0, 1);
    assertThat(LayerMaps.midas(4, 2)).containsExactly(0, 1, 2, 3, 2, 3, 4, 5, 6, 7);
    assertThat(LayerMaps.midas(3, 1)).containsExactly(0, 1, 1, 2);
  }

  @Test
  void theRightTieDuplicatesTheRightCentralBlockAndOddCountsHaveOneCentre() {
    LayerMaps.Tie right = LayerMaps.Tie.RIGHT;
    assertThat(
            new int[] {
              LayerMaps.midasBlock(2, right),
              LayerMaps.midasBlock(4, right),
              LayerMaps.midasBlock(3, right)
            })
        .containsExactly(2, 3, 2);
    assertThat(LayerMaps.midas(2, 1, right)).containsExactly(0, 1, 1);
    var grown =
        Growth.grow(
            TestingStates.trained(TestingStates.config(2)),
            GrowthRequest.of(GrowthOperator.MIDAS, 1).withTie(right));
    assertThat(grown.record().getLayerMapList()).containsExactly(0, 1, 1);
    assertThat(grown.record().getMidasTie()).isEqualTo("right");
  }

  @Test
  void duplicateCopiesTheNamedBlockNextToItself() {
    assertThat(LayerMaps.duplicate(3, 2, 1)).containsExactly(0, 1, 0, 1, 2, 3, 4, 5);
    assertThatThrownBy(() -> LayerMaps.duplicate(2, 1, 3))
        .isInstanceOf(GrowthException.class)
        .hasMessage("duplicate-3 copies block 3 but the model has blocks 1..2");
    var grown =
        Growth.grow(
            TestingStates.trained(TestingStates.config(2)), GrowthRequest.named("duplicate-2", 1));
    assertThat(grown.record().getOperator()).isEqualTo("duplicate-2");
    assertThat(grown.record().getLayerMapList()).containsExactly(0, 1, 1);
  }

  @Test
  void explicitMapIsTakenAsGivenAndCheckedAgainstTheOldDepth() {
    assertThat(LayerMaps.explicit(List.of(0, 1, 1, 2, 3, 3), 4)).containsExactly(0, 1, 1, 2, 3, 3);
    assertThatThrownBy(() -> LayerMaps.explicit(List.of(0, 4), 4))
        .isInstanceOf(GrowthException.class)
        .hasMessage("map[1] = 4 is not a layer of the 4-layer model (0..3)");
  }
}
