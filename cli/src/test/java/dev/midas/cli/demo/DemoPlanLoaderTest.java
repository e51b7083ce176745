package dev.midas.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.midas.plan.spec.InvalidSpecException;
import dev.midas.plan.spec.ResolvedSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoPlanLoaderTest {
  @TempDir Path tmp;

  @Test
  void everyPresetIsAValidExperimentForEachOfItsMethods() throws Exception {
    for (String preset : DemoPlanLoader.PRESETS) {
      DemoPlan plan = DemoPlanLoader.preset(preset);
      // small stays at three methods: the looped model and LAG would add about two hours on CPU.
      assertThat(plan.methods())
          .as(preset)
          .containsExactlyElementsOf(
              preset.equals("small")
                  ? java.util.List.of("baseline", "gradstack", "midas")
                  : java.util.List.of("baseline", "gradstack", "midas", "loop", "lag"));
      for (String method : plan.methods()) {
        ResolvedSpec spec =
            plan.resolve(method, "file:///d/MANIFEST", "file:///p/MANIFEST", "file:///r");
        assertThat(spec.growth().operator()).isEqualTo(method);
        assertThat(spec.name()).isEqualTo("demo-" + preset + "-" + method);
      }
    }
  }

  @Test
  void tinyPresetGrowsOneLayerPerStageOverFourStagesOnTheBaselinesBudget() throws Exception {
    DemoPlan tiny = DemoPlanLoader.preset("tiny");

    ResolvedSpec midas = tiny.resolvedTemplate("midas");
    ResolvedSpec baseline = tiny.resolvedTemplate("baseline");

    assertThat(midas.numStages()).isEqualTo(4);
    assertThat(baseline.numStages()).isEqualTo(1);
    assertThat(midas.schedule().totalSteps()).isEqualTo(baseline.schedule().totalSteps());
    assertThat(midas.evaluation().finetuneExamples()).isEqualTo(64);
    assertThat(midas.evaluation().finetuneSeeds()).isEqualTo(3);
    assertThat(midas.evaluation().requested()).isTrue();
    // One PyTorch thread: at this size a second one costs more than it gives on shared cores.
    assertThat(tiny.settings().threads()).isEqualTo(1);
  }

  @Test
  void unknownPresetIsRefusedListingTheKnownOnes() {
    assertThatThrownBy(() -> DemoPlanLoader.preset("huge"))
        .hasMessage("--preset huge is not one of micro, tiny, small, gpu");
  }

  @Test
  void experimentResourceIsComparedAcrossTheThreeDefaultMethods() throws Exception {
    Path f = tmp.resolve("x.yaml");
    Files.writeString(
        f,
        """
        apiVersion: midas.dev/v1alpha1
        kind: StackingExperiment
        metadata:
          name: mine
          annotations:
            midas.dev/demo-primitives-per-task: "3"
        spec:
          model: {vocabSize: 300, dModel: 16, heads: 2, targetLayers: 2, seqLen: 16}
          growth: {operator: midas, blockSize: 1}
          schedule: {totalSteps: 10, batchSize: 2}
        """);

    DemoPlan plan = DemoPlanLoader.file(f);

    assertThat(plan.name()).isEqualTo("mine");
    assertThat(plan.methods()).containsExactly("baseline", "gradstack", "midas");
    assertThat(plan.settings().primitivesPerTask()).isEqualTo(3);
    assertThat(plan.resolve("gradstack", null, null, null).growth().operator())
        .isEqualTo("gradstack");
  }

  @Test
  void sweepOverSeveralBlockSizesIsRefusedInTheUsersTerms() throws Exception {
    Path f = tmp.resolve("s.yaml");
    Files.writeString(
        f,
        """
        kind: StackingSweep
        metadata: {name: s}
        spec:
          axes: {operator: [midas], blockSize: [1, 2]}
          template: {model: {targetLayers: 4}}
        """);

    assertThatThrownBy(() -> DemoPlanLoader.file(f))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessageContaining("spec.axes.blockSize has 2 values");
  }

  @Test
  void misspeltSpecFieldIsRefusedNamingIt() throws Exception {
    Path f = tmp.resolve("m.yaml");
    Files.writeString(f, "kind: StackingSweep\nspec:\n  axes: {}\n  template: {modle: {}}\n");

    assertThatThrownBy(() -> DemoPlanLoader.file(f)).hasMessageContaining("modle");
  }
}
