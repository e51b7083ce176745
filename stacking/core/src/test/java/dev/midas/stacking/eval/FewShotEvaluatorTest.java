package dev.midas.stacking.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.midas.proto.ReasoningExample;
import dev.midas.proto.TaskScore;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FewShotEvaluatorTest {
  static ReasoningExample example(
      String task, int depth, String variant, String split, long id, String answer) {
    return ReasoningExample.newBuilder()
        .setTask(task)
        .setDepth(depth)
        .setVariant(variant)
        .setSplit(split)
        .setId(id)
        .setPrompt("q" + id + "\nAnswer:")
        .setAnswer(answer)
        .addAllCandidates(List.of("3", "7"))
        .build();
  }

  static List<ReasoningExample> pool(String task, int depth, String variant, String answer) {
    List<ReasoningExample> l = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      l.add(example(task, depth, variant, "fewshot", 100 + i, answer));
    }
    return l;
  }

  @Test
  void contextIsFiveSolvedShotsSeparatedByBlankLinesThenTheQuery() {
    List<ReasoningExample> pool = pool("psm", 0, "", "7");
    ReasoningExample q = example("psm", 0, "", "eval", 1, "7");

    String ctx = FewShotPrompt.context(FewShotPrompt.pickShots(pool, q, 5, 42), q);

    String[] parts = ctx.split("\n\n");
    assertThat(parts).hasSize(6);
    for (int i = 0; i < 5; i++) {
      assertThat(parts[i]).matches("q10\\d\nAnswer: 7");
    }
    assertThat(parts[5]).isEqualTo("q1\nAnswer:");
  }

  @Test
  void shotsAreDistinctAndTheSameForTheSameSeed() {
    List<ReasoningExample> pool = pool("psm", 0, "", "7");
    ReasoningExample q = example("psm", 0, "", "eval", 1, "7");

    List<ReasoningExample> a = FewShotPrompt.pickShots(pool, q, 5, 42);

    assertThat(a).doesNotHaveDuplicates().hasSize(5);
    assertThat(FewShotPrompt.pickShots(pool, q, 5, 42)).isEqualTo(a);
  }

  @Test
  void tooFewShotsIsRefusedNamingTheTask() {
    ReasoningExample q = example("variable_assignment", 1, "math", "eval", 1, "7");

    assertThatThrownBy(
            () ->
                FewShotPrompt.pickShots(
                    pool("variable_assignment", 1, "math", "7").subList(0, 2), q, 5, 1))
        .hasMessageContaining("variable_assignment/math/depth1 has 2 few-shot examples");
  }

  @Test
  void modelThatAlwaysAnswersSevenScoresOnlyOnTasksWhoseAnswerIsSeven() {
    // After "Answer:" the model writes " 7\n"; it also prefers " 7" over " 3" by likelihood.
    TestingBigramModel m =
        new TestingBigramModel(512)
            .prefer(':', ' ', 6)
            .prefer(' ', '7', 6)
            .prefer('7', '\n', 6)
            .prefer('3', '\n', 6);
    List<ReasoningExample> fewshot = new ArrayList<>(pool("psm", 0, "", "7"));
    fewshot.addAll(pool("variable_assignment", 2, "code", "3"));
    List<ReasoningExample> eval =
        List.of(
            example("psm", 0, "", "eval", 1, "7"),
            example("psm", 0, "", "eval", 2, "7"),
            example("variable_assignment", 2, "code", "eval", 3, "3"));

    List<TaskScore> scores =
        FewShotEvaluator.evaluate(
            m, new TestingCharCodec(), fewshot, eval, FewShotEvaluator.Options.defaults(1));

    assertThat(scores)
        .extracting(
            TaskScore::getTask, TaskScore::getProtocol, TaskScore::getAccuracy, TaskScore::getN)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("psm", "5shot-exact", 1.0, 2),
            org.assertj.core.groups.Tuple.tuple("psm", "5shot-loglik", 1.0, 2),
            org.assertj.core.groups.Tuple.tuple(
                "variable_assignment/code/depth2", "5shot-exact", 0.0, 1),
            org.assertj.core.groups.Tuple.tuple(
                "variable_assignment/code/depth2", "5shot-loglik", 0.0, 1));
  }

  @Test
  void greedyAnswerIsComparedUpToTheFirstNewlineOnly() {
    assertThat(FewShotEvaluator.firstLine(" 22\nThe following")).isEqualTo("22");
    assertThat(FewShotEvaluator.firstLine("22 ")).isEqualTo("22");
  }

  @Test
  void greedyTextStopsBeingDecodedOnlyOnceItCanNoLongerBeTheAnswer() {
    assertThat(FewShotEvaluator.canStillMatch("", "22")).isTrue();
    assertThat(FewShotEvaluator.canStillMatch(" 2", "22")).isTrue();
    assertThat(FewShotEvaluator.canStillMatch(" 22  ", "22")).isTrue();
    assertThat(FewShotEvaluator.canStillMatch(" 3", "22")).isFalse();
    assertThat(FewShotEvaluator.canStillMatch(" 22x", "22")).isFalse();
    assertThat(FewShotEvaluator.canStillMatch(" 2 2", "22")).isFalse();
  }

  @Test
  void rowsThatGoWrongEarlyAreScoredAsIfDecodedToTheEnd() {
    // The model writes " 333..." and never a newline: with four new tokens the text is " 333".
    // Query 1 (7) is wrong from the first digit on, query 3 (3) from the second.
    TestingBigramModel m =
        new TestingBigramModel(64).prefer(':', ' ', 6).prefer(' ', '3', 6).prefer('3', '3', 6);
    List<ReasoningExample> queries =
        List.of(
            example("psm", 0, "", "eval", 1, "7"),
            example("psm", 0, "", "eval", 2, "333"),
            example("psm", 0, "", "eval", 3, "3"));
    List<List<ReasoningExample>> noShots = List.of(List.of(), List.of(), List.of());

    List<FewShotEvaluator.QueryOutcome> out =
        FewShotEvaluator.measure(m, new TestingCharCodec(), queries, noShots, 4);

    assertThat(out)
        .extracting(FewShotEvaluator.QueryOutcome::exact)
        .containsExactly(false, true, false);
  }

  @Test
  void anAnswerWhoseTextIsAPrefixOfAnotherCandidateDoesNotWinForStoppingEarly() {
    // After " 2" the model goes on with another 2; after " 22" it ends the line. The answer is 22:
    // scored with its newline it wins; scored bare, " 2" would always beat " 22".
    TestingBigramModel m =
        new TestingBigramModel(512)
            .prefer(':', ' ', 6)
            .prefer(' ', '2', 6)
            .prefer(' ', '2', '2', 4)
            .prefer('2', '2', '\n', 6);
    ReasoningExample q =
        example("psm", 0, "", "eval", 1, "22").toBuilder()
            .clearCandidates()
            .addAllCandidates(List.of("2", "22"))
            .build();

    List<TaskScore> scores =
        FewShotEvaluator.evaluate(
            m,
            new TestingCharCodec(),
            pool("psm", 0, "", "22"),
            List.of(q),
            FewShotEvaluator.Options.defaults(1));

    assertThat(scores)
        .filteredOn(s -> s.getProtocol().equals("5shot-loglik"))
        .singleElement()
        .extracting(TaskScore::getAccuracy)
        .isEqualTo(1.0);
  }

  @Test
  void shotsThatDoNotFitAreDroppedWholeFarthestFirstAndCounted() {
    // Each shot "q10x\nAnswer: 7" plus its blank line is 16 characters, the query 10; with room
    // for 8 greedy tokens, seq_len 50 leaves 43 for the context: two shots and the query.
    TestingBigramModel m = new TestingBigramModel(50).prefer(':', ' ', 6).prefer(' ', '7', 6);
    List<ReasoningExample> pool = pool("psm", 0, "", "7");
    ReasoningExample q = example("psm", 0, "", "eval", 1, "7");
    List<ReasoningExample> shots = FewShotPrompt.pickShots(pool, q, 5, 1);
    TestingCharCodec codec = new TestingCharCodec();

    FewShotPrompt.Fitted fitted =
        FewShotPrompt.fit(shots, q, codec, SequenceScoring.contextBudget(50, 3, 8)).orElseThrow();
    List<TaskScore> scores =
        FewShotEvaluator.evaluate(m, codec, pool, List.of(q), FewShotEvaluator.Options.defaults(1));

    assertThat(fitted.shots()).isEqualTo(2);
    assertThat(codec.decode(fitted.tokens()))
        .isEqualTo(FewShotPrompt.context(shots.subList(3, 5), q))
        .startsWith(FewShotPrompt.solved(shots.get(3)));
    assertThat(scores)
        .allSatisfy(
            s -> {
              assertThat(s.getMeanShots()).isEqualTo(2.0);
              assertThat(s.getMinShots()).isEqualTo(2);
              assertThat(s.getN()).isEqualTo(1);
              assertThat(s.getUnfit()).isZero();
            });
  }

  @Test
  void aQueryThatDoesNotFitEvenAloneIsCountedAndNotScored() {
    TestingBigramModel m = new TestingBigramModel(12);
    List<TaskScore> scores =
        FewShotEvaluator.evaluate(
            m,
            new TestingCharCodec(),
            pool("psm", 0, "", "7"),
            List.of(example("psm", 0, "", "eval", 1, "7")),
            FewShotEvaluator.Options.defaults(1));

    assertThat(scores)
        .allSatisfy(
            s -> {
              assertThat(s.getN()).isZero();
              assertThat(s.getUnfit()).isEqualTo(1);
              assertThat(s.getAccuracy()).isNaN();
            });
  }

  @Test
  void everyAccuracyCarriesItsInstanceCountAndWilsonInterval() {
    TestingBigramModel m =
        new TestingBigramModel(512).prefer(':', ' ', 6).prefer(' ', '7', 6).prefer('7', '\n', 6);
    List<ReasoningExample> eval = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      eval.add(example("psm", 0, "", "eval", i, i < 5 ? "7" : "3"));
    }

    List<TaskScore> scores =
        FewShotEvaluator.evaluate(
            m,
            new TestingCharCodec(),
            pool("psm", 0, "", "7"),
            eval,
            FewShotEvaluator.Options.defaults(1));

    assertThat(scores)
        .allSatisfy(
            s -> {
              assertThat(s.getN()).isEqualTo(10);
              assertThat(s.getAccuracy()).isEqualTo(0.5);
              assertThat(s.getCiLow())
                  .isCloseTo(0.2366, org.assertj.core.api.Assertions.within(1e-4));
              assertThat(s.getCiHigh())
                  .isCloseTo(0.7634, org.assertj.core.api.Assertions.within(1e-4));
            });
  }
}
