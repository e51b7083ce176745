package dev.midas.stacking.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midas.plan.layout.RunLayout;
import dev.midas.proto.EvalResult;
import dev.midas.proto.ReportManifest;
import dev.midas.run.RunReader;
import dev.midas.stacking.report.ReportStore;
import dev.midas.stacking.results.DemoResults;
import dev.midas.stacking.results.MethodRun;
import dev.midas.stacking.testing.TestingDatasets;
import dev.midas.store.FileObjectStore;
import dev.midas.store.ObjectStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The evaluation entry point as the local runner runs it: a 2-stage MIDAS run on a dataset with a
 * tokenizer and primitives is trained and then evaluated in a child process, and its report is
 * committed to the store; a rerun finds everything done. One run serves every test here.
 */
class EvaluationRunnerTest {
  @TempDir static Path dir;
  static ExperimentRun run;
  static String printed;
  static ObjectStore store;

  static final String SPEC =
      """
      model: {vocabSize: 48, dModel: 16, heads: 2, targetLayers: 2, seqLen: 12}
      growth: {operator: midas, blockSize: 1}
      schedule: {totalSteps: 12, batchSize: 4, checkpointEvery: 4}
      data: {dataset: %s, primitives: %s}
      evaluation:
        valBatches: 2
        tasks: [induction_copying, psm]
        shots: 2
        finetune: true
        evalPerTask: 3
        finetuneExamples: 4
        finetuneSeeds: 2
        finetuneSteps: 1
        analysisTokens: 36
      seed: 5
      """;

  @BeforeAll
  static void trainAndEvaluate() throws Exception {
    store = new FileObjectStore(dir.resolve("store"));
    TestingDatasets.Uris data = TestingDatasets.write(store, 12);
    Path spec = dir.resolve("toy-eval.yaml");
    Files.writeString(spec, SPEC.formatted(data.dataset(), data.primitives()));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    run =
        LocalExperimentRunner.run(
            new String[] {
              "--spec", spec.toString(), "--root", store.root().toString(), "--threads", "1"
            },
            new PrintStream(out, true, StandardCharsets.UTF_8));
    printed = out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void theLocalRunnerEvaluatesAfterTheLastStageAndCommitsTheReport() throws Exception {
    assertThat(run.exitCode()).as(printed).isZero();
    assertThat(run.stages()).hasSize(2);
    assertThat(run.evaluations()).hasSize(1);
    EvalResult headline = run.evaluations().get(0).result().orElseThrow();
    ReportManifest committed = new RunReader(store).report(run.layout()).orElseThrow();

    assertThat(committed.getRunsList()).containsExactly(headline);
    assertThat(headline.getStage()).isEqualTo(2);
    assertThat(headline.getGlobalStep()).isEqualTo(12);
    assertThat(headline.getMeanAccuracyMap())
        .containsOnlyKeys("2shot-exact", "2shot-loglik", "finetune-exact");
    assertThat(headline.getReport()).endsWith(run.layout().reportPrefix() + "report.md");
    assertThat(committed.getFilesList())
        .extracting(f -> f.getPath())
        .contains("report.md", "results.json", "loss-vs-flops.png");
    assertThat(printed).contains("evaluate: ", "evaluation after stage 2: done");
  }

  @Test
  void theReportHoldsEveryCheckpointAndTheHeadlineIsItsLast() throws Exception {
    DemoResults r = ReportStore.results(store, run.layout().reportPrefix());
    MethodRun midas = r.run("midas").orElseThrow();
    EvalResult headline = run.evaluations().get(0).result().orElseThrow();

    // checkpoints every 4 steps: stage 1 trains steps 0..4, stage 2 steps 4..12
    assertThat(midas.checkpoints())
        .extracting(c -> c.stage() + "@" + c.globalStep())
        .containsExactly("1@4", "2@8", "2@12");
    assertThat(midas.last().valLoss()).isEqualTo(headline.getValLoss());
    // the stage computed the same validation loss on the same windows for its final checkpoint
    assertThat(headline.getValLoss())
        .isEqualTo(run.stages().get(1).result().orElseThrow().getValLoss());
    assertThat(midas.last().meanAccuracy("2shot-loglik"))
        .isEqualTo(headline.getMeanAccuracyOrThrow("2shot-loglik"));
    assertThat(midas.finetune()).isNotEmpty();
    assertThat(r.analyses().get("midas").functional()).isPresent();
  }

  @Test
  void aRerunFindsTheRunTrainedAndReported() {
    ExperimentRun again =
        LocalExperimentRunner.run(
            new String[] {
              "--spec", dir.resolve("toy-eval.yaml").toString(), "--root", store.root().toString()
            },
            new PrintStream(new ByteArrayOutputStream()));

    assertThat(again.exitCode()).isZero();
    assertThat(again.stages()).isEmpty();
    assertThat(again.evaluations()).isEmpty();
  }

  @Test
  void evaluatingAStageThatHasNotFinishedIsABadRequestNamingTheStage() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code =
        EvaluationRunner.run(
            new String[] {
              dir.resolve("toy-eval.yaml").toString(),
              "--root",
              store.root().toString(),
              "--uid",
              "never-trained",
              "--threads",
              "1",
              "--termination-log",
              dir.resolve("termination").toString()
            },
            new PrintStream(out, true, StandardCharsets.UTF_8));

    assertThat(code).isEqualTo(2);
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("\"exitClass\":\"EXIT_CLASS_BAD_SPEC\"", "stage 2 of", "has no final checkpoint");
    assertThat(Files.readString(dir.resolve("termination"))).contains("EXIT_CLASS_BAD_SPEC");
  }

  @Test
  void aSweepReportComparesCommittedRunReportsUnderTheSweepsFolder() throws Exception {
    RunLayout layout = run.layout();
    String member = layout.experiment() + "/" + layout.uid();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code =
        SweepReportRunner.run(
            new String[] {
              "--name",
              "toy-sweep",
              "--uid",
              "s1",
              "--root",
              store.root().toString(),
              "--run",
              member + "=baseline",
              "--run",
              member + "=midas",
              "--note",
              "two labels for one run",
              "--termination-log",
              dir.resolve("sweep-termination").toString()
            },
            new PrintStream(out, true, StandardCharsets.UTF_8));

    assertThat(code).as(out.toString(StandardCharsets.UTF_8)).isZero();
    RunLayout sweep = new RunLayout("toy-sweep", "s1");
    DemoResults r = ReportStore.results(store, sweep.reportPrefix());
    assertThat(r.runs()).extracting(MethodRun::method).containsExactly("baseline", "midas");
    assertThat(r.flopsSpeedup(r.run("midas").orElseThrow())).isEqualTo(1.0);
    assertThat(r.setup()).contains("two labels for one run");
    // Each member's lines are prefixed with its label once: a run's own report does not name it.
    assertThat(r.setup())
        .filteredOn(line -> line.contains("evaluated in"))
        .extracting(line -> line.substring(0, line.indexOf(" validation")))
        .containsExactly("baseline: evaluated in", "midas: evaluated in");
    ReportManifest m = new RunReader(store).report(sweep).orElseThrow();
    assertThat(m.getRunsList())
        .extracting(EvalResult::getMethod)
        .containsExactly("baseline", "midas");
  }
}
