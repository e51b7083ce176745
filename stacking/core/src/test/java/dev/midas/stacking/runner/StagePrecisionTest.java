package dev.midas.stacking.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midas.checkpoint.CheckpointStore;
import dev.midas.checkpoint.NamedTensors;
import dev.midas.checkpoint.TrainState;
import dev.midas.plan.layout.RunLayout;
import dev.midas.plan.spec.ResolvedSpec;
import dev.midas.plan.spec.SpecValidator;
import dev.midas.proto.ExitClass;
import dev.midas.proto.StageResult;
import dev.midas.store.FileObjectStore;
import dev.midas.store.StoreOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stage's compute precision: from the spec, else from its lineage, else the device's default
 * (fp32 on a CPU); recorded in every checkpoint, kept by growth and resume, the masters float32.
 */
class StagePrecisionTest {
  @TempDir Path dir;

  @Test
  void aBf16MixedLineageKeepsItsPrecisionThroughGrowthAndResumesBitForBit() throws Exception {
    Path bf16 = specWith(dir.resolve("bf16"), "precision: bf16-mixed\n");
    Path plain = specWith(dir.resolve("plain"), "");
    Path root = dir.resolve("store");
    CheckpointStore ckpts = new CheckpointStore(new FileObjectStore(root));

    StageResult one = stage(bf16, root, "u1", "--stage", "1");
    assertThat(one.getPrecision()).isEqualTo("bf16-mixed");
    for (String m : List.of(one.getFinalManifest(), one.getGrownManifest())) {
      assertThat(ckpts.manifest(URI.create(m)).getPrecision()).as(m).isEqualTo("bf16-mixed");
    }
    // Growth copies the float32 masters: the grown checkpoint is the operator applied to the
    // final one, bit for bit.
    TrainState fin = ckpts.load(URI.create(one.getFinalManifest()));
    TrainState grown = ckpts.load(URI.create(one.getGrownManifest()));
    ResolvedSpec resolved =
        SpecValidator.resolve(
            "tiny", SpecSource.load(bf16.toString(), StoreOptions.DEFAULTS).spec());
    assertSameBits(grown.params(), StageGrowth.apply(resolved, 1, fin).state().params());
    assertThat(grown.params().get("embed.weight").data())
        .containsExactly(fin.params().get("embed.weight").data());

    // A spec naming no precision continues in its lineage's, not in the CPU's default.
    StageResult two = stage(plain, root, "u1", "--stage", "2", "--init", one.getGrownManifest());
    assertThat(two.getPrecision()).isEqualTo("bf16-mixed");
    assertThat(ckpts.manifest(URI.create(two.getFinalManifest())).getPrecision())
        .isEqualTo("bf16-mixed");

    // Resuming from the stage's periodic checkpoint (global step 8) ends in the same bits.
    URI periodic =
        ckpts
            .objectStore()
            .uri(RunLayout.manifestKey(new RunLayout("tiny", "u1").checkpointPrefix(2, 8)));
    assertThat(ckpts.manifest(periodic).getPrecision()).isEqualTo("bf16-mixed");
    StageResult resumed = stage(plain, root, "u2", "--stage", "2", "--resume", periodic.toString());
    assertThat(resumed.getPrecision()).isEqualTo("bf16-mixed");
    TrainState straight = ckpts.load(URI.create(two.getFinalManifest()));
    TrainState again = ckpts.load(URI.create(resumed.getFinalManifest()));
    assertSameBits(again.params(), straight.params());
    assertSameBits(again.adamM(), straight.adamM());
    assertSameBits(again.adamV(), straight.adamV());
  }

  @Test
  void aCpuStageWhoseSpecNamesNoPrecisionTrainsAndRecordsFp32() throws Exception {
    Path root = dir.resolve("store");
    StageResult one = stage(specWith(dir.resolve("plain"), ""), root, "u1", "--stage", "1");
    assertThat(one.getPrecision()).isEqualTo("fp32");
    CheckpointStore ckpts = new CheckpointStore(new FileObjectStore(root));
    assertThat(ckpts.manifest(URI.create(one.getFinalManifest())).getPrecision()).isEqualTo("fp32");
  }

  private static Path specWith(Path folder, String extra) throws Exception {
    Files.createDirectories(folder);
    Path spec = TestingSpecs.tiny(folder);
    Files.writeString(spec, Files.readString(spec) + extra);
    return spec;
  }

  private StageResult stage(Path spec, Path root, String uid, String... more) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--spec",
                spec.toString(),
                "--root",
                root.toString(),
                "--uid",
                uid,
                "--name",
                "tiny",
                "--threads",
                "1",
                "--termination-log",
                dir.resolve("termination").toString()));
    args.addAll(List.of(more));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StageRunner.run(args.toArray(String[]::new), new PrintStream(out), new AtomicBoolean());
    String[] lines = out.toString(StandardCharsets.UTF_8).trim().split("\n");
    StageResult r = StageOutputs.parse(lines[lines.length - 1]);
    assertThat(r.getExitClass()).as(r.getMessage()).isEqualTo(ExitClass.EXIT_CLASS_DONE);
    return r;
  }

  private static void assertSameBits(NamedTensors actual, NamedTensors expected) {
    assertThat(actual.names()).isEqualTo(expected.names());
    for (String name : expected.names()) {
      assertThat(actual.get(name).data()).as(name).containsExactly(expected.get(name).data());
    }
  }
}
