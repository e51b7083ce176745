package dev.midas.plan.lag;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midas.plan.spec.ExperimentSpec;
import dev.midas.plan.spec.GrowthSpec;
import dev.midas.plan.spec.LagSpec;
import dev.midas.plan.spec.ModelSpec;
import dev.midas.plan.spec.ResolvedSpec;
import dev.midas.plan.spec.ScheduleSpec;
import dev.midas.plan.spec.SpecValidator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LagPlanTest {
  /** Adaptive stacking of 8 layers in blocks of 2 (4 stages, Prop-1 over 100 steps). */
  static ExperimentSpec lag() {
    ExperimentSpec s = new ExperimentSpec();
    s.model = new ModelSpec();
    s.model.vocabSize = 256;
    s.model.dModel = 64;
    s.model.heads = 4;
    s.model.targetLayers = 8;
    s.model.seqLen = 32;
    s.growth = new GrowthSpec();
    s.growth.operator = "lag";
    s.growth.blockSize = 2;
    s.schedule = new ScheduleSpec();
    s.schedule.totalSteps = 100L;
    return s;
  }

  @Test
  void candidatesIncludeEveryDuplicatedBlockButNoModelTwice() {
    ResolvedSpec r = SpecValidator.resolve("exp", lag());

    // Into stage 2 the model has 1 block: midas, gradstack and duplicate-1 all copy it.
    assertThat(LagPlan.candidates(r, 2)).containsExactly("midas", "random", "zero");
    // 2 blocks: midas copies block 1 (left tie), gradstack block 2.
    assertThat(LagPlan.candidates(r, 3)).containsExactly("midas", "gradstack", "random", "zero");
    // 3 blocks: midas copies 2, gradstack 3, and duplicate-1 is new.
    assertThat(LagPlan.candidates(r, 4))
        .containsExactly("midas", "gradstack", "random", "zero", "duplicate-1");
  }

  @Test
  void namedDuplicatesBeyondTheModelAreLeftOutAndTheTieRuleMoves() {
    ExperimentSpec s = lag();
    s.growth.midasTie = "right";
    s.growth.lag = new LagSpec();
    s.growth.lag.candidates = List.of("duplicate-1", "duplicate-3", "midas", "gradstack");
    s.growth.lag.steps = 4L;
    ResolvedSpec r = SpecValidator.resolve("exp", s);

    // Two blocks, right tie: midas copies block 2, the block gradstack copies too.
    assertThat(LagPlan.candidates(r, 3)).containsExactly("duplicate-1", "midas");
    assertThat(LagPlan.candidates(r, 4)).containsExactly("duplicate-1", "duplicate-3", "midas");
  }

  @Test
  void operatorLagTakesDefaultCandidatesAndATenthOfStageTwoAsItsLag() {
    ResolvedSpec r = SpecValidator.resolve("exp", lag());

    assertThat(r.growth().lag().orElseThrow().candidates())
        .containsExactly("midas", "gradstack", "random", "zero", "duplicate");
    assertThat(r.schedule().stages().steps(2)).isEqualTo(20);
    assertThat(r.growth().lag().get().steps()).isEqualTo(2);
    assertThat(r.growth().grower()).isEqualTo("midas");
    assertThat(LagPlan.applies(r, 1)).isFalse();
    assertThat(LagPlan.applies(r, 2)).isTrue();
  }

  @Test
  void theLowestSelectionLossWinsAndFailedCandidatesCannot() {
    Map<String, Double> loss = new HashMap<>();
    loss.put("midas", 3.2);
    loss.put("zero", 3.1);
    loss.put("random", Double.NaN);

    assertThat(LagPlan.choose(List.of("midas", "random", "zero", "gradstack"), loss))
        .contains("zero");
    loss.put("midas", 3.1);
    assertThat(LagPlan.choose(List.of("midas", "zero"), loss)).as("tie: first").contains("midas");
    assertThat(LagPlan.choose(List.of("gradstack"), loss)).isEmpty();
  }

  @Test
  void aCandidateRunsTheExperimentWithItsOperatorAndNoLag() {
    ExperimentSpec s = lag();
    s.seed = 7L;

    ExperimentSpec probe = LagPlan.probeSpec(s, "duplicate-2");

    assertThat(probe.growth.operator).isEqualTo("duplicate-2");
    assertThat(probe.growth.lag).isNull();
    assertThat(probe.seed).isEqualTo(7L);
    assertThat(s.growth.operator).as("the original is untouched").isEqualTo("lag");
    assertThat(SpecValidator.resolve("exp", probe).growth().operator()).isEqualTo("duplicate-2");
    assertThat(LagPlan.probeSuffix(3, "zero")).isEqualTo("-lag03-zero");
  }
}
