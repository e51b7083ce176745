package dev.midas.operator.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midas.operator.api.SweepAxes;
import dev.midas.operator.api.SweepSpec;
import dev.midas.operator.testing.OperatorHarness;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Children are named by their axis values, so editing a sweep's axes keeps every name. */
class SweepPlannerTest {
  @Test
  void childNamesStayWhenTheAxesAreEditedOrReordered() {
    Map<String, String> before = names(List.of("midas", "zero"), List.of(1L, 2L));
    Map<String, String> after = names(List.of("zero", "midas", "gradstack"), List.of(3L, 2L, 1L));

    assertThat(after).containsAllEntriesOf(before);
    assertThat(after).hasSize(9);
    assertThat(after.values()).doesNotHaveDuplicates().allMatch(n -> n.length() <= 63);
  }

  @Test
  void gridSizeIsComputedWithoutBuildingIt() {
    SweepSpec s =
        spec(List.of("midas", "zero"), java.util.stream.LongStream.range(0, 200).boxed().toList());
    assertThat(SweepPlanner.size(s)).isEqualTo(400);
  }

  private static Map<String, String> names(List<String> operators, List<Long> seeds) {
    return SweepPlanner.plan("grid", spec(operators, seeds)).stream()
        .collect(Collectors.toMap(c -> c.operator() + "/" + c.seed(), SweepChild::name));
  }

  private static SweepSpec spec(List<String> operators, List<Long> seeds) {
    SweepSpec s = new SweepSpec();
    s.template = OperatorHarness.experiment("/experiments/three-stage.yaml", "ns", "t").getSpec();
    s.axes = new SweepAxes();
    s.axes.operator = operators;
    s.axes.seed = seeds;
    return s;
  }
}
