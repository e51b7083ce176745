package dev.midas.stacking.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midas.checkpoint.CheckpointStore;
import dev.midas.plan.layout.RunLayout;
import dev.midas.plan.spec.ExperimentSpec;
import dev.midas.plan.spec.SpecValidator;
import dev.midas.proto.CheckpointKind;
import dev.midas.proto.CheckpointManifest;
import dev.midas.proto.ExitClass;
import dev.midas.proto.StageResult;
import dev.midas.run.RunReader;
import dev.midas.store.FileObjectStore;
import dev.midas.store.ObjectStore;
import dev.midas.store.StoreOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
    assertThat(code)
        .as(r.getMessage())
        .isEqualTo(dev.midas.plan.exit.ExitClass.of(r.getExitClass()).code());
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
    RunReader runs = new RunReader(ckpts.objectStore());
    assertThat(runs.grown(run, 1)).isPresent();
    assertThat(runs.latest(run, 1).orElseThrow().toString()).isEqualTo(stage1.getFinalManifest());
  }

  @Test
  void everyCheckpointRecordsTheOpenTrainingChoices() throws Exception {
    for (String manifest : List.of(stage1.getFinalManifest(), stage1.getGrownManifest())) {
      CheckpointManifest m = ckpts.manifest(URI.create(manifest));
      assertThat(m.getChoices().getOutputInitDepth()).as(manifest).isEqualTo("target");
      assertThat(m.getChoices().getLrPolicy()).isEqualTo("continuous");
      assertThat(m.getChoices().getMidasTie()).isEqualTo("left");
      // Stage 1 trains 1 of the 2 target layers, initialised for the target depth.
      assertThat(m.getModel().getInitDepth()).isEqualTo(2);
    }
    assertThat(ckpts.manifest(URI.create(stage1.getGrownManifest())).getGrowth().getMidasTie())
        .isEqualTo("left");
  }

  /**
   * Stage 2 (global steps 4..12) from its grown init, here with a checkpoint after every step;
   * SIGTERM lands as the one at step 6 commits. Periodic checkpoints are written beside training,
   * so the loop stops at step 6 or 7, each time right after that step's checkpoint.
   */
  private StageResult stageTwoStoppedAfterStepSix() throws Exception {
    RunLayout run = new RunLayout("tiny", "u1");
    String periodic6 = RunLayout.manifestKey(run.checkpointPrefix(2, 6));
    AtomicBoolean stop = new AtomicBoolean();
    ExperimentSpec everyStep = SpecSource.load(spec.toString(), StoreOptions.DEFAULTS).spec();
    everyStep.schedule.checkpointEvery = 1L;
    StageRequest req =
        new StageRequest(
            SpecValidator.resolve("tiny", everyStep),
            root.toUri(),
            "u1",
            2,
            Optional.of(URI.create(stage1.getGrownManifest())),
            Optional.empty(),
            1,
            60,
            Optional.empty());
    StageResult stopped =
        new StageExecution(
                req,
                new CheckpointStore(new StopOnCommit(ckpts.objectStore(), periodic6, stop)),
                stop,
                StageClock.startingNow())
            .run();
    assertThat(stopped.getExitClass())
        .as(stopped.getMessage())
        .isEqualTo(ExitClass.EXIT_CLASS_PREEMPTED);
    assertThat(stopped.getGlobalStep()).isBetween(6L, 7L);
    String periodic = RunLayout.manifestKey(run.checkpointPrefix(2, stopped.getGlobalStep()));
    assertThat(stopped.getFinalManifest()).isEqualTo(ckpts.objectStore().uri(periodic).toString());
    assertThat(ckpts.manifest(URI.create(stopped.getFinalManifest())).getKind())
        .isEqualTo(CheckpointKind.CHECKPOINT_KIND_PERIODIC);
    return stopped;
  }

  @Test
  void stopRightAfterAPeriodicCheckpointResumesFromThatCheckpoint() throws Exception {
    StageResult stopped = stageTwoStoppedAfterStepSix();

    StageResult resumed = stage("u1", "--stage", "2", "--resume", stopped.getFinalManifest());
    assertThat(resumed.getExitClass()).isEqualTo(ExitClass.EXIT_CLASS_DONE);
    assertThat(ckpts.manifest(URI.create(resumed.getFinalManifest())).getParentManifest())
        .isEqualTo(stopped.getFinalManifest());
  }

  @Test
  void aRestartedPodResumesFromTheLatestCheckpointItsStageCommitted() throws Exception {
    // A first pod of stage 2 was stopped (a disruption) after committing a periodic checkpoint;
    // its Job starts a second pod with the first one's arguments: --init <grown>.
    StageResult stopped = stageTwoStoppedAfterStepSix();

    StageResult restarted =
        stage("u1", "--stage", "2", "--init", stage1.getGrownManifest(), "--resume-latest");

    assertThat(restarted.getExitClass()).isEqualTo(ExitClass.EXIT_CLASS_DONE);
    assertThat(ckpts.manifest(URI.create(restarted.getFinalManifest())).getParentManifest())
        .as("trained on from the first pod's checkpoint, not again from the grown init")
        .isEqualTo(stopped.getFinalManifest());
  }

  /** A store that raises {@code stop} (as SIGTERM would) once {@code key} is committed. */
  private record StopOnCommit(ObjectStore store, String key, AtomicBoolean stop)
      implements ObjectStore {
    @Override
    public URI root() {
      return store.root();
    }

    @Override
    public void put(String k, byte[] bytes) throws IOException {
      store.put(k, bytes);
    }

    @Override
    public void put(String k, Path file) throws IOException {
      store.put(k, file);
    }

    @Override
    public boolean putIfAbsent(String k, byte[] bytes) throws IOException {
      boolean written = store.putIfAbsent(k, bytes);
      if (k.equals(key)) {
        stop.set(true);
      }
      return written;
    }

    @Override
    public byte[] get(String k) throws IOException {
      return store.get(k);
    }

    @Override
    public InputStream open(String k) throws IOException {
      return store.open(k);
    }

    @Override
    public Optional<Long> size(String k) throws IOException {
      return store.size(k);
    }

    @Override
    public List<String> list(String prefix) throws IOException {
      return store.list(prefix);
    }

    @Override
    public void delete(String k) throws IOException {
      store.delete(k);
    }
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
