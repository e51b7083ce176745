package dev.midas.stacking.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midas.plan.exit.ExitClass;
import dev.midas.plan.spec.Precision;
import dev.midas.proto.StageResult;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Warm spare stage processes, on real child processes. */
class SpareStagesTest {
  private static final List<String> JVM = List.of("-Xmx512m");
  private static final List<String> SPARE =
      SpareStage.arguments(1, Optional.empty(), Optional.empty());

  private static List<String> stage1(Path spec, Path dir, String uid) {
    return List.of(
        "--spec",
        spec.toString(),
        "--root",
        dir.resolve("store").toString(),
        "--uid",
        uid,
        "--stage",
        "1",
        "--threads",
        "1",
        "--termination-log",
        dir.resolve("termination-" + uid).toString());
  }

  private static PrintStream quiet() {
    return new PrintStream(new ByteArrayOutputStream());
  }

  @Test
  void aStageOnASpareGivesTheColdResultAndAnUnneededSpareIsReaped(@TempDir Path dir)
      throws Exception {
    Path spec = TestingSpecs.tiny(dir);
    StageResult first =
        StageProcess.run(JVM, stage1(spec, dir, "cold"), quiet()).result().orElseThrow();
    List<String> stage2 = new ArrayList<>(stage1(spec, dir, "cold"));
    stage2.set(stage2.indexOf("--stage") + 1, "2");
    stage2.addAll(List.of("--init", first.getGrownManifest()));
    StageResult cold = StageProcess.run(JVM, stage2, quiet()).result().orElseThrow();

    StageResult warm;
    Process unneeded;
    try (SpareStages spares = new SpareStages(JVM, SPARE, quiet())) {
      assertThat(spares.run(stage1(spec, dir, "first"), quiet(), true).exitCode()).isZero();
      Process used = spares.spare().orElseThrow();
      stage2.set(stage2.indexOf("--uid") + 1, "warm");
      StageProcess.Outcome o = spares.run(stage2, quiet(), true);
      assertThat(used.isAlive()).isFalse();
      assertThat(o.exitCode()).isZero();
      warm = o.result().orElseThrow();
      unneeded = spares.spare().orElseThrow();
      assertThat(unneeded).isNotSameAs(used);
    }
    assertThat(unneeded.waitFor(1, TimeUnit.SECONDS)).as("reaped when the run ends").isTrue();

    assertThat(warm.getFinalTrainLoss()).isEqualTo(cold.getFinalTrainLoss());
    assertThat(warm.getValLoss()).isEqualTo(cold.getValLoss());
    assertThat(warm.getGlobalStep()).isEqualTo(cold.getGlobalStep());
    assertThat(warm.getMessage()).isEqualTo(cold.getMessage());
    assertThat(warm.getTimings().getPrestarted()).isPositive();
    assertThat(warm.getTimings().getJvmStart()).isZero();
    assertThat(warm.getWallSeconds()).isEqualTo(warm.getTimings().getTotal());
    assertThat(cold.getTimings().getPrestarted()).isZero();
  }

  @Test
  void aDeadSpareOrOneThatDeclinesGivesWayToAColdStart(@TempDir Path dir) throws Exception {
    Path spec = dir.resolve("bad.yaml");
    Files.writeString(
        spec,
        "model: {vocabSize: 32, dModel: 16, heads: 2, targetLayers: 2, seqLen: 8}\n"
            + "growth: {blockSize: 1}\nschedule: {totalSteps: 4, batchSize: 2}\n");
    List<String> outside = new ArrayList<>(stage1(spec, dir, "u"));
    outside.set(outside.indexOf("--stage") + 1, "3");
    try (SpareStages spares = new SpareStages(JVM, SPARE, quiet())) {
      assertThat(spares.run(outside, quiet(), true).exitClass()).isEqualTo(ExitClass.BAD_SPEC);
      spares.spare().orElseThrow().destroyForcibly().waitFor();

      StageProcess.Outcome o = spares.run(outside, quiet(), false);

      assertThat(o.exitClass()).isEqualTo(ExitClass.BAD_SPEC);
      assertThat(o.result().orElseThrow().getMessage()).contains("--stage 3 is outside 1..2");
      assertThat(spares.spare()).isEmpty();
    }

    // A spare loads the engine without TF32 (it was told no precision); a tf32 stage needs it.
    Path tf32 = dir.resolve("tf32.yaml");
    Files.writeString(
        tf32,
        "model: {vocabSize: 32, dModel: 16, heads: 2, targetLayers: 1, seqLen: 8}\n"
            + "growth: {operator: baseline}\nprecision: tf32\n"
            + "schedule: {totalSteps: 2, batchSize: 2}\nevaluation: {valBatches: 1}\nseed: 3\n");
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    try (SpareStages spares =
        new SpareStages(JVM, SPARE, new PrintStream(log, true, StandardCharsets.UTF_8))) {
      spares.run(outside, quiet(), true);

      StageProcess.Outcome o = spares.run(stage1(tf32, dir, "t"), quiet(), false);

      assertThat(o.exitCode()).isZero();
      assertThat(o.result().orElseThrow().getPrecision()).isEqualTo(Precision.TF32.word());
      assertThat(o.result().orElseThrow().getTimings().getPrestarted()).isZero();
      assertThat(log.toString(StandardCharsets.UTF_8)).contains("gave way");
    }
  }

  @Test
  void argumentsTravelOneALineAndEndOfInputEndsTheSpare() throws Exception {
    List<String> args = List.of("--spec", "a b.yaml", "", "--stage", "2");
    String sent = SpareStage.message(args).orElseThrow();

    Optional<String[]> read =
        SpareStage.read(new ByteArrayInputStream(sent.getBytes(StandardCharsets.UTF_8)));

    assertThat(read.orElseThrow()).containsExactlyElementsOf(args);
    assertThat(SpareStage.message(List.of("two\nlines"))).isEmpty();
    assertThat(SpareStage.read(new ByteArrayInputStream(new byte[0]))).isEmpty();
    assertThat(SpareStage.read(new ByteArrayInputStream("3\na\n".getBytes()))).isEmpty();
  }

  @Test
  void sparesAreOnUnlessTheFlagOrThePropertyTurnsThemOff() {
    LocalExperimentRunner on = new LocalExperimentRunner();
    new picocli.CommandLine(on).parseArgs("--spec", "s.yaml");
    LocalExperimentRunner flag = new LocalExperimentRunner();
    new picocli.CommandLine(flag).parseArgs("--spec", "s.yaml", "--no-warm-spare");
    LocalExperimentRunner property = new LocalExperimentRunner();
    System.setProperty("midas.warmSpare", "false");
    try {
      new picocli.CommandLine(property).parseArgs("--spec", "s.yaml");
    } finally {
      System.clearProperty("midas.warmSpare");
    }

    assertThat(on.warmSpare).isTrue();
    assertThat(flag.warmSpare).isFalse();
    assertThat(property.warmSpare).isFalse();
  }

  @Test
  void aSpareIsKeptWhileAnotherLaunchIsToFollow() {
    assertThat(LocalExperimentRunner.anotherFollows(List.of("--stage", "1"), 4)).isTrue();
    assertThat(LocalExperimentRunner.anotherFollows(List.of("--stage", "4"), 4)).isFalse();
    assertThat(LocalExperimentRunner.anotherFollows(List.of("--stage", "4", "--lag-steps", "5"), 4))
        .isTrue();
  }
}
