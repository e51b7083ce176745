package dev.midas.pipelines.primitives;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midas.proto.ReasoningExample;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ExampleSetsTest {
  private static final ExampleSets.Sizes SIZES = new ExampleSets.Sizes(8, 64, 100);

  @Test
  void sameSeedDealsTheSameExamplesAndAnotherSeedDoesNot() {
    for (PrimitiveTask task : PrimitiveTask.all()) {
      assertThat(ExampleSets.generate(task, 0, 42, SIZES))
          .isEqualTo(ExampleSets.generate(task, 0, 42, SIZES))
          .isNotEqualTo(ExampleSets.generate(task, 0, 43, SIZES));
    }
  }

  @Test
  void everySplitGetsItsSizeAndNoPromptIsInTwoSplits() {
    for (PrimitiveTask task : PrimitiveTask.all()) {
      List<ReasoningExample> examples = ExampleSets.generate(task, 3, 42, SIZES);
      Map<String, Long> bySplit =
          examples.stream()
              .collect(Collectors.groupingBy(ReasoningExample::getSplit, Collectors.counting()));
      assertThat(bySplit)
          .containsEntry("fewshot", 8L)
          .containsEntry("finetune", 64L)
          .containsEntry("eval", 100L);
      assertThat(examples.stream().map(ReasoningExample::getPrompt)).doesNotHaveDuplicates();
      assertThat(examples.stream().map(ReasoningExample::getId)).doesNotHaveDuplicates();
      assertThat(examples)
          .allSatisfy(e -> assertThat(e.getCandidatesList()).contains(e.getAnswer()));
    }
  }

  @Test
  void aLargerFineTunePoolLeavesTheEvaluationSetAsItWas() {
    for (PrimitiveTask task : PrimitiveTask.all()) {
      List<ReasoningExample> small =
          ExampleSets.generate(task, 1, 42, new ExampleSets.Sizes(8, 64, 50));
      List<ReasoningExample> large =
          ExampleSets.generate(task, 1, 42, new ExampleSets.Sizes(8, 192, 50));
      assertThat(large.stream().filter(e -> e.getSplit().equals("eval")))
          .containsExactlyElementsOf(
              small.stream().filter(e -> e.getSplit().equals("eval")).toList());
      assertThat(large.stream().filter(e -> e.getSplit().equals("finetune")).limit(64))
          .containsExactlyElementsOf(
              small.stream().filter(e -> e.getSplit().equals("finetune")).toList());
    }
  }

  @Test
  void askingForMoreDistinctInstancesThanATaskHasFailsClearly() {
    PrimitiveTask psm = new PrimitiveTask(PrimitiveTask.PSM, 0, "");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> ExampleSets.generate(psm, 0, 1, new ExampleSets.Sizes(0, 0, 5_000)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("psm/d0 has too few distinct instances");
  }
}
