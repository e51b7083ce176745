package dev.midas.stacking.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.midas.checkpoint.Tensor;
import org.junit.jupiter.api.Test;

class OutputInitScaleTest {
  static double std(Tensor t) {
    double ss = 0;
    for (float v : t.data()) {
      ss += v * v;
    }
    return Math.sqrt(ss / t.data().length);
  }

  @Test
  void aShallowStageInitialisedForTheTargetDepthStartsAtTheFullDepthModelsScale() {
    // Stage 1 of an 8-layer run trains 2 layers; the baseline trains all 8 from the start.
    var stage1 = TestingModels.tiny(2).toBuilder().setInitDepth(8).build();
    var baseline = TestingModels.tiny(8).toBuilder().setInitDepth(8).build();

    for (String p : new String[] {"layers.0.attn.o.weight", "layers.1.mlp.fc2.weight"}) {
      Tensor shallow = ParameterInit.model(stage1, 4).get(p);
      assertThat(shallow).as(p).isEqualTo(ParameterInit.model(baseline, 4).get(p));
      assertThat(std(shallow)).isCloseTo(0.02 / Math.sqrt(16), within(5e-4));
    }
    // Other matrices do not depend on depth at all.
    assertThat(ParameterInit.model(stage1, 4).get("layers.0.attn.q.weight"))
        .isEqualTo(ParameterInit.model(TestingModels.tiny(2), 4).get("layers.0.attn.q.weight"));
  }

  @Test
  void withoutAnInitDepthTheScaleFollowsTheModelsOwnDepth() {
    Tensor own = ParameterInit.model(TestingModels.tiny(2), 4).get("layers.0.attn.o.weight");

    assertThat(std(own)).isCloseTo(0.02 / Math.sqrt(4), within(1e-3));
  }
}
