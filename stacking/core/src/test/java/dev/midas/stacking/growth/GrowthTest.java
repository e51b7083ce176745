package dev.midas.stacking.growth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.midas.checkpoint.NamedTensors;
import dev.midas.checkpoint.Tensor;
import dev.midas.checkpoint.TrainState;
import dev.midas.proto.GrowthRecord;
import dev.midas.proto.ModelConfig;
import dev.midas.stacking.model.ParameterInit;
import dev.midas.stacking.model.ParameterLayout;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GrowthTest {

  @Test
  void workedExampleL24B4DuplicatesB1B1B2B2B3UnderMidasAndTheTopBlockUnderGradstack() {
    assertThat(duplicatedBlocks(GrowthOperator.MIDAS)).containsExactly(1, 1, 2, 2, 3);
    assertThat(duplicatedBlocks(GrowthOperator.GRADSTACK)).containsExactly(1, 2, 3, 4, 5);
  }

  /** Grows a 4-layer model to 24 layers in blocks of 4; returns the block copied at each growth. */
  private static List<Integer> duplicatedBlocks(GrowthOperator op) {
    int b = 4;
    TrainState s = TestingStates.trained(TestingStates.config(b));
    List<Integer> duplicated = new ArrayList<>();
    List<Integer> depths = new ArrayList<>();
    while (s.model().getNLayers() < 24) {
      Grown g = Growth.grow(s, GrowthRequest.of(op, b));
      int n = s.model().getNLayers() / b;
      List<Integer> map = g.record().getLayerMapList();
      // The one block (1-based) whose layers appear twice in the new model.
      for (int block = 1; block <= n; block++) {
        int first = (block - 1) * b;
        if (map.stream().filter(x -> x == first).count() == 2) {
          duplicated.add(block);
        }
      }
      s = g.state();
      depths.add(s.model().getNLayers());
    }
    assertThat(depths).containsExactly(8, 12, 16, 20, 24);
    return duplicated;
  }

  @Test
  void everyGrownTensorEqualsItsSourceBitForBitAndIsADeepCopy() {
    TrainState old = TestingStates.trained(TestingStates.config(4));
    List<GrowthRequest> requests =
        List.of(
            GrowthRequest.of(GrowthOperator.MIDAS, 2),
            GrowthRequest.of(GrowthOperator.GRADSTACK, 2),
            GrowthRequest.of(GrowthOperator.DOUBLE, 2),
            GrowthRequest.of(GrowthOperator.MAP, 1).withMap(List.of(3, 0, 0, 2, 1)));
    for (GrowthRequest r : requests) {
      Grown g = Growth.grow(old, r);
      NamedTensors p = g.state().params();
      assertThat(p.names())
          .containsExactlyElementsOf(ParameterLayout.shapes(g.state().model()).keySet());
      for (String name : p.names()) {
        String source = sourceName(name, g.record());
        assertThat(p.get(name)).as("%s %s", r.operator(), name).isEqualTo(old.params().get(source));
        assertThat(p.get(name).data()).isNotSameAs(old.params().get(source).data());
        assertThat(g.state().adamM().get(name)).isEqualTo(old.adamM().get(source));
        assertThat(g.state().adamV().get(name)).isEqualTo(old.adamV().get(source));
      }
    }
    Grown g = Growth.grow(old, GrowthRequest.of(GrowthOperator.MIDAS, 1));
    g.state().params().get("layers.2.attn.q.weight").data()[0] += 1f;
    assertThat(g.state().params().get("layers.1.attn.q.weight"))
        .as("the two copies are untied")
        .isNotEqualTo(g.state().params().get("layers.2.attn.q.weight"));
    assertThat(old.params()).isEqualTo(TestingStates.trained(TestingStates.config(4)).params());
  }

  private static String sourceName(String name, GrowthRecord rec) {
    int j = ParameterLayout.layerOf(name);
    return j < 0 ? name : ParameterLayout.renameLayer(name, rec.getLayerMap(j));
  }

  @Test
  void copyPolicyKeepsOptimizerStepAndResetStartsFreshMomentsAtStepZero() {
    TrainState old = TestingStates.trained(TestingStates.config(2));
    Grown copy = Growth.grow(old, GrowthRequest.of(GrowthOperator.MIDAS, 1));
    assertThat(copy.state().adamM().get("layers.1.mlp.fc1.weight"))
        .isEqualTo(old.adamM().get("layers.0.mlp.fc1.weight"));
    assertThat(copy.state().position().getOptimizerStep()).isEqualTo(100);
    assertThat(copy.record().getOptimizerState()).isEqualTo("copy");

    Grown reset =
        Growth.grow(
            old,
            GrowthRequest.of(GrowthOperator.MIDAS, 1)
                .withOptimizerState(OptimizerStatePolicy.RESET));
    assertThat(reset.state().adamM().size()).isZero();
    assertThat(reset.state().adamV().size()).isZero();
    assertThat(reset.state().position().getOptimizerStep()).isZero();
    assertThat(reset.state().position().getGlobalStep()).isEqualTo(100);
    assertThat(reset.state().position().getDataCursor()).isEqualTo(7);
    assertThat(reset.state().position().getStageStep()).isZero();
    assertThat(reset.state().params()).isEqualTo(copy.state().params());
    assertThat(reset.record().getOptimizerState()).isEqualTo("reset");
  }

  @Test
  void randomInsertsFreshLayersFromTheSeedWhereMidasWouldCopy() {
    TrainState old = TestingStates.trained(TestingStates.config(4));
    Grown g = Growth.grow(old, GrowthRequest.of(GrowthOperator.RANDOM, 2).withSeed(42));
    assertThat(g.record().getLayerMapList()).containsExactly(0, 1, -1, -1, 2, 3);
    assertThat(g.record().getInitSeed()).isEqualTo(42);
    NamedTensors fresh = ParameterInit.layer(g.state().model(), 2, 42);
    for (String name : fresh.names()) {
      assertThat(g.state().params().get(name)).isEqualTo(fresh.get(name));
      Tensor m = g.state().adamM().get(name);
      assertThat(m).isEqualTo(Tensor.zeros(m.shape()));
    }
    assertThat(g.state().params().get("layers.2.attn.q.weight"))
        .isNotEqualTo(old.params().get("layers.0.attn.q.weight"))
        .isNotEqualTo(old.params().get("layers.2.attn.q.weight"));
    assertThat(g.state().params().get("layers.4.attn.q.weight"))
        .isEqualTo(old.params().get("layers.2.attn.q.weight"));
  }

  @Test
  void zeroCopiesTheMidasBlockWithOutputProjectionsZeroed() {
    TrainState old = TestingStates.trained(TestingStates.config(2));
    Grown g = Growth.grow(old, GrowthRequest.of(GrowthOperator.ZERO, 1));
    assertThat(g.record().getLayerMapList()).containsExactly(0, 0, 1);
    assertThat(g.record().getZeroedLayersList()).containsExactly(1);
    NamedTensors p = g.state().params();
    for (String out : ParameterLayout.OUTPUT_PROJECTIONS) {
      Tensor t = p.get("layers.1." + out);
      assertThat(t).isEqualTo(Tensor.zeros(t.shape()));
      assertThat(g.state().adamV().get("layers.1." + out)).isEqualTo(Tensor.zeros(t.shape()));
    }
    assertThat(p.get("layers.1.attn.q.weight"))
        .isEqualTo(old.params().get("layers.0.attn.q.weight"));
    assertThat(p.get("layers.0.attn.o.weight"))
        .isEqualTo(old.params().get("layers.0.attn.o.weight"));
  }

  @Test
  void rejectsDepthsThatAreNotAMultipleOfTheBlockSize() {
    TrainState old = TestingStates.trained(TestingStates.config(10));
    assertThatThrownBy(() -> Growth.grow(old, GrowthRequest.of(GrowthOperator.MIDAS, 4)))
        .isInstanceOf(GrowthException.class)
        .hasMessage("n_layers 10 is not a multiple of blockSize 4");
    assertThatThrownBy(() -> GrowthOperator.parse("stack"))
        .hasMessage(
            "growth operator 'stack' is not one of midas, gradstack, double, map, random, zero,"
                + " duplicate-<j>");
  }

  @Test
  void growthRecordsOperatorBlockSizeAndMap() {
    ModelConfig c = TestingStates.config(3);
    Grown g = Growth.grow(TestingStates.trained(c), GrowthRequest.of(GrowthOperator.MIDAS, 1));
    assertThat(g.record().getOperator()).isEqualTo("midas");
    assertThat(g.record().getBlockSize()).isEqualTo(1);
    assertThat(g.record().getLayerMapList()).containsExactly(0, 1, 1, 2);
    assertThat(g.state().model().getNLayers()).isEqualTo(4);
  }
}
