package dev.midas.stacking.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midas.checkpoint.CheckpointStore;
import dev.midas.plan.layout.RunLayout;
import dev.midas.proto.CheckpointManifest;
import dev.midas.proto.LagProbe;
import dev.midas.proto.LagRecord;
import dev.midas.proto.StageResult;
import dev.midas.run.RunReader;
import dev.midas.store.FileObjectStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LAG in the local runner: candidates in their own run folders, the winner's steps kept. */
class LocalLagTest {
  @TempDir Path dir;

  /** Runs stage processes in this JVM (one after another), as the child JVMs would. */
  static StageProcess.Outcome inProcess(java.util.List<String> args, PrintStream log) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long t0 = System.nanoTime();
    int code =
        StageRunner.run(args.toArray(String[]::new), new PrintStream(out), new AtomicBoolean());
    String[] lines = out.toString(StandardCharsets.UTF_8).trim().split("\n");
    Optional<StageResult> r;
    try {
      r = Optional.of(StageOutputs.parse(lines[lines.length - 1]));
    } catch (Exception e) {
      r = Optional.empty();
    }
    return new StageProcess.Outcome(code, r, (System.nanoTime() - t0) / 1e9);
  }

  @Test
  void lagChoosesByTheSelectionLossAndTheStageGoesOnFromTheWinner() throws Exception {
    Path spec = dir.resolve("lag.yaml");
    Files.writeString(
        spec,
        """
        model: {vocabSize: 32, dModel: 16, heads: 2, targetLayers: 2, seqLen: 8}
        growth: {operator: lag, blockSize: 1, lag: {steps: 2}}
        schedule: {totalSteps: 12, batchSize: 4, checkpointEvery: 4}
        evaluation: {valBatches: 2}
        seed: 3
        """);
    String[] args = {
      "--spec", spec.toString(), "--root", dir.resolve("store").toString(), "--threads", "1"
    };
    ByteArrayOutputStream printed = new ByteArrayOutputStream();

    ExperimentRun run =
        LocalExperimentRunner.run(
            args, new PrintStream(printed, true), (a, out) -> inProcess(a, out));

    String text = printed.toString(StandardCharsets.UTF_8);
    assertThat(run.exitCode()).as(text).isZero();
    RunReader runs = new RunReader(new FileObjectStore(dir.resolve("store")));
    RunLayout layout = run.layout();
    LagRecord d = runs.lag(layout, 2).orElseThrow();
    // One block: midas, gradstack and duplicate-1 grow the same model, so three candidates.
    assertThat(d.getCandidatesList())
        .extracting(LagProbe::getOperator)
        .containsExactly("midas", "random", "zero");
    LagProbe best =
        d.getCandidatesList().stream()
            .min(Comparator.comparingDouble(LagProbe::getSelectionLoss))
            .orElseThrow();
    assertThat(d.getChosen()).isEqualTo(best.getOperator());
    for (LagProbe p : d.getCandidatesList()) {
      assertThat(p.getOutcome()).isEqualTo("done");
      assertThat(p.getSteps()).isEqualTo(2);
      assertThat(p.getSelectionLoss())
          .as("chosen on windows other than the reported ones")
          .isNotEqualTo(p.getValLoss());
      assertThat(p.getUid()).isEqualTo(layout.uid() + "-lag02-" + p.getOperator());
    }
    StageResult s2 = runs.result(layout, 2).orElseThrow();
    CheckpointStore ckpts = new CheckpointStore(runs.objectStore());
    CheckpointManifest fin2 = ckpts.manifest(URI.create(s2.getFinalManifest()));
    assertThat(fin2.getParentManifest())
        .as("stage 2 trained on from the winner's checkpoint")
        .isEqualTo(d.getChosenManifest());
    assertThat(fin2.getPosition().getStageStep()).isEqualTo(8);
    assertThat(text).contains("LAG at stage 2 chose " + d.getChosen());

    ExperimentRun again =
        LocalExperimentRunner.run(
            args, new PrintStream(new ByteArrayOutputStream()), (a, out) -> inProcess(a, out));
    assertThat(again.exitCode()).isZero();
    assertThat(again.stages()).isEmpty();
  }
}
