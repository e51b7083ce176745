package dev.midas.plan.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.midas.plan.spec.ResolvedSpec;
import dev.midas.plan.spec.SpecLoader;
import dev.midas.plan.spec.SpecValidator;
import dev.midas.proto.StageSpec;
import org.junit.jupiter.api.Test;

class StageSpecsTest {
  private static final String SPEC =
      """
      model: {vocabSize: 100, dModel: 16, heads: 2, targetLayers: 6, seqLen: 8}
      growth: {operator: midas, blockSize: 2}
      schedule: {totalSteps: 60}
      """;

  private final ResolvedSpec spec =
      SpecValidator.resolve("exp", SpecLoader.parse(SPEC, "inline").spec());

  @Test
  void stageSpecCarriesDepthStepsAndGlobalStart() {
    StageSpec s2 = StageSpecs.of(spec, "u1", 2);

    assertThat(s2.getModel().getNLayers()).isEqualTo(4);
    assertThat(s2.getModel().getDFf()).isEqualTo(64);
    assertThat(s2.getStageSteps()).isEqualTo(20);
    assertThat(s2.getGlobalStepStart()).isEqualTo(10);
    assertThat(s2.getTotalSteps()).isEqualTo(60);
    assertThat(s2.getNumStages()).isEqualTo(3);
    assertThat(s2.getGrowthOperator()).isEqualTo("midas");
    assertThat(s2.getBlockSize()).isEqualTo(2);
  }

  @Test
  void lastStageGrowsNothing() {
    StageSpec s3 = StageSpecs.of(spec, "u1", 3);

    assertThat(s3.getModel().getNLayers()).isEqualTo(6);
    assertThat(s3.getGrowthOperator()).isEmpty();
    assertThat(s3.getGlobalStepStart() + s3.getStageSteps()).isEqualTo(60);
  }

  @Test
  void stageOutsideTheRunIsRefused() {
    assertThatThrownBy(() -> StageSpecs.of(spec, "u1", 4))
        .hasMessageContaining("stage 4 is outside 1..3 of experiment exp");
  }
}
