package dev.midas.stacking.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midas.checkpoint.CheckpointStore;
import dev.midas.proto.CheckpointManifest;
import dev.midas.proto.ExitClass;
import dev.midas.proto.StageResult;
import dev.midas.store.FileObjectStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The looped model and LOOP's regulariser through the stage runner. */
class LoopedRunTest {
  @TempDir Path dir;

  private StageResult stage(Path spec, int stage) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StageRunner.run(
        new String[] {
          "--spec",
          spec.toString(),
          "--root",
          dir.resolve("store").toString(),
          "--uid",
          "u",
          "--stage",
          Integer.toString(stage),
          "--threads",
          "1",
          "--termination-log",
          dir.resolve("termination").toString()
        },
        new PrintStream(out),
        new AtomicBoolean());
    String[] lines = out.toString(StandardCharsets.UTF_8).trim().split("\n");
    return StageOutputs.parse(lines[lines.length - 1]);
  }

  private CheckpointManifest manifest(StageResult r) throws Exception {
    return new CheckpointStore(new FileObjectStore(dir.resolve("store")))
        .manifest(URI.create(r.getFinalManifest()));
  }

  @Test
  void theLoopedModelTrainsOneSharedBlockAtFullDepthInOneStage() throws Exception {
    Path spec = dir.resolve("loop.yaml");
    Files.writeString(
        spec,
        """
        model: {vocabSize: 32, dModel: 16, heads: 2, targetLayers: 4, seqLen: 8}
        growth: {operator: loop, blockSize: 2}
        schedule: {totalSteps: 6, batchSize: 4, checkpointEvery: 6}
        seed: 3
        """);

    StageResult r = stage(spec, 1);

    assertThat(r.getExitClass()).as(r.getMessage()).isEqualTo(ExitClass.EXIT_CLASS_DONE);
    assertThat(r.getGrownManifest()).isEmpty();
    CheckpointManifest m = manifest(r);
    assertThat(m.getModel().getNLayers()).isEqualTo(2);
    assertThat(m.getModel().getLoop()).isEqualTo(2);
    assertThat(m.getModel().getInitDepth()).isEqualTo(4);
    assertThat(m.getTensorsList()).noneMatch(t -> t.getName().startsWith("layers.2."));
  }

  @Test
  void theLoopRegularizerTrainsAndIsRecorded() throws Exception {
    Path spec = dir.resolve("reg.yaml");
    Files.writeString(
        spec,
        """
        model: {vocabSize: 32, dModel: 16, heads: 2, targetLayers: 2, seqLen: 8}
        growth: {operator: baseline}
        schedule:
          totalSteps: 6
          batchSize: 4
          checkpointEvery: 6
          loopRegularizer: {weight: 10, blockLayers: 1}
        seed: 3
        """);

    StageResult r = stage(spec, 1);

    assertThat(r.getExitClass()).as(r.getMessage()).isEqualTo(ExitClass.EXIT_CLASS_DONE);
    CheckpointManifest m = manifest(r);
    assertThat(m.getChoices().getLoopRegularizer()).isEqualTo(10.0);
    assertThat(m.getChoices().getLoopRegularizerBlock()).isEqualTo(1);
  }
}
