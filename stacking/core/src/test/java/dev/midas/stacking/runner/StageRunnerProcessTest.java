package dev.midas.stacking.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midas.checkpoint.CheckpointMeta;
import dev.midas.checkpoint.CheckpointStore;
import dev.midas.plan.exit.ExitClass;
import dev.midas.plan.layout.RunLayout;
import dev.midas.plan.schedule.Schedules;
import dev.midas.plan.stage.StageAction;
import dev.midas.plan.stage.StagePlanner;
import dev.midas.proto.CheckpointKind;
import dev.midas.proto.CheckpointManifest;
import dev.midas.proto.ModelConfig;
import dev.midas.proto.TrainPosition;
import dev.midas.run.RunReader;
import dev.midas.stacking.train.TrainStates;
import dev.midas.store.FileObjectStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stage pod contract, checked on real child processes. */
class StageRunnerProcessTest {
  private static final List<String> JVM = List.of("-Xmx512m");

  private static StageProcess.Outcome runStage(List<String> args) throws Exception {
    return StageProcess.run(JVM, args, new PrintStream(new ByteArrayOutputStream()));
  }

  @Test
  void badSpecExitsTwoWithTheProblemInTheResult(@TempDir Path dir) throws Exception {
    Path spec = dir.resolve("bad.yaml");
    Files.writeString(
        spec,
        "model: {vocabSize: 32, dModel: 16, heads: 2, targetLayers: 10, seqLen: 8}\n"
            + "growth: {blockSize: 4}\nschedule: {totalSteps: 10}\n");
    Path termination = dir.resolve("termination-log");

    StageProcess.Outcome o =
        runStage(
            List.of(
                "--spec",
                spec.toString(),
                "--stage",
                "1",
                "--root",
                dir.toString(),
                "--termination-log",
                termination.toString()));

    assertThat(o.exitCode()).isEqualTo(2);
    assertThat(o.exitClass()).isEqualTo(ExitClass.BAD_SPEC);
    assertThat(o.result().orElseThrow().getMessage())
        .contains("model.targetLayers 10 is not a multiple of growth.blockSize 4");
    assertThat(Files.readString(termination)).contains("EXIT_CLASS_BAD_SPEC");
  }

  @Test
  void corruptInitCheckpointExitsSevenNamingTheFile(@TempDir Path dir) throws Exception {
    Path spec = TestingSpecs.tiny(dir);
    FileObjectStore store = new FileObjectStore(dir.resolve("store"));
    RunLayout run = new RunLayout("tiny", "u1");
    ModelConfig two =
        ModelConfig.newBuilder()
            .setVocabSize(32)
            .setDModel(16)
            .setNHeads(2)
            .setNLayers(2)
            .setSeqLen(8)
            .build();
    var fresh = TrainStates.fresh(two, 1);
    var atStage2 =
        new dev.midas.checkpoint.TrainState(
            fresh.model(),
            fresh.params(),
            fresh.adamM(),
            fresh.adamV(),
            TrainPosition.newBuilder().setGlobalStep(4).build());
    URI grown =
        new CheckpointStore(store)
            .save(run, 1, CheckpointKind.CHECKPOINT_KIND_GROWN, atStage2, CheckpointMeta.of(3));
    Path params = dir.resolve("store").resolve(run.grownPrefix(1) + "params.bin");
    byte[] bytes = Files.readAllBytes(params);
    bytes[100] ^= 1;
    Files.write(params, bytes);

    StageProcess.Outcome o =
        runStage(
            List.of(
                "--spec",
                spec.toString(),
                "--stage",
                "2",
                "--root",
                store.root().toString(),
                "--uid",
                "u1",
                "--init",
                grown.toString(),
                "--threads",
                "1"));

    assertThat(o.exitCode()).isEqualTo(7);
    assertThat(o.result().orElseThrow().getMessage()).contains("params.bin is corrupt: SHA-256");
  }

  @Test
  void sigtermCommitsACheckpointAndExitsSixSoTheStageResumes(@TempDir Path dir) throws Exception {
    Path spec = TestingSpecs.long1(dir);
    Path root = dir.resolve("store");
    Files.createDirectories(root);
    RunLayout run = new RunLayout("long", "u1");
    Path heartbeat = root.resolve(run.heartbeatKey(1));
    long start = System.nanoTime();
    Process p =
        StageProcess.start(
            JVM,
            List.of(
                "--spec",
                spec.toString(),
                "--stage",
                "1",
                "--root",
                root.toString(),
                "--uid",
                "u1",
                "--threads",
                "1",
                "--heartbeat-seconds",
                "0.2"));
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      while (!(Files.exists(heartbeat) && Files.readString(heartbeat).contains("\"stageStep\""))
          && p.isAlive()
          && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(p.isAlive()).as("the stage is still training").isTrue();
      p.toHandle().destroy(); // SIGTERM; Process.destroy would also close our end of stdout
      StageProcess.Outcome o =
          StageProcess.collect(p, new PrintStream(new ByteArrayOutputStream()), start);

      assertThat(o.exitCode()).isEqualTo(6);
      assertThat(o.exitClass()).isEqualTo(ExitClass.PREEMPTED);
      CheckpointStore ckpts = new CheckpointStore(new FileObjectStore(root));
      RunReader runs = new RunReader(ckpts.objectStore());
      URI latest = runs.latest(run, 1).orElseThrow();
      CheckpointManifest m = ckpts.manifest(latest);
      assertThat(m.getKind()).isEqualTo(CheckpointKind.CHECKPOINT_KIND_PREEMPTED);
      assertThat(m.getPosition().getStageStep()).isPositive();
      assertThat(o.result().orElseThrow().getFinalManifest()).isEqualTo(latest.toString());
      assertThat(StagePlanner.next(1, runs.observe(run, Schedules.baseline(100000))))
          .isEqualTo(new StageAction.Resume(1, latest.toString()));
    } finally {
      p.destroyForcibly();
    }
  }
}
