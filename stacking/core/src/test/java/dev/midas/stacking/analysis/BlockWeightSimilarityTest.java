package dev.midas.stacking.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.midas.checkpoint.NamedTensors;
import dev.midas.checkpoint.Tensor;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BlockWeightSimilarityTest {

  static NamedTensors randomLayers(int layers, int d, long seed) {
    Random rnd = new Random(seed);
    NamedTensors p = new NamedTensors();
    p.put("embed.weight", random(rnd, 10, d));
    for (int l = 0; l < layers; l++) {
      for (String g : BlockWeightSimilarity.GROUPS) {
        p.put("layers." + l + "." + g, random(rnd, d, d));
      }
      p.put("layers." + l + ".attn.q.bias", random(rnd, d));
    }
    return p;
  }

  static Tensor random(Random rnd, long... shape) {
    Tensor t = Tensor.zeros(shape);
    for (int i = 0; i < t.size(); i++) {
      t.data()[i] = (float) rnd.nextGaussian();
    }
    return t;
  }

  /**
   * MIDAS growth of a 2-block model (b layers each): the middle block (B1) is copied after itself.
   */
  static NamedTensors midasGrow(NamedTensors old, int b) {
    int oldLayers = BlockWeightSimilarity.layerCount(old);
    int m = (oldLayers / b + 1) / 2; // ceil(n/2), 1-based block
    NamedTensors grown = new NamedTensors();
    grown.put("embed.weight", old.get("embed.weight").copy());
    for (int j = 0; j < oldLayers + b; j++) {
      int src = j < m * b ? j : j - b;
      for (String name : old.names()) {
        String prefix = "layers." + src + ".";
        if (name.startsWith(prefix)) {
          grown.put("layers." + j + "." + name.substring(prefix.length()), old.get(name).copy());
        }
      }
    }
    return grown;
  }

  @Test
  void everyBlockIsFullySimilarToItselfAndTheMatrixIsSymmetric() {
    Map<String, SimilarityMatrix> sims = BlockWeightSimilarity.compute(randomLayers(6, 8, 1), 2);

    assertThat(sims).containsOnlyKeys(BlockWeightSimilarity.GROUPS);
    for (SimilarityMatrix s : sims.values()) {
      assertThat(s.labels()).containsExactly("B1", "B2", "B3");
      for (int p = 0; p < 3; p++) {
        assertThat(s.get(p, p)).isCloseTo(1.0, within(1e-9));
        for (int q = 0; q < 3; q++) {
          assertThat(s.get(p, q)).isEqualTo(s.get(q, p));
        }
      }
    }
  }

  @Test
  void independentRandomBlocksAreNearlyOrthogonal() {
    SimilarityMatrix q =
        BlockWeightSimilarity.compute(randomLayers(4, 16, 2), 2).get("attn.q.weight");

    assertThat(Math.abs(q.get(0, 1))).isLessThan(0.15);
  }

  @Test
  void midasGrownModelHasItsCopiedBlocksIdentical() {
    // 2 blocks of 2 layers -> 3 blocks: B1 is the middle block (ceil(2/2) = 1), copied next to it.
    NamedTensors grown = midasGrow(randomLayers(4, 8, 3), 2);

    SimilarityMatrix fc1 = BlockWeightSimilarity.compute(grown, 2).get("mlp.fc1.weight");

    assertThat(fc1.get(0, 1)).isCloseTo(1.0, within(1e-9));
    assertThat(Math.abs(fc1.get(0, 2))).isLessThan(0.2);
    assertThat(Math.abs(fc1.get(1, 2))).isLessThan(0.2);
  }

  @Test
  void depthThatIsNotAMultipleOfTheBlockSizeIsRefusedInTheUsersTerms() {
    assertThatThrownBy(() -> BlockWeightSimilarity.compute(randomLayers(5, 4, 4), 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the model has 5 layers, not a multiple of blockSize 2");
  }
}
