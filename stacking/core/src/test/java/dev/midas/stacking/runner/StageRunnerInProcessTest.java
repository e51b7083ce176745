package dev.midas.stacking.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midas.checkpoint.CheckpointStore;
import dev.midas.plan.layout.RunLayout;
import dev.midas.proto.CheckpointKind;
import dev.midas.proto.CheckpointManifest;
import dev.midas.proto.ExitClass;
import dev.midas.proto.StageResult;
import dev.midas.store.FileObjectStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stage runner paths that need no separate process: recovery and LAG probes. */
class StageRunnerInProcessTest {
  @TempDir Path dir;
  private Path spec;
  private Path root;
  private CheckpointStore ckpts;
  private StageResult stage1;

  private StageResult stage(String uid, String... more) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--spec",
                spec.toString(),
                "--root",
                root.toString(),
                "--uid",
                uid,
                "--threads",
                "1",
                "--termination-log",
                dir.resolve("termination").toString()));
    args.addAll(List.of(more));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code =
        StageRunner.run(args.toArray(String[]::new), new PrintStream(out), new AtomicBoolean());
    String[] lines = out.toString(StandardCharsets.UTF_8).trim().split("\n");
    StageResult r = StageOutputs.parse(lines[lines.length - 1]);
    assertThat(code).as(r.getMessage()).isEqualTo(StageExitCodes.code(r.getExitClass()));
    return r;
  }

  @BeforeEach
  void runStageOne() throws Exception {
    spec = TestingSpecs.tiny(dir);
    root = dir.resolve("store");
    stage1 = stage("u1", "--stage", "1");
    ckpts = new CheckpointStore(new FileObjectStore(root));
    assertThat(stage1.getExitClass()).isEqualTo(ExitClass.EXIT_CLASS_DONE);
  }

  @Test
  void resumingFromTheFinalCheckpointOnlyGrowsWhatACrashLeftUndone() throws Exception {
    RunLayout run = new RunLayout("tiny", "u1");
    ckpts.objectStore().delete(RunLayout.manifestKey(run.grownPrefix(1)));

    StageResult again = stage("u1", "--stage", "1", "--resume", stage1.getFinalManifest());

    assertThat(again.getExitClass()).isEqualTo(ExitClass.EXIT_CLASS_DONE);
    assertThat(again.getFinalManifest()).isEqualTo(stage1.getFinalManifest());
    assertThat(again.getGrownManifest()).isEqualTo(stage1.getGrownManifest());
    assertThat(ckpts.grown(run, 1)).isPresent();
    assertThat(ckpts.latest(run, 1).orElseThrow().toString()).isEqualTo(stage1.getFinalManifest());
  }

  @Test
  void lagProbeGrowsThePreviousFinalWithItsOperatorAndTrainsOnlyTheProbeSteps() throws Exception {
    StageResult probe =
        stage(
            "u1-lag-gradstack",
            "--stage",
            "2",
            "--init",
            stage1.getFinalManifest(),
            "--lag-steps",
            "2");

    assertThat(probe.getExitClass()).isEqualTo(ExitClass.EXIT_CLASS_DONE);
    assertThat(probe.getGrownManifest()).isEmpty();
    assertThat(probe.getGlobalStep()).isEqualTo(6);
    CheckpointManifest m = ckpts.manifest(URI.create(probe.getFinalManifest()));
    assertThat(m.getKind()).isEqualTo(CheckpointKind.CHECKPOINT_KIND_PERIODIC);
    assertThat(m.getModel().getNLayers()).isEqualTo(2);
    assertThat(m.getPosition().getStageStep()).isEqualTo(2);
    assertThat(m.getValLoss()).isFinite();
    assertThat(m.getParentManifest()).isEqualTo(stage1.getFinalManifest());
  }

  @Test
  void stageTwoWithoutInitIsABadRequest() throws Exception {
    StageResult r = stage("u1", "--stage", "2");

    assertThat(r.getExitClass()).isEqualTo(ExitClass.EXIT_CLASS_BAD_SPEC);
    assertThat(r.getMessage()).contains("stage 2 needs --init");
  }

  @Test
  void specMayBeGivenPositionallyAsTheOperatorDoes() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String[] args = {spec.toString(), "--root", root.toString(), "--uid", "u1", "--stage", "2"};

    int code = StageRunner.run(args, new PrintStream(out), new AtomicBoolean());

    assertThat(code).isEqualTo(2);
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("stage 2 needs --init");
  }

  @Test
  void checkpointOfTheWrongDepthIsRefusedAsCorruptInput() throws Exception {
    StageResult r = stage("u1", "--stage", "2", "--resume", stage1.getFinalManifest());

    assertThat(r.getExitClass()).isEqualTo(ExitClass.EXIT_CLASS_CORRUPT_INPUT);
    assertThat(r.getMessage()).contains("has 1 layers; stage 2 of tiny trains 2");
  }
}
