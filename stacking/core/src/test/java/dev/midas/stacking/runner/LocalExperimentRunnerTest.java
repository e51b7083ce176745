package dev.midas.stacking.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midas.checkpoint.CheckpointStore;
import dev.midas.plan.layout.RunLayout;
import dev.midas.proto.CheckpointManifest;
import dev.midas.proto.ExitClass;
import dev.midas.proto.StageResult;
import dev.midas.store.FileObjectStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalExperimentRunnerTest {

  @Test
  void runsEachStageAsAProcessPassingCheckpointsThroughTheStoreAndRerunDoesNothing(
      @TempDir Path dir) throws Exception {
    Path spec = TestingSpecs.tiny(dir);
    String[] args = {
      "--spec", spec.toString(), "--root", dir.resolve("store").toString(), "--threads", "1"
    };
    ByteArrayOutputStream printed = new ByteArrayOutputStream();

    ExperimentRun run = LocalExperimentRunner.run(args, new PrintStream(printed, true));

    String text = printed.toString(StandardCharsets.UTF_8);
    assertThat(run.exitCode()).as(text).isZero();
    assertThat(run.stages()).hasSize(2);
    StageResult s1 = run.stages().get(0).result().orElseThrow();
    StageResult s2 = run.stages().get(1).result().orElseThrow();
    assertThat(s1.getExitClass()).isEqualTo(ExitClass.EXIT_CLASS_DONE);
    assertThat(s1.getGlobalStep()).isEqualTo(4);
    assertThat(s2.getGlobalStep()).isEqualTo(12);
    assertThat(s2.getValLoss()).isFinite();
    assertThat(text).contains("stage 1: done  1 layers", "stage 2: done  2 layers");
    // Stage 2 ran in stage 1's process.
    assertThat(s1.getTimings().getPrestarted()).isZero();
    assertThat(s2.getTimings().getPrestarted()).isPositive();

    CheckpointStore ckpts = new CheckpointStore(new FileObjectStore(dir.resolve("store")));
    RunLayout layout = run.layout();
    CheckpointManifest grown = ckpts.manifest(URI.create(s1.getGrownManifest()));
    assertThat(grown.getModel().getNLayers()).isEqualTo(2);
    assertThat(grown.getGrowth().getOperator()).isEqualTo("midas");
    assertThat(grown.getParentManifest()).isEqualTo(s1.getFinalManifest());
    CheckpointManifest fin2 = ckpts.manifest(URI.create(s2.getFinalManifest()));
    assertThat(fin2.getParentManifest()).isEqualTo(s1.getGrownManifest());
    assertThat(fin2.getPosition().getStageStep()).isEqualTo(8);
    assertThat(ckpts.objectStore().exists(layout.heartbeatKey(2))).isTrue();
    assertThat(ckpts.objectStore().exists(layout.resultKey(2))).isTrue();

    ExperimentRun again =
        LocalExperimentRunner.run(args, new PrintStream(new ByteArrayOutputStream()));
    assertThat(again.exitCode()).isZero();
    assertThat(again.stages()).isEmpty();
  }

  @Test
  void badSpecFailsBeforeAnyStageStarts(@TempDir Path dir) throws Exception {
    Path spec = TestingSpecs.tiny(dir);
    ByteArrayOutputStream printed = new ByteArrayOutputStream();

    ExperimentRun run =
        LocalExperimentRunner.run(
            new String[] {
              "--spec", spec.toString(), "--operator", "middle", "--root", dir.toString()
            },
            new PrintStream(printed, true));

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.stages()).isEmpty();
    assertThat(printed.toString(StandardCharsets.UTF_8))
        .contains("growth.operator 'middle' is not one of");
  }

  @Test
  void failedStagesAreRetriedAsThePlansExitClassTableSays(@TempDir Path dir) throws Exception {
    // retry.limit 0: preemptions (6) are resumed without counting, out of memory (4) counts
    // and so fails the run at once.
    ExperimentRun oom = scripted(dir.resolve("a"), 0, 6, 6, 4);
    assertThat(oom.stages()).hasSize(3);
    assertThat(oom.exitCode()).isEqualTo(4);

    // retry.limit 1: out of memory is retried once; an exit outside the table (137, a kill)
    // is a counted failure of class UNKNOWN, and the second counted failure ends the run.
    ExperimentRun unknown = scripted(dir.resolve("b"), 1, 4, 6, 137);
    assertThat(unknown.stages()).hasSize(3);
    assertThat(unknown.exitCode()).isEqualTo(1);
    assertThat(unknown.message()).isEqualTo("exit code 137");

    // What cannot get better (3: diverged) is never retried.
    ExperimentRun diverged = scripted(dir.resolve("c"), 3, 3);
    assertThat(diverged.stages()).hasSize(1);
    assertThat(diverged.exitCode()).isEqualTo(3);
  }

  @Test
  void aFailedEvaluationIsRetriedAsTheTableSaysAndNeverTrainsAgain(@TempDir Path dir)
      throws Exception {
    // retry.limit 1: the evaluation runs out of memory (4) once, is retried, and succeeds; each
    // stage trained once (in this JVM, as the stage process would).
    ExperimentRun retried = evaluated(dir.resolve("a"), 4);
    assertThat(retried.exitCode()).isZero();
    assertThat(retried.stages()).hasSize(2).allSatisfy(o -> assertThat(o.exitCode()).isZero());
    assertThat(retried.evaluations())
        .extracting(StageProcess.EvaluationOutcome::exitCode)
        .containsExactly(4, 0);

    // A bad spec (2) is never retried: the run fails after one evaluation, without training.
    ExperimentRun bad = evaluated(dir.resolve("b"), 2);
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.stages()).hasSize(2);
    assertThat(bad.evaluations()).hasSize(1);
  }

  /**
   * Runs the tiny spec (retry.limit 1) with its stages and evaluation in this JVM, the first
   * evaluation attempt exiting with {@code firstEvaluationExit} instead of running.
   */
  private static ExperimentRun evaluated(Path dir, int firstEvaluationExit) throws Exception {
    java.nio.file.Files.createDirectories(dir);
    Path spec = TestingSpecs.tiny(dir);
    java.nio.file.Files.writeString(
        spec, "retry: {limit: 1, backoffSeconds: 0}\n", java.nio.file.StandardOpenOption.APPEND);
    java.util.concurrent.atomic.AtomicInteger evaluations =
        new java.util.concurrent.atomic.AtomicInteger();
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(printed, true);
    ExperimentRun run =
        LocalExperimentRunner.run(
            new String[] {
              "--spec", spec.toString(), "--root", dir.resolve("store").toString(), "--threads", "1"
            },
            out,
            (args, o) ->
                new StageProcess.Outcome(
                    StageRunner.run(
                        args.toArray(String[]::new),
                        o,
                        new java.util.concurrent.atomic.AtomicBoolean()),
                    java.util.Optional.empty(),
                    0.0),
            (args, o) ->
                new StageProcess.EvaluationOutcome(
                    evaluations.getAndIncrement() == 0
                        ? firstEvaluationExit
                        : EvaluationRunner.run(args.toArray(String[]::new), o),
                    java.util.Optional.empty(),
                    0.0));
    assertThat(printed.toString(StandardCharsets.UTF_8))
        .contains("evaluation after stage 2/2")
        .doesNotContain("stage 1/2: resume");
    return run;
  }

  /** Runs the tiny spec with a stage launcher that only exits with the given codes, in order. */
  private static ExperimentRun scripted(Path dir, int retryLimit, int... exits) throws Exception {
    java.nio.file.Files.createDirectories(dir);
    Path spec = TestingSpecs.tiny(dir);
    java.nio.file.Files.writeString(
        spec,
        "retry: {limit: " + retryLimit + ", backoffSeconds: 0}\n",
        java.nio.file.StandardOpenOption.APPEND);
    java.util.Deque<Integer> left = new java.util.ArrayDeque<>();
    for (int e : exits) {
      left.add(e);
    }
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    ExperimentRun run =
        LocalExperimentRunner.run(
            new String[] {"--spec", spec.toString(), "--root", dir.resolve("store").toString()},
            new PrintStream(printed, true),
            (args, out) ->
                new StageProcess.Outcome(left.remove(), java.util.Optional.empty(), 0.0));
    assertThat(left).as(printed.toString(StandardCharsets.UTF_8)).isEmpty();
    return run;
  }
}
